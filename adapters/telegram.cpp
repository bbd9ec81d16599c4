#include "adapters/telegram.hpp"

#include "adapters/telegram_detail.hpp"
#include "bot/core/crypto.hpp"
#include "bot/core/json_fields.hpp"
#include "bot/core/text.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>

namespace signoff::telegram {

namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;
using json_fields::find;
using json_fields::join;
using namespace detail;

constexpr std::string_view channel = "telegram";
constexpr std::string_view ellipsis = "\u2026";  // one UTF-16 code unit
constexpr std::string_view not_modified = "message is not modified";

// Update fields the bot does not act on; any other field is reported as "unknown_update".
constexpr std::array<std::string_view, 21> other_update_kinds = {
    "edited_message",  "channel_post",        "edited_channel_post", "business_connection", "business_message",
    "edited_business_message", "deleted_business_messages", "message_reaction", "message_reaction_count",
    "inline_query",    "chosen_inline_result", "shipping_query",     "pre_checkout_query", "purchased_paid_media",
    "poll",            "poll_answer",         "my_chat_member",      "chat_member",         "chat_join_request",
    "chat_boost",      "removed_chat_boost"};

// What a message without text carries, named in ignored_update::why.
constexpr std::array<std::string_view, 22> content_kinds = {
    "sticker",   "photo",      "video",           "animation",        "audio",         "document",
    "voice",     "video_note", "contact",         "location",         "venue",         "poll",
    "dice",      "game",       "story",           "invoice",          "paid_media",    "new_chat_members",
    "left_chat_member", "new_chat_title", "new_chat_photo", "pinned_message"};

// ---- strict field access: a missing or mistyped required field is a parse_error --------------

[[noreturn]] void fail(std::string const& path, std::string_view what) {
    throw parse_error("telegram update: " + path + ": " + std::string(what));
}

constexpr json_fields::reader fields{fail};

// ---- the parts of an Update that signoff reads ---------------------------------------------

struct user {
    std::int64_t id = 0;
    bool is_bot = false;
    std::optional<std::string> language_code;
};

struct chat_ref {
    std::int64_t id = 0;
    std::string type;
};

// A Message, or an InaccessibleMessage (chat, message_id, date 0) inside a callback query.
struct message {
    std::int64_t message_id = 0;
    chat_ref chat;
    std::optional<user> from;
    std::optional<std::string> text;
    std::optional<std::int64_t> reply_to;
    std::string_view content;  // the first of content_kinds present, or ""
};

struct callback_query {
    std::string id;
    user from;
    std::optional<message> msg;
    std::optional<std::string> data;
    bool game = false;
};

user read_user(json const& j, std::string const& path) {
    fields.as_object(j, path);
    auto const is_bot = fields.as_bool(fields.required(j, "is_bot", path), join(path, "is_bot"));
    return {.id = fields.int_field(j, "id", path),
            .is_bot = is_bot,
            .language_code = fields.optional_string(j, "language_code", path)};
}

chat_ref read_chat(json const& j, std::string const& path) {
    fields.as_object(j, path);
    return {.id = fields.int_field(j, "id", path), .type = fields.string_field(j, "type", path)};
}

message read_message(json const& j, std::string const& path) {
    fields.as_object(j, path);
    auto const message_id = fields.int_field(j, "message_id", path);
    auto chat = read_chat(fields.required(j, "chat", path), join(path, "chat"));
    fields.int_field(j, "date", path);  // required in Message and InaccessibleMessage alike
    std::optional<user> from;
    if (auto const* f = find(j, "from")) from = read_user(*f, join(path, "from"));
    auto text = fields.optional_string(j, "text", path);
    std::optional<std::int64_t> reply_to;
    if (auto const* quoted = find(j, "reply_to_message")) {
        fields.as_object(*quoted, join(path, "reply_to_message"));
        reply_to = fields.int_field(*quoted, "message_id", join(path, "reply_to_message"));
    }
    std::string_view content;
    for (auto kind : content_kinds)
        if (j.contains(kind)) {
            content = kind;
            break;
        }
    return {.message_id = message_id,
            .chat = std::move(chat),
            .from = std::move(from),
            .text = std::move(text),
            .reply_to = reply_to,
            .content = content};
}

callback_query read_callback_query(json const& j, std::string const& path) {
    fields.as_object(j, path);
    auto id = fields.string_field(j, "id", path);
    auto from = read_user(fields.required(j, "from", path), join(path, "from"));
    std::optional<message> msg;
    if (auto const* m = find(j, "message")) msg = read_message(*m, join(path, "message"));
    return {.id = std::move(id),
            .from = std::move(from),
            .msg = std::move(msg),
            .data = fields.optional_string(j, "data", path),
            .game = j.contains("game_short_name")};
}

chat::ignored_update ignored(std::string const& dedupe_key, std::string_view why) {
    return {.channel = std::string(channel), .dedupe_key = dedupe_key, .why = std::string(why)};
}

chat::inbound_event from_message(message const& m, std::string const& dedupe_key) {
    if (!m.from) return ignored(dedupe_key, "no_sender");  // anonymous group admin (sender_chat)
    if (m.from->is_bot) return ignored(dedupe_key, "from_bot");
    if (!m.text) return ignored(dedupe_key, m.content.empty() ? "no_text" : m.content);
    return chat::inbound_message{
        .channel = std::string(channel),
        .dedupe_key = dedupe_key,
        .sender = std::to_string(m.from->id),
        .chat = std::to_string(m.chat.id),
        .message_id = std::to_string(m.message_id),
        .text = *m.text,
        .reply_to = m.reply_to ? std::optional{std::to_string(*m.reply_to)} : std::nullopt,
        .private_chat = m.chat.type == "private",
        .language = m.from->language_code,
    };
}

chat::inbound_event from_callback_query(callback_query const& q, std::string const& dedupe_key) {
    if (!q.data) return ignored(dedupe_key, q.game ? "callback_game" : "callback_without_data");
    if (!q.msg) return ignored(dedupe_key, "inline_message");  // inline mode: no chat to answer in
    return chat::button_press{
        .channel = std::string(channel),
        .dedupe_key = dedupe_key,
        .sender = std::to_string(q.from.id),
        .chat = std::to_string(q.msg->chat.id),
        .callback_id = q.id,
        .message_id = std::to_string(q.msg->message_id),
        .data = *q.data,
        .language = q.from.language_code,
    };
}

// ---- rendering -----------------------------------------------------------------------------

std::optional<std::int64_t> parse_int64(std::string_view s) {
    std::int64_t value = 0;
    auto const [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return value;
}

std::int64_t message_id_of(std::string const& id, char const* what) {
    auto const value = parse_int64(id);
    if (!value) throw std::invalid_argument(std::string("telegram: ") + what + " is not an integer message id");
    return *value;
}

}  // namespace

namespace detail {

// Telegram takes an integer chat id or "@channelusername".
ordered_json chat_id_of(std::string const& to) {
    if (auto const id = parse_int64(to)) return *id;
    return to;
}

// At most `max_units` UTF-16 code units, cut between grapheme clusters with "…" when too long.
std::string fit_utf16(std::string const& s, std::size_t max_units) {
    if (!text::is_valid_utf8(s)) throw std::invalid_argument("telegram: text is not valid UTF-8");
    return text::cut_with_ellipsis(s, max_units, text::unit::utf16, ellipsis);
}

ordered_json keyboard(std::vector<std::vector<chat::button>> const& rows) {
    auto grid = ordered_json::array();
    for (auto const& row : rows) {
        auto line = ordered_json::array();
        for (auto const& b : row) {
            if (b.data.empty() || b.data.size() > max_callback_data_bytes)
                throw std::invalid_argument("telegram: callback data must be 1-64 bytes, got " +
                                            std::to_string(b.data.size()));
            line.push_back({{"text", b.label}, {"callback_data", b.data}});
        }
        grid.push_back(std::move(line));
    }
    return {{"inline_keyboard", std::move(grid)}};
}

http_call api_call(config::telegram_config const& cfg, std::string_view method, ordered_json const& body) {
    std::string_view base = cfg.api_base;
    if (base.ends_with('/')) base.remove_suffix(1);
    return {.method = "POST",
            .url = std::string(base) + "/bot" + cfg.bot_token + "/" + std::string(method),
            .headers = {{"Content-Type", "application/json"}},
            .body = body.dump()};
}

}  // namespace detail

namespace {

chat::send_result verdict(chat::send_result::outcome outcome, std::string error) {
    return {.result = outcome, .message_id = std::nullopt, .retry_after = std::nullopt, .error = std::move(error)};
}

}  // namespace

bool verify(http_request const& req, config::telegram_config const& cfg) {
    if (cfg.secret_token.empty()) return false;
    auto const given = req.header(secret_header);
    return given && crypto::constant_time_equals(*given, cfg.secret_token);
}

chat::inbound_event parse_update(std::string_view body) {
    json update;
    try {
        update = json::parse(body);  // NB: rejects invalid UTF-8 and unpaired surrogate escapes
    } catch (json::parse_error const& e) {
        // NB: not e.what(), which quotes body bytes that may be invalid UTF-8.
        throw parse_error("telegram update: malformed JSON at byte " + std::to_string(e.byte));
    } catch (json::out_of_range const&) {
        // A number too large for a double ("1e999") is thrown as out_of_range, not parse_error.
        throw parse_error("telegram update: malformed JSON: a number out of range");
    }
    fields.as_object(update, "update");
    auto const dedupe_key = "update:" + std::to_string(fields.int_field(update, "update_id", ""));

    if (auto const* m = find(update, "message")) return from_message(read_message(*m, "message"), dedupe_key);
    if (auto const* q = find(update, "callback_query"))
        return from_callback_query(read_callback_query(*q, "callback_query"), dedupe_key);
    for (auto kind : other_update_kinds)
        if (update.contains(kind)) return ignored(dedupe_key, kind);
    return ignored(dedupe_key, "unknown_update");
}

http_call render_message(chat::outbound_message const& m, config::telegram_config const& cfg) {
    bool const keep_keyboard = !m.buttons.empty() && !m.remove_buttons;
    ordered_json body{{"chat_id", chat_id_of(m.to)}};
    if (m.edit_message_id) {
        body["message_id"] = message_id_of(*m.edit_message_id, "edit_message_id");
        if (m.text.empty()) {  // keyboard only; no reply_markup removes it
            if (keep_keyboard) body["reply_markup"] = keyboard(m.buttons);
            return api_call(cfg, "editMessageReplyMarkup", body);
        }
        body["text"] = fit_utf16(m.text, max_text_units);
        if (keep_keyboard) body["reply_markup"] = keyboard(m.buttons);
        return api_call(cfg, "editMessageText", body);
    }
    if (m.text.empty()) throw std::invalid_argument("telegram: cannot send an empty message");
    body["text"] = fit_utf16(m.text, max_text_units);
    if (m.reply_to)
        body["reply_parameters"] = {{"message_id", message_id_of(*m.reply_to, "reply_to")},
                                    {"allow_sending_without_reply", true}};
    if (keep_keyboard) body["reply_markup"] = keyboard(m.buttons);
    return api_call(cfg, "sendMessage", body);
}

http_call render_press_answer(chat::press_answer const& a, config::telegram_config const& cfg) {
    ordered_json body{{"callback_query_id", a.callback_id}};
    if (!a.text.empty()) body["text"] = fit_utf16(a.text, max_press_answer_units);
    return api_call(cfg, "answerCallbackQuery", body);
}

chat::send_result read_send_result(int status, std::string_view body) {
    using outcome = chat::send_result::outcome;
    bool const success = status >= 200 && status < 300;
    bool const server_error = status >= 500 && status < 600;
    auto const http = "HTTP " + std::to_string(status);

    auto const answer = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!answer.is_object()) {
        if (server_error || status == 429) return verdict(outcome::retry, http + " with an unreadable body");
        return verdict(outcome::give_up, http + " with an unreadable body");
    }

    auto const ok = answer.find("ok");
    if (success && ok != answer.end() && ok->is_boolean() && ok->get<bool>()) {
        chat::send_result sent = verdict(outcome::sent, "");
        auto const result = answer.find("result");
        if (result != answer.end() && result->is_object()) {
            auto const id = result->find("message_id");
            if (id != result->end() && id->is_number_integer()) sent.message_id = id->dump();
        }
        return sent;
    }

    std::string description = http;
    if (auto const d = answer.find("description"); d != answer.end() && d->is_string()) description = d->get<std::string>();
    std::optional<std::chrono::seconds> retry_after;
    if (auto const p = answer.find("parameters"); p != answer.end() && p->is_object())
        if (auto const r = p->find("retry_after"); r != p->end() && r->is_number_integer() && r->get<std::int64_t>() >= 0)
            retry_after = std::chrono::seconds{r->get<std::int64_t>()};

    if (retry_after || status == 429 || server_error) {
        auto r = verdict(outcome::retry, description);
        r.retry_after = retry_after;
        return r;
    }
    if (status == 400 && description.find(not_modified) != std::string::npos) return verdict(outcome::sent, "");
    return verdict(outcome::give_up, description);
}

}  // namespace signoff::telegram
