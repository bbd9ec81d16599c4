#include "adapters/wecom.hpp"

#include "bot/core/text.hpp"
#include "bot/core/url.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <unordered_set>
#include <vector>

namespace signoff::wecom {

namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

constexpr std::string_view ellipsis = "\u2026";  // 3 bytes, 1 code point
constexpr std::size_t max_errmsg_bytes = 200;    // errmsg kept in error texts

// ---- rendering -----------------------------------------------------------------------------

std::string base_of(config::wecom_config const& cfg) {
    std::string_view base = cfg.api_base;
    while (base.ends_with('/')) base.remove_suffix(1);
    return std::string(base);
}

http_call api_post(config::wecom_config const& cfg, std::string_view path, std::string const& access_token,
                                ordered_json const& body) {
    return {.method = "POST",
            .url = base_of(cfg) + std::string(path) + "?access_token=" + percent_encode(access_token),
            .headers = {{"Content-Type", "application/json"}},
            .body = body.dump()};
}

void require_utf8(std::string const& s, char const* what) {
    if (!text::is_valid_utf8(s)) throw std::invalid_argument(std::string("wecom: ") + what + " is not valid UTF-8");
}

// The longest prefix of whole grapheme clusters within `max_bytes`, "…" included when cut.
std::string fit_bytes(std::string const& s, std::size_t max_bytes) {
    return text::cut_with_ellipsis(s, max_bytes, text::unit::bytes, ellipsis);
}


// At most `max` code points, cut between grapheme clusters with "…" when too long.
std::string fit_chars(std::string const& s, std::size_t max) {
    return text::cut_with_ellipsis(s, max, text::unit::code_points, ellipsis);
}

bool is_task_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '@';
}

std::vector<chat::button> flat_buttons(chat::outbound_message const& m) {
    std::vector<chat::button> out;
    for (auto const& row : m.buttons) out.insert(out.end(), row.begin(), row.end());
    return out;
}

ordered_json card(chat::outbound_message const& m, std::vector<chat::button> const& buttons, std::string task_id) {
    std::string text = m.text;
    text.erase(0, text.find_first_not_of("\r\n"));
    auto const newline = text.find('\n');
    std::string first = text.substr(0, newline);
    if (first.ends_with('\r')) first.pop_back();
    auto const title = fit_chars(first, max_title_chars);
    std::string rest;
    if (title != first)
        rest = text;  // the title lost words: show the whole text below it
    else if (newline != std::string::npos)
        rest = text.substr(newline + 1);
    rest.erase(0, rest.find_first_not_of("\r\n"));

    ordered_json c{{"card_type", "button_interaction"}, {"main_title", {{"title", title}}}};
    if (!rest.empty()) c["sub_title_text"] = fit_chars(rest, max_sub_title_chars);
    c["task_id"] = std::move(task_id);
    auto list = ordered_json::array();
    std::unordered_set<std::string> keys;
    for (auto const& b : buttons) {
        if (b.label.empty()) throw std::invalid_argument("wecom: a button has no label");
        require_utf8(b.label, "a button label");
        if (b.data.empty() || b.data.size() > max_button_key_bytes)
            throw std::invalid_argument("wecom: button key must be 1-1024 bytes, got " + std::to_string(b.data.size()));
        require_utf8(b.data, "a button key");
        if (!keys.insert(b.data).second) throw std::invalid_argument("wecom: two buttons share a key");
        list.push_back({{"text", b.label}, {"style", list.empty() ? 1 : 2}, {"key", b.data}});
    }
    c["button_list"] = std::move(list);
    return c;
}

chat::send_result verdict(chat::send_result::outcome outcome, std::string error) {
    return {.result = outcome, .message_id = std::nullopt, .retry_after = std::nullopt, .error = std::move(error)};
}

// "errcode N: errmsg", the errmsg cut short; WeCom's errmsg never echoes the token or secret.
std::string describe(std::int64_t code, json const& answer) {
    std::string out = "errcode " + std::to_string(code);
    if (auto const m = answer.find("errmsg");
        m != answer.end() && m->is_string() && !m->get_ref<std::string const&>().empty())
        out += ": " + fit_bytes(m->get<std::string>(), max_errmsg_bytes);
    return out;
}

std::optional<std::int64_t> errcode_of(json const& answer) {
    if (!answer.is_object()) return std::nullopt;
    auto const code = answer.find("errcode");
    if (code == answer.end() || !code->is_number_integer()) return std::nullopt;
    return code->get<std::int64_t>();
}

bool is_busy(std::int64_t code) { return code == -1 || code == 45009 || code == 45033; }
bool is_token_error(std::int64_t code) { return code == 40014 || code == 42001 || code == 41001; }
bool is_transient_status(int status) { return status == 429 || (status >= 500 && status < 600); }
}  // namespace

// ---- server API -----------------------------------------------------------------------------

http_call render_gettoken(config::wecom_config const& cfg) {
    return {.method = "GET",
            .url = base_of(cfg) + "/cgi-bin/gettoken?corpid=" + percent_encode(cfg.corp_id) +
                   "&corpsecret=" + percent_encode(cfg.corp_secret),
            .headers = {},
            .body = {}};
}

token_result read_token(int status, std::string_view body) {
    auto const http = "HTTP " + std::to_string(status);
    if (status < 200 || status >= 300) return {.error = http, .retry = is_transient_status(status)};
    auto const answer = json::parse(body, nullptr, /*allow_exceptions=*/false);
    auto const code = errcode_of(answer);
    if (!code) return {.error = http + " with an unreadable body"};
    if (*code != 0) return {.error = describe(*code, answer), .retry = is_busy(*code)};
    auto const token = answer.find("access_token");
    auto const expires = answer.find("expires_in");
    if (token == answer.end() || !token->is_string() || token->get_ref<std::string const&>().empty() ||
        expires == answer.end() || !expires->is_number_integer() || expires->get<std::int64_t>() <= 0 ||
        expires->get<std::int64_t>() > std::numeric_limits<int>::max())
        return {.error = "gettoken answer without access_token or expires_in"};
    return {.token = token->get<std::string>(), .expires_in = static_cast<int>(expires->get<std::int64_t>())};
}

std::string task_id_for(chat::outbound_message const& m, std::string_view task_suffix) {
    if (task_suffix.empty() || task_suffix.size() > max_task_suffix_bytes ||
        !std::all_of(task_suffix.begin(), task_suffix.end(), is_task_char))
        throw std::invalid_argument("wecom: task suffix must be 1-64 characters of [A-Za-z0-9_@-]");
    auto const buttons = flat_buttons(m);
    if (buttons.empty()) throw std::invalid_argument("wecom: a task id needs a button");
    std::string id = buttons.front().data.substr(0, max_task_id_bytes - 1 - task_suffix.size());
    std::replace_if(
        id.begin(), id.end(), [](char c) { return !is_task_char(c); }, '_');
    return id + "-" + std::string(task_suffix);
}

http_call render_message(chat::outbound_message const& m, config::wecom_config const& cfg,
                                      std::string const& access_token, std::string const& task_suffix) {
    if (m.edit_message_id)
        throw std::invalid_argument("wecom: a sent message cannot be edited; use render_card_update");
    if (m.to.empty()) throw std::invalid_argument("wecom: no recipient");
    require_utf8(m.text, "text");
    if (m.text.find_first_not_of("\r\n") == std::string::npos)
        throw std::invalid_argument("wecom: cannot send an empty message");

    ordered_json body{{"touser", m.to}};
    auto const buttons = flat_buttons(m);
    if (buttons.empty()) {
        body["msgtype"] = "text";
        body["agentid"] = cfg.agent_id;
        body["text"] = {{"content", fit_bytes(m.text, max_text_bytes)}};
        return api_post(cfg, "/cgi-bin/message/send", access_token, body);
    }
    if (buttons.size() > max_buttons)
        throw std::invalid_argument("wecom: at most 6 buttons, got " + std::to_string(buttons.size()));
    body["msgtype"] = "template_card";
    body["agentid"] = cfg.agent_id;
    body["template_card"] = card(m, buttons, task_id_for(m, task_suffix));
    return api_post(cfg, "/cgi-bin/message/send", access_token, body);
}

http_call render_card_update(std::string const& userid, std::string const& response_code,
                                          std::string const& replace_name, config::wecom_config const& cfg,
                                          std::string const& access_token) {
    if (userid.empty()) throw std::invalid_argument("wecom: no user to update the card for");
    if (response_code.empty()) throw std::invalid_argument("wecom: no response code");
    if (replace_name.empty()) throw std::invalid_argument("wecom: empty replace_name");
    require_utf8(replace_name, "replace_name");
    ordered_json const body{{"userids", {userid}},
                            {"agentid", cfg.agent_id},
                            {"response_code", response_code},
                            {"button", {{"replace_name", replace_name}}}};
    return api_post(cfg, "/cgi-bin/message/update_template_card", access_token, body);
}

chat::send_result read_send_result(int status, std::string_view body) {
    using outcome = chat::send_result::outcome;
    auto const http = "HTTP " + std::to_string(status);
    if (status < 200 || status >= 300)
        return verdict(is_transient_status(status) ? outcome::retry : outcome::give_up, http);
    auto const answer = json::parse(body, nullptr, /*allow_exceptions=*/false);
    auto const code = errcode_of(answer);
    if (!code) return verdict(outcome::give_up, http + " with an unreadable body");
    if (*code == 0) {
        auto sent = verdict(outcome::sent, "");
        if (auto const id = answer.find("msgid"); id != answer.end()) {
            if (id->is_string() && !id->get_ref<std::string const&>().empty()) sent.message_id = id->get<std::string>();
            if (id->is_number_integer()) sent.message_id = id->dump();
        }
        return sent;
    }
    if (is_busy(*code)) return verdict(outcome::retry, describe(*code, answer));
    if (is_token_error(*code)) {
        auto refused = verdict(outcome::give_up, "token:" + std::to_string(*code));
        refused.credential_rejected = true;
        return refused;
    }
    return verdict(outcome::give_up, describe(*code, answer));
}
}  // namespace signoff::wecom
