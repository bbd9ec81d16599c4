#include "fakes/fake_telegram.hpp"

#include "fakes/call_log.hpp"
#include "fakes/fake_http_server.hpp"
#include "fakes/json_body.hpp"
#include "fakes/multipart_form.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

namespace signoff::test {

namespace {

using json = nlohmann::json;

constexpr std::size_t max_text_units = 4096;  // UTF-16 code units, as Telegram counts
constexpr std::size_t max_callback_data_bytes = 64;
constexpr std::size_t max_caption_units = 1024;
constexpr std::size_t max_photo_bytes = 10 * 1024 * 1024;  // by upload
constexpr std::size_t max_file_bytes = 50 * 1024 * 1024;   // by upload

struct answer {
    int status = 200;
    json body;
};

answer ok(json result) { return {200, {{"ok", true}, {"result", std::move(result)}}}; }

answer error(int status, std::string description) {
    return {status, {{"ok", false}, {"error_code", status}, {"description", std::move(description)}}};
}

answer bad_request(std::string_view what) { return error(400, "Bad Request: " + std::string(what)); }

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::size_t utf16_units(std::string const& s) {
    std::size_t units = 0;
    for (unsigned char c : s) units += ((c & 0xC0) != 0x80) + (c >= 0xF0);
    return units;
}

std::optional<std::int64_t> to_int64(json const& v) {
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (!v.is_string()) return std::nullopt;
    auto const& s = v.get_ref<std::string const&>();
    std::int64_t out = 0;
    auto const [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return out;
}

// The error Telegram gives for a text, or nullopt when it is acceptable.
std::optional<answer> check_text(json const& body) {
    auto const it = body.find("text");
    if (it == body.end() || !it->is_string() || it->get_ref<std::string const&>().empty())
        return bad_request("message text is empty");
    if (utf16_units(it->get<std::string>()) > max_text_units) return bad_request("message is too long");
    return std::nullopt;
}

std::optional<answer> check_keyboard(json const& body) {
    auto const markup = body.find("reply_markup");
    if (markup == body.end() || !markup->is_object() || !markup->contains("inline_keyboard")) return std::nullopt;
    auto const& rows = markup->at("inline_keyboard");
    if (!rows.is_array()) return bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array");
    for (auto const& row : rows) {
        if (!row.is_array()) return bad_request("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        for (auto const& button : row) {
            auto const data = button.find("callback_data");
            if (data == button.end()) continue;
            if (!data->is_string() || data->get_ref<std::string const&>().empty() ||
                data->get_ref<std::string const&>().size() > max_callback_data_bytes)
                return bad_request("BUTTON_DATA_INVALID");
        }
    }
    return std::nullopt;
}

enum class script_kind { too_many_requests, server_error, hang };

struct script {
    script_kind kind;
    int retry_after = 0;
    std::chrono::milliseconds delay{0};
};

}  // namespace

struct fake_telegram::impl {
    explicit impl(std::string t) : token(std::move(t)) {
        std::from_chars(token.data(), token.data() + token.find(':'), bot_id);
    }

    std::string token;
    std::int64_t bot_id = 1;

    std::mutex mutex;  // guards the scripts and messages; held while a request is decided and logged
    std::deque<script> scripts;
    struct refusal {
        int status;
        std::optional<std::int64_t> chat;
    };
    std::map<std::string, std::deque<refusal>> refusals;  // method → the calls still to refuse
    std::int64_t next_message_id = 1;
    std::map<std::pair<std::int64_t, std::int64_t>, json> messages;  // (chat, message_id) → Message
    std::chrono::milliseconds per_chat_interval{0};
    std::map<std::int64_t, std::chrono::steady_clock::time_point> last_accepted;  // per chat, sendMessage only
    call_log<call> log;
    // NB: last, so it stops, and no handler runs, before the state above is destroyed.
    fake_http_server server{[this](http_request const& req) { return handle(req); }};

    json bot_user() const {
        return {{"id", bot_id}, {"is_bot", true}, {"first_name", "Signoff Test Bot"}, {"username", "signoff_test_bot"}};
    }

    static json chat_of(std::int64_t id) {
        return {{"id", id}, {"type", id > 0 ? "private" : "supergroup"}};
    }

    static std::int64_t unix_now() {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    // NB: called with `mutex` held. Only media messages have a caption to edit.
    answer edit_caption(json const& body) {
        if (!body.contains("chat_id")) return bad_request("chat_id is empty");
        auto const chat = to_int64(body["chat_id"]);
        if (!chat || *chat == 0) return bad_request("chat not found");
        auto const id = body.contains("message_id") ? to_int64(body["message_id"]) : std::nullopt;
        if (!id) return bad_request("message to edit not found");
        auto const found = messages.find({*chat, *id});
        if (found == messages.end()) return bad_request("message to edit not found");
        auto& stored = found->second;
        if (!is_media_message(stored)) return bad_request("there is no caption in the message to edit");
        auto const caption = body.value("caption", json());
        if (caption.is_string() && utf16_units(caption.get<std::string>()) > max_caption_units)
            return bad_request("message caption is too long");
        if (auto e = check_keyboard(body)) return *e;
        json const markup = body.value("reply_markup", json());
        if (stored.value("caption", json()) == caption && stored.value("reply_markup", json()) == markup)
            return bad_request("message is not modified: specified new message content and reply markup are exactly the same");
        if (caption.is_null()) stored.erase("caption");
        else stored["caption"] = caption;
        if (markup.is_null()) stored.erase("reply_markup");
        else stored["reply_markup"] = markup;
        stored["edit_date"] = unix_now();
        return ok(stored);
    }

    // NB: called with `mutex` held.
    answer send_message(json const& body) {
        if (!body.contains("chat_id")) return bad_request("chat_id is empty");
        auto const chat = to_int64(body["chat_id"]);
        if (!chat || *chat == 0) return bad_request("chat not found");
        if (auto e = check_text(body)) return *e;
        if (auto e = check_keyboard(body)) return *e;
        json m{{"message_id", next_message_id++},
               {"from", bot_user()},
               {"chat", chat_of(*chat)},
               {"date", unix_now()},
               {"text", body["text"]}};
        if (body.contains("reply_markup")) m["reply_markup"] = body["reply_markup"];
        messages[{*chat, m["message_id"].get<std::int64_t>()}] = m;
        return ok(m);
    }

    // editMessageText (text_too) or editMessageReplyMarkup. Messages this fake never sent are
    // edited as if they existed; known ones answer "message is not modified" like Telegram.
    answer edit_message(json const& body, bool text_too) {
        if (!body.contains("chat_id")) return bad_request("chat_id is empty");
        auto const chat = to_int64(body["chat_id"]);
        if (!chat || *chat == 0) return bad_request("chat not found");
        auto const id = body.contains("message_id") ? to_int64(body["message_id"]) : std::nullopt;
        if (!id) return bad_request("message to edit not found");
        if (text_too)
            if (auto e = check_text(body)) return *e;
        if (auto e = check_keyboard(body)) return *e;
        auto& stored = messages[{*chat, *id}];
        if (stored.is_null())
            stored = {{"message_id", *id}, {"from", bot_user()}, {"chat", chat_of(*chat)}, {"date", unix_now()}};
        if (text_too && is_media_message(stored)) return bad_request("there is no text in the message to edit");
        json const markup = body.value("reply_markup", json());
        json const text = text_too ? body["text"] : stored.value("text", json());
        if (stored.value("text", json()) == text && stored.value("reply_markup", json()) == markup)
            return bad_request(
                "message is not modified: specified new message content and reply markup are exactly the same as a "
                "current content and reply markup of the message");
        if (text_too) stored["text"] = text;
        if (markup.is_null())
            stored.erase("reply_markup");
        else
            stored["reply_markup"] = markup;
        stored["edit_date"] = unix_now();
        return ok(stored);
    }

    static bool is_media_message(json const& m) {
        return m.contains("photo") || m.contains("video") || m.contains("document");
    }

    // The file a send names in `field`: an uploaded part (by its own name or "attach://name"),
    // or a URL or file_id string. Sets `error` when there is none or it is too large.
    static std::optional<json> file_of(json const& body, std::vector<form_part> const& files, std::string const& field,
                                       bool photo, std::optional<answer>& error) {
        std::string wanted = field;
        if (auto it = body.find(field); it != body.end()) {
            if (!it->is_string() || it->get_ref<std::string const&>().empty()) {
                error = bad_request("wrong file identifier/HTTP URL specified");
                return std::nullopt;
            }
            auto const& ref = it->get_ref<std::string const&>();
            if (!ref.starts_with("attach://")) return json{{"file_id", "url:" + ref}, {"file_unique_id", ref}};
            wanted = ref.substr(9);
        }
        auto const* part = find_part(files, wanted);
        if (!part || !part->filename) {
            error = bad_request("there is no " + field + " in the request");
            return std::nullopt;
        }
        if (part->value.size() > (photo ? max_photo_bytes : max_file_bytes)) {
            error = error_for_size(photo);
            return std::nullopt;
        }
        return json{{"file_id", "upload:" + wanted}, {"file_unique_id", wanted}, {"file_size", part->value.size()},
                    {"file_name", *part->filename}};
    }

    static answer error_for_size(bool photo) {
        return photo ? bad_request("PHOTO_INVALID_DIMENSIONS") : error(413, "Request Entity Too Large");
    }

    static std::string media_field(std::string const& method) {
        if (method == "sendPhoto") return "photo";
        if (method == "sendVideo") return "video";
        return "document";
    }

    // NB: called with `mutex` held.
    answer send_media(std::string const& method, json const& body, std::vector<form_part> const& files) {
        if (!body.contains("chat_id")) return bad_request("chat_id is empty");
        auto const chat = to_int64(body["chat_id"]);
        if (!chat || *chat == 0) return bad_request("chat not found");
        if (auto c = body.find("caption"); c != body.end())
            if (!c->is_string() || utf16_units(c->get<std::string>()) > max_caption_units)
                return bad_request("message caption is too long");
        if (auto e = check_keyboard(body)) return *e;
        auto const field = media_field(method);
        std::optional<answer> e;
        auto file = file_of(body, files, field, field == "photo", e);
        if (!file) return *e;
        json m{{"message_id", next_message_id++}, {"from", bot_user()}, {"chat", chat_of(*chat)}, {"date", unix_now()}};
        m[field] = field == "photo" ? json::array({*file}) : *file;
        if (body.contains("caption")) m["caption"] = body["caption"];
        if (body.contains("reply_markup")) m["reply_markup"] = body["reply_markup"];
        messages[{*chat, m["message_id"].get<std::int64_t>()}] = m;
        return ok(m);
    }

    // NB: called with `mutex` held.
    answer send_media_group(json const& body, std::vector<form_part> const& files) {
        if (!body.contains("chat_id")) return bad_request("chat_id is empty");
        auto const chat = to_int64(body["chat_id"]);
        if (!chat || *chat == 0) return bad_request("chat not found");
        auto const media = body.value("media", json());
        if (!media.is_array()) return bad_request("can't parse media JSON object");
        if (media.size() < 2 || media.size() > 10) return bad_request("wrong number of media specified");
        bool documents = false, others = false;
        std::vector<json> out;
        std::string group_id = "g";
        group_id += std::to_string(next_message_id);
        for (auto const& item : media) {
            auto const type = item.value("type", "");
            if (type != "photo" && type != "video" && type != "document") return bad_request("unsupported media type");
            (type == "document" ? documents : others) = true;
            std::optional<answer> e;
            auto file = file_of(item, files, "media", type == "photo", e);
            if (!file) return *e;
            json m{{"message_id", next_message_id + static_cast<std::int64_t>(out.size())}, {"from", bot_user()},
                   {"chat", chat_of(*chat)}, {"date", unix_now()}, {"media_group_id", group_id}};
            m[type] = type == "photo" ? json::array({*file}) : *file;
            out.push_back(std::move(m));
        }
        if (documents && others) return bad_request("document can't be mixed with other media types");
        next_message_id += static_cast<std::int64_t>(out.size());
        for (auto const& m : out) messages[{*chat, m["message_id"].get<std::int64_t>()}] = m;
        return ok(out);
    }

    // NB: called with `mutex` held.
    std::optional<answer> over_chat_limit(json const& body, std::chrono::steady_clock::time_point arrived) {
        if (per_chat_interval.count() == 0 || !body.is_object() || !body.contains("chat_id")) return std::nullopt;
        auto const chat = to_int64(body["chat_id"]);
        if (!chat) return std::nullopt;
        auto const last = last_accepted.find(*chat);
        if (last != last_accepted.end() && arrived - last->second < per_chat_interval) {
            answer a = error(429, "Too Many Requests: retry after 1");
            a.body["parameters"] = {{"retry_after", 1}};
            return a;
        }
        last_accepted[*chat] = arrived;
        return std::nullopt;
    }

    answer bot_api(std::string const& method, json const& body, std::vector<form_part> const& files) {
        if (method == "sendMessage") return send_message(body);
        if (method == "sendPhoto" || method == "sendVideo" || method == "sendDocument")
            return send_media(method, body, files);
        if (method == "sendMediaGroup") return send_media_group(body, files);
        if (method == "editMessageCaption") return edit_caption(body);
        if (method == "editMessageText") return edit_message(body, true);
        if (method == "editMessageReplyMarkup") return edit_message(body, false);
        if (method == "answerCallbackQuery") {
            auto const id = body.find("callback_query_id");
            if (id == body.end() || !id->is_string() || id->get_ref<std::string const&>().empty())
                return bad_request("query is too old and response timeout expired or query ID is invalid");
            return ok(true);
        }
        if (method == "setWebhook" || method == "deleteWebhook") return ok(true);
        if (method == "getMe") return ok(bot_user());
        return error(404, "Not Found");
    }

    static std::string canonical(std::string_view method) {
        static constexpr std::string_view known[] = {
            "sendMessage", "editMessageText", "editMessageReplyMarkup", "editMessageCaption", "sendPhoto", "sendVideo",
            "sendDocument", "sendMediaGroup", "answerCallbackQuery", "setWebhook", "deleteWebhook", "getMe"};
        for (auto name : known)
            if (lower(name) == lower(method)) return std::string(name);
        return std::string(method);
    }

    // Decides the answer to one request and records it; a hang is the normal answer, delayed.
    fake_response handle(http_request const& req) {
        auto const arrived = std::chrono::steady_clock::now();
        auto const path = req.path();
        auto [body, body_ok] = read_json_body(req.body);
        std::vector<form_part> files;
        if (auto type = req.header("Content-Type"); type && lower(*type).starts_with("multipart/")) {
            // Text fields become the body; reply_markup and media are JSON-serialised, as Telegram reads them.
            body = json::object();
            auto parts = parse_form(*type, req.body);
            body_ok = parts.has_value();
            for (auto& part : parts.value_or(std::vector<form_part>{})) {
                if (part.filename) {
                    files.push_back(std::move(part));
                    continue;
                }
                auto parsed = json::parse(part.value, nullptr, false);
                if ((part.name == "reply_markup" || part.name == "media") && !parsed.is_discarded())
                    body[part.name] = parsed;
                else
                    body[part.name] = part.value;
            }
        }

        std::string method(path);
        bool routed = false;
        bool token_ok = false;
        if (path.starts_with("/bot")) {
            auto const rest = path.substr(4);
            auto const slash = rest.find('/');
            if (slash != std::string_view::npos && slash + 1 < rest.size()) {
                routed = true;
                token_ok = rest.substr(0, slash) == token;
                method = canonical(rest.substr(slash + 1));
            }
        }

        std::lock_guard lock(mutex);
        answer a;
        std::chrono::milliseconds delay{0};
        if (!routed)
            a = error(404, "Not Found");
        else if (!token_ok)
            a = error(401, "Unauthorized");
        else {
            std::optional<script> s;
            if (!scripts.empty()) {
                s = scripts.front();
                scripts.pop_front();
            }
            if (s && s->kind == script_kind::too_many_requests) {
                a = error(429, "Too Many Requests: retry after " + std::to_string(s->retry_after));
                a.body["parameters"] = {{"retry_after", s->retry_after}};
            } else if (s && s->kind == script_kind::server_error) {
                a = error(500, "Internal Server Error");
            } else if (auto limited = method == "sendMessage" ? over_chat_limit(body, arrived) : std::nullopt) {
                a = *limited;
            } else if (auto r = refusals.find(method);
                       r != refusals.end() && !r->second.empty() &&
                       (!r->second.front().chat ||
                        (body.is_object() && to_int64(body.value("chat_id", json())) == r->second.front().chat))) {
                auto const status = r->second.front().status;
                if (status == 400) {
                    a = bad_request("wrong file identifier/HTTP URL specified");
                } else if (status == 429) {
                    a = error(429, "Too Many Requests: retry after 2");
                    a.body["parameters"] = {{"retry_after", 2}};
                } else {
                    a = error(status, "Internal Server Error");
                }
                r->second.pop_front();
            } else {
                if (s) delay = s->delay;
                a = body_ok ? bot_api(method, body, files) : bad_request("can't parse JSON object");
            }
        }
        log.add({.method = method, .body = body, .at = arrived, .status = a.status, .files = std::move(files)});
        return {.status = a.status,
                .headers = {{"Server", "fake-telegram"}, {"Content-Type", "application/json"}},
                .body = a.body.dump(),
                .delay = delay};
    }
};

fake_telegram::fake_telegram(std::string token) : impl_(std::make_unique<impl>(std::move(token))) {}

fake_telegram::~fake_telegram() = default;

std::uint16_t fake_telegram::port() const { return impl_->server.port(); }

std::string fake_telegram::api_base() const { return impl_->server.base_url(); }

std::string const& fake_telegram::token() const { return impl_->token; }

std::vector<fake_telegram::call> fake_telegram::calls() const { return impl_->log.all(); }

std::vector<fake_telegram::call> fake_telegram::calls(std::string_view method) const {
    return impl_->log.matching([&](call const& c) { return c.method == method; });
}

bool fake_telegram::wait_for(std::function<bool(std::vector<call> const&)> pred, std::chrono::milliseconds timeout) {
    return impl_->log.wait_for(pred, timeout);
}

bool fake_telegram::wait_for_calls(std::string_view method, std::size_t count, std::chrono::milliseconds timeout) {
    return impl_->log.wait_for_count(count, timeout, [&](call const& c) { return c.method == method; });
}

void fake_telegram::fail_next_with_429(int count, int retry_after_seconds) {
    std::lock_guard lock(impl_->mutex);
    for (int i = 0; i < count; ++i)
        impl_->scripts.push_back({.kind = script_kind::too_many_requests, .retry_after = retry_after_seconds});
}

void fake_telegram::fail_next_with_500(int count) {
    std::lock_guard lock(impl_->mutex);
    for (int i = 0; i < count; ++i) impl_->scripts.push_back({.kind = script_kind::server_error});
}

void fake_telegram::hang_next(int count, std::chrono::milliseconds how_long) {
    std::lock_guard lock(impl_->mutex);
    for (int i = 0; i < count; ++i) impl_->scripts.push_back({.kind = script_kind::hang, .delay = how_long});
}

void fake_telegram::refuse_next(std::string method, int count, int status, std::optional<std::int64_t> chat) {
    std::lock_guard lock(impl_->mutex);
    for (int i = 0; i < count; ++i) impl_->refusals[method].push_back({status, chat});
}

void fake_telegram::limit_per_chat(std::chrono::milliseconds interval) {
    std::lock_guard lock(impl_->mutex);
    impl_->per_chat_interval = interval;
}

void fake_telegram::reset() {
    std::lock_guard lock(impl_->mutex);
    impl_->scripts.clear();
    impl_->refusals.clear();
    impl_->log.clear();
}

}  // namespace signoff::test
