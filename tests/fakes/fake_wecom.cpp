#include "fakes/fake_wecom.hpp"

#include "fakes/call_log.hpp"
#include "fakes/fake_http_server.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

namespace signoff::test {

namespace {

using json = nlohmann::json;

constexpr std::size_t max_text_bytes = 2048;
constexpr std::size_t max_task_id_bytes = 128;
constexpr std::size_t max_buttons = 6;
constexpr std::size_t max_key_bytes = 1024;
constexpr int not_found = -404;  // recorded errcode for unknown paths

json answer(int errcode, std::string_view errmsg) { return {{"errcode", errcode}, {"errmsg", errmsg}}; }

std::string_view scripted_message(int errcode) {
    switch (errcode) {
        case -1:
            return "system busy";
        case 45009:
            return "api freq out of limit";
        case 45033:
            return "api concurrent out of limit";
        default:
            return "scripted failure";
    }
}

bool is_task_id(std::string const& s) {
    return !s.empty() && s.size() <= max_task_id_bytes && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '@';
    });
}

bool non_empty_string(json const& j, char const* key) {
    auto const it = j.find(key);
    return it != j.end() && it->is_string() && !it->get_ref<std::string const&>().empty();
}

// Why WeCom would refuse this button_list, or nullopt.
std::optional<std::string_view> button_list_problem(json const& card) {
    auto const list = card.find("button_list");
    if (list == card.end() || !list->is_array() || list->empty() || list->size() > max_buttons)
        return "button_list must hold 1-6 buttons";
    std::set<std::string> keys;
    for (auto const& b : *list) {
        if (!b.is_object() || !non_empty_string(b, "text") || !non_empty_string(b, "key")) return "invalid button";
        auto const& key = b["key"].get_ref<std::string const&>();
        if (key.size() > max_key_bytes) return "button key too long";
        if (!keys.insert(key).second) return "button key repeated";
        if (b.contains("style") && (!b["style"].is_number_integer() || b["style"] < 1 || b["style"] > 4))
            return "invalid button style";
    }
    return std::nullopt;
}

}  // namespace

struct fake_wecom::impl {
    explicit impl(options o) : settings(std::move(o)) {}

    options settings;

    std::mutex mutex;  // guards the state below; held while a request is decided and logged
    std::size_t token_requests = 0;
    std::map<std::string, bool> tokens;  // issued token → still valid
    std::deque<int> scripts;
    std::set<std::string> rejected_users;
    std::set<std::string> task_ids;
    std::map<std::string, bool> response_codes;  // issued code → still unused
    std::int64_t next_token = 1;
    std::int64_t next_msgid = 1;
    std::int64_t next_media_id = 1;
    std::map<std::string, std::string> media;  // uploaded media_id → bytes
    std::int64_t next_response_code = 1;
    call_log<call> log;
    // NB: last, so it stops, and no handler runs, before the state above is destroyed.
    fake_http_server server{[this](http_request const& req) { return handle(req); }};

    // NB: the helpers below are called with `mutex` held.
    std::string new_response_code() {
        auto code = "RC-" + std::to_string(next_response_code++);
        response_codes[code] = true;
        return code;
    }

    json gettoken(http_request const& req) {
        ++token_requests;
        if (req.query("corpid").value_or("") != settings.corp_id) return answer(40013, "invalid corpid");
        if (req.query("corpsecret").value_or("") != settings.corp_secret) return answer(40001, "invalid credential");
        auto token = "TOKEN-" + std::to_string(next_token++);
        tokens[token] = true;
        json a = answer(0, "ok");
        a["access_token"] = token;
        a["expires_in"] = 7200;
        return a;
    }

    std::optional<json> token_problem(std::string const& token) const {
        if (token.empty()) return answer(41001, "access_token missing");
        auto const it = tokens.find(token);
        if (it == tokens.end()) return answer(40014, "invalid access_token");
        if (!it->second) return answer(42001, "access_token expired");
        return std::nullopt;
    }

    std::optional<json> common_problem(json const& body) const {
        if (!body.is_object()) return answer(47001, "data format error");
        auto const agent = body.find("agentid");
        if (agent == body.end() || !agent->is_number_integer() || agent->get<std::int64_t>() != settings.agent_id)
            return answer(40056, "invalid agentid");
        return std::nullopt;
    }

    json send(json const& body) {
        if (auto p = common_problem(body)) return *p;
        if (!non_empty_string(body, "touser")) return answer(40003, "invalid userid");
        if (rejected_users.contains(body["touser"].get<std::string>()))
            return answer(81013, "user & party & tag all invalid");
        auto const type =
            body.value("msgtype", json()).is_string() ? body["msgtype"].get<std::string>() : std::string();
        json a = answer(0, "ok");
        if (type == "text") {
            auto const text = body.value("text", json());
            if (!text.is_object() || !non_empty_string(text, "content")) return answer(44004, "empty content");
            if (text["content"].get_ref<std::string const&>().size() > max_text_bytes)
                return answer(45002, "content size out of limit");
        } else if (type == "template_card") {
            auto const card = body.value("template_card", json());
            if (!card.is_object() || card.value("card_type", json()) != "button_interaction")
                return answer(40058, "invalid card_type");
            auto const task = card.value("task_id", json());
            if (!task.is_string() || !is_task_id(task.get<std::string>())) return answer(40058, "invalid task_id");
            if (task_ids.contains(task.get<std::string>())) return answer(40058, "task_id duplicated");
            if (!card.contains("main_title") && !card.contains("sub_title_text"))
                return answer(40058, "main_title or sub_title_text required");
            if (auto p = button_list_problem(card)) return answer(40058, *p);
            task_ids.insert(task.get<std::string>());
            a["response_code"] = new_response_code();
        } else if (type == "image" || type == "video" || type == "file") {
            auto const m = body.value(type, json());
            if (!m.is_object() || !m.value("media_id", json()).is_string() ||
                !media.contains(m["media_id"].get<std::string>()))
                return answer(40007, "invalid media_id");
        } else if (type == "news") {
            auto const news = body.value("news", json());
            auto const articles = news.is_object() ? news.value("articles", json()) : json();
            if (!articles.is_array() || articles.empty() || articles.size() > 8) return answer(40008, "invalid articles");
            for (auto const& article : articles)
                if (!article.is_object() || !non_empty_string(article, "title") || !non_empty_string(article, "url"))
                    return answer(40008, "invalid article");
        } else {
            return answer(40008, "invalid message type");
        }
        a["msgid"] = std::to_string(next_msgid++);
        return a;
    }

    // media/upload: multipart with one file part "media"; temporary media of `type`.
    json upload(http_request const& req, std::vector<form_part>& files) {
        auto const type = req.query("type").value_or("");
        if (type != "image" && type != "voice" && type != "video" && type != "file")
            return answer(40004, "invalid media type");
        auto const content_type = req.header("Content-Type");
        auto parts = content_type ? parse_form(*content_type, req.body) : std::nullopt;
        if (!parts) return answer(41005, "media data missing");
        for (auto const& p : *parts)
            if (p.filename) files.push_back(p);
        auto const* file = find_part(*parts, "media");
        if (!file || !file->filename || file->value.empty()) return answer(41005, "media data missing");
        if (file->value.size() > (type == "file" ? 20 : 10) * 1024 * 1024) return answer(40006, "invalid file size");
        auto id = "MEDIA-" + std::to_string(next_media_id++);
        media[id] = file->value;
        json a = answer(0, "ok");
        a["type"] = type;
        a["media_id"] = id;
        a["created_at"] = "1380000000";
        return a;
    }

    json update_card(json const& body) {
        if (auto p = common_problem(body)) return *p;
        auto const code = body.value("response_code", json());
        if (!code.is_string()) return answer(40058, "invalid response_code");
        auto const it = response_codes.find(code.get<std::string>());
        if (it == response_codes.end()) return answer(40058, "invalid response_code");
        if (!it->second) return answer(40058, "response_code has been used");
        auto const button = body.value("button", json());
        if (!button.is_object() || !non_empty_string(button, "replace_name")) return answer(40058, "invalid button");
        it->second = false;
        return answer(0, "ok");
    }

    // Decides the answer to one request and records it.
    fake_response handle(http_request const& req) {
        auto const arrived = std::chrono::steady_clock::now();
        std::string const path(req.path());
        std::string api = path.starts_with("/cgi-bin/") ? path.substr(9) : path;

        json body = json::object();
        bool const multipart = req.header("Content-Type").value_or("").starts_with("multipart/");
        if (!req.body.empty() && !multipart) {
            body = json::parse(req.body, nullptr, false);
            if (body.is_discarded()) body = req.body;
        }
        std::vector<form_part> files;
        auto const token = req.query("access_token").value_or("");

        std::lock_guard lock(mutex);
        int status = 200;
        json a;
        if (api == "gettoken") {
            a = gettoken(req);
        } else if (api == "media/upload") {
            if (auto p = token_problem(token)) a = *p;
            else a = upload(req, files);
        } else if (api == "message/send" || api == "message/update_template_card") {
            if (auto p = token_problem(token)) {
                a = *p;
            } else if (!scripts.empty()) {
                a = answer(scripts.front(), scripted_message(scripts.front()));
                scripts.pop_front();
            } else {
                a = api == "message/send" ? send(body) : update_card(body);
            }
        } else {
            api = path;
            status = 404;
            a = answer(not_found, "not found");
        }
        log.add({.api = api,
                 .method = req.method,
                 .access_token = token,
                 .body = body,
                 .errcode = a["errcode"].get<int>(),
                 .at = arrived,
                 .files = std::move(files)});
        return {.status = status,
                .headers = {{"Server", "fake-wecom"}, {"Content-Type", "application/json; charset=UTF-8"}},
                .body = a.dump()};
    }
};

fake_wecom::fake_wecom() : fake_wecom(options{}) {}

std::optional<std::string> fake_wecom::uploaded(std::string const& media_id) const {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->media.find(media_id);
    if (it == impl_->media.end()) return std::nullopt;
    return it->second;
}

fake_wecom::fake_wecom(options o) : impl_(std::make_unique<impl>(std::move(o))) {}

fake_wecom::~fake_wecom() = default;

std::uint16_t fake_wecom::port() const { return impl_->server.port(); }

std::string fake_wecom::api_base() const { return impl_->server.base_url(); }

fake_wecom::options const& fake_wecom::settings() const { return impl_->settings; }

std::vector<fake_wecom::call> fake_wecom::calls() const { return impl_->log.all(); }

std::vector<fake_wecom::call> fake_wecom::calls(std::string_view api) const {
    return impl_->log.matching([&](call const& c) { return c.api == api; });
}

std::size_t fake_wecom::token_requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->token_requests;
}

bool fake_wecom::wait_for(std::function<bool(std::vector<call> const&)> pred, std::chrono::milliseconds timeout) {
    return impl_->log.wait_for(pred, timeout);
}

bool fake_wecom::wait_for_calls(std::string_view api, std::size_t count, std::chrono::milliseconds timeout) {
    return impl_->log.wait_for_count(count, timeout, [&](call const& c) { return c.api == api; });
}

void fake_wecom::expire_tokens() {
    std::lock_guard lock(impl_->mutex);
    for (auto& [token, valid] : impl_->tokens) valid = false;
}

void fake_wecom::fail_next(std::vector<int> errcodes) {
    std::lock_guard lock(impl_->mutex);
    impl_->scripts.insert(impl_->scripts.end(), errcodes.begin(), errcodes.end());
}

void fake_wecom::reject_user(std::string userid) {
    std::lock_guard lock(impl_->mutex);
    impl_->rejected_users.insert(std::move(userid));
}

std::string fake_wecom::issue_response_code() {
    std::lock_guard lock(impl_->mutex);
    return impl_->new_response_code();
}

void fake_wecom::reset() {
    std::lock_guard lock(impl_->mutex);
    impl_->scripts.clear();
    impl_->token_requests = 0;
    impl_->log.clear();
}

}  // namespace signoff::test
