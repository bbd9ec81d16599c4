#include "adapters/whatsapp.hpp"

#include "bot/core/json_fields.hpp"
#include "bot/core/text.hpp"

#include <nlohmann/json.hpp>
#include <utf8proc.h>

#include <array>
#include <cstdint>
#include <set>
#include <utility>

namespace signoff::whatsapp {

namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;
using json_fields::find;

constexpr std::string_view ellipsis = "\u2026";     // one UTF-16 code unit
constexpr std::size_t max_error_code_points = 300;  // send_result::error
constexpr std::size_t max_template_spaces = 4;      // Graph error 132018 beyond this

// ---- text layout: code points with UTF-16 positions and grapheme cluster breaks -------------

struct layout {
    std::string_view text;
    std::vector<std::size_t> at;     // byte offset of code point i; at[n] = text.size()
    std::vector<std::size_t> units;  // UTF-16 code units before code point i; units[n] = the total
    std::vector<bool> starts;        // a grapheme cluster starts at i; true at 0 and n
    std::size_t size() const { return at.size() - 1; }
    std::size_t total() const { return units.back(); }
    std::string_view slice(std::size_t from, std::size_t to) const { return text.substr(at[from], at[to] - at[from]); }
};

layout lay_out(std::string_view s, std::string_view what) {
    if (!text::is_valid_utf8(s)) throw std::invalid_argument("whatsapp: " + std::string(what) + " is not valid UTF-8");
    layout l{.text = s, .at = {}, .units = {}, .starts = {}};
    auto const* bytes = reinterpret_cast<utf8proc_uint8_t const*>(s.data());
    auto const size = static_cast<utf8proc_ssize_t>(s.size());
    utf8proc_int32_t previous = -1;
    utf8proc_int32_t state = 0;
    std::size_t units = 0;
    for (utf8proc_ssize_t i = 0; i < size;) {
        utf8proc_int32_t cp = 0;
        auto const n = utf8proc_iterate(bytes + i, size - i, &cp);
        l.at.push_back(static_cast<std::size_t>(i));
        l.units.push_back(units);
        l.starts.push_back(previous < 0 || utf8proc_grapheme_break_stateful(previous, cp, &state));
        units += cp >= 0x10000 ? 2 : 1;
        previous = cp;
        i += n;
    }
    l.at.push_back(s.size());
    l.units.push_back(units);
    l.starts.push_back(true);
    return l;
}

// The furthest cluster start after `from` (up to `to`) within `limit` units of it. When not even
// one cluster fits (a pathological run of combining marks), the furthest code point instead.
std::size_t fit_end(layout const& l, std::size_t from, std::size_t to, std::size_t limit) {
    std::size_t best = from;
    std::size_t any = from;
    for (std::size_t k = from + 1; k <= to && l.units[k] - l.units[from] <= limit; ++k) {
        any = k;
        if (l.starts[k]) best = k;
    }
    if (best == from) best = any;
    return best == from ? from + 1 : best;
}

// Code points of the separator cluster at i: a lone ' ' when `sep` is ' ', a lone "\n" or
// "\r\n" when it is '\n'; 0 when the cluster at i is something else.
std::size_t separator_at(layout const& l, std::size_t i, char sep) {
    if (i >= l.size() || !l.starts[i]) return 0;
    auto const c = l.text[l.at[i]];
    std::size_t n = 0;
    if (c == sep)
        n = 1;
    else if (sep == '\n' && c == '\r' && i + 1 < l.size() && l.text[l.at[i + 1]] == '\n')
        n = 2;
    return n > 0 && l.starts[i + n] ? n : 0;
}

constexpr std::array<char, 2> separators = {'\n', ' '};  // in order of preference

// [from, to) in parts of at most `limit` units, each cut at the last line break, else the last
// space, in its second half, else at the furthest cluster boundary; separators are dropped.
std::vector<std::string_view> split_forward(layout const& l, std::size_t from, std::size_t to, std::size_t limit) {
    std::vector<std::string_view> parts;
    while (from < to) {
        if (l.units[to] - l.units[from] <= limit) {
            parts.push_back(l.slice(from, to));
            break;
        }
        auto const end = fit_end(l, from, to, limit);
        auto cut = end;
        auto next = end;
        bool found = false;
        for (auto const sep : separators)
            for (auto j = end; !found && j > from && l.units[j] - l.units[from] >= limit / 2; --j)
                if (auto const n = separator_at(l, j, sep)) {
                    cut = j;
                    next = j + n;
                    found = true;
                }
        parts.push_back(l.slice(from, cut));
        from = next;
    }
    return parts;
}

// Where the last part of at most `limit` units starts: {end of the text before, start of the
// part}. It starts after the first line break, else space, that leaves it at least half of
// `limit`, else at the earliest cluster boundary that fits.
std::pair<std::size_t, std::size_t> tail_start(layout const& l, std::size_t limit) {
    auto const n = l.size();
    std::size_t fits = n;
    for (std::size_t j = n; j-- > 0 && l.total() - l.units[j] <= limit;)
        if (l.starts[j]) fits = j;
    if (fits == n)  // the last cluster alone is too long: the earliest code point that fits
        for (fits = n - 1; fits > 0 && l.total() - l.units[fits - 1] <= limit;) --fits;
    for (auto const sep : separators)
        for (std::size_t j = fits >= 2 ? fits - 2 : 0; j < n; ++j) {
            auto const len = separator_at(l, j, sep);
            if (len == 0 || j + len < fits) continue;
            if (j + len >= n || l.total() - l.units[j + len] < limit / 2) break;
            return {j, j + len};
        }
    return {fits, fits};
}

// `s` cut to `limit` units with "…" when it is longer, trailing spaces before "…" dropped.
std::string fit_with_ellipsis(std::string_view s, std::size_t limit, std::string_view what) {
    if (!text::is_valid_utf8(s)) throw std::invalid_argument("whatsapp: " + std::string(what) + " is not valid UTF-8");
    auto cut = text::cut_with_ellipsis(s, limit, text::unit::utf16, ellipsis);
    if (cut.size() == s.size() || !cut.ends_with(ellipsis)) return cut;
    auto kept = std::string_view(cut).substr(0, cut.size() - ellipsis.size());
    while (!kept.empty() && kept.back() == ' ') kept.remove_suffix(1);
    return std::string(kept) + std::string(ellipsis);
}

// ---- rendering -----------------------------------------------------------------------------

struct reply_button {
    std::string id;
    std::string title;
};

std::vector<reply_button> reply_buttons(std::vector<std::vector<chat::button>> const& rows) {
    std::vector<reply_button> out;
    std::set<std::string> ids, titles;
    for (auto const& row : rows)
        for (auto const& b : row) {
            if (out.size() == max_buttons) return out;
            auto const id_units = lay_out(b.data, "button data").total();
            if (id_units == 0 || id_units > max_button_id_units)
                throw std::invalid_argument("whatsapp: button data must be 1-256 characters, got " +
                                            std::to_string(id_units));
            if (b.label.empty()) throw std::invalid_argument("whatsapp: a button needs a label");
            auto title = fit_with_ellipsis(b.label, max_button_title_units, "button label");
            if (!ids.insert(b.data).second) throw std::invalid_argument("whatsapp: two buttons with the same data");
            if (!titles.insert(title).second)
                throw std::invalid_argument("whatsapp: two buttons titled \"" + title + "\"");
            out.push_back({.id = b.data, .title = std::move(title)});
        }
    return out;
}

ordered_json envelope(std::string const& to, std::optional<std::string> const& context) {
    ordered_json body{{"messaging_product", "whatsapp"}, {"recipient_type", "individual"}, {"to", to}};
    if (context) body["context"] = {{"message_id", *context}};
    return body;
}

ordered_json text_body(std::string const& to, std::optional<std::string> const& context, std::string_view text) {
    auto body = envelope(to, context);
    body["type"] = "text";
    body["text"] = {{"preview_url", false}, {"body", std::string(text)}};
    return body;
}

ordered_json interactive_body(std::string const& to, std::optional<std::string> const& context, std::string_view text,
                              std::vector<reply_button> const& buttons) {
    auto list = ordered_json::array();
    for (auto const& b : buttons) list.push_back({{"type", "reply"}, {"reply", {{"id", b.id}, {"title", b.title}}}});
    auto body = envelope(to, context);
    body["type"] = "interactive";
    body["interactive"] = {
        {"type", "button"}, {"body", {{"text", std::string(text)}}}, {"action", {{"buttons", std::move(list)}}}};
    return body;
}

http_call api_call(config::whatsapp_config const& cfg, ordered_json const& body) {
    std::string_view base = cfg.api_base;
    while (base.ends_with('/')) base.remove_suffix(1);
    return {.method = "POST",
            .url = std::string(base) + "/" + cfg.phone_number_id + "/messages",
            .headers = {{"Authorization", "Bearer " + cfg.access_token}, {"Content-Type", "application/json"}},
            .body = body.dump()};
}

// A template text parameter as Graph accepts it: no newlines or tabs, at most four spaces in a row.
std::string template_parameter(std::string_view s) {
    if (!text::is_valid_utf8(s)) throw std::invalid_argument("whatsapp: template parameter is not valid UTF-8");
    std::string out;
    std::size_t spaces = 0;
    for (char c : s) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
        spaces = c == ' ' ? spaces + 1 : 0;
        if (spaces <= max_template_spaces) out.push_back(c);
    }
    return out;
}

// ---- send results --------------------------------------------------------------------------

constexpr std::array<std::int64_t, 5> rate_limit_codes = {130429, 131056, 80007, 4, 613};
constexpr std::array<std::int64_t, 4> temporary_codes = {1, 2, 131000, 131016};
constexpr std::array<std::int64_t, 5> permanent_codes = {0, 190, 100, 131026, 131051};

bool one_of(auto const& codes, std::int64_t code) {
    for (auto c : codes)
        if (c == code) return true;
    return false;
}

chat::send_result verdict(chat::send_result::outcome outcome, std::string const& error) {
    chat::send_result r;
    r.result = outcome;
    r.error = text::truncate_code_points(error, max_error_code_points);
    return r;
}

std::string string_or_empty(json const& o, std::string_view key) {
    auto const* value = find(o, key);
    return value && value->is_string() ? value->get<std::string>() : std::string();
}

chat::send_result from_error(int status, json const& e) {
    using outcome = chat::send_result::outcome;
    bool const retryable_status = status == 429 || (status >= 500 && status < 600);
    auto const* code_value = find(e, "code");
    std::optional<std::int64_t> code;
    if (code_value && code_value->is_number_integer()) code = code_value->get<std::int64_t>();

    auto message = string_or_empty(e, "message");
    if (auto const* data = find(e, "error_data"); data && data->is_object())
        if (auto details = string_or_empty(*data, "details"); !details.empty() && details != message)
            message += message.empty() ? details : " (" + details + ")";
    std::string text = code ? std::to_string(*code) : "HTTP " + std::to_string(status);
    if (code && (*code == 190 || *code == 0)) {
        // NB: Graph may quote a malformed token back in the message; never keep it.
        text += ": the access token was rejected";
        if (auto const* sub = find(e, "error_subcode"); sub && sub->is_number_integer())
            text += " (subcode " + sub->dump() + ")";
    } else if (!message.empty()) {
        text += ": " + message;
    }

    if (code && *code == window_closed_code) {
        auto r = verdict(outcome::give_up, text);
        r.window_closed = true;
        return r;
    }
    if (code && (one_of(rate_limit_codes, *code) || one_of(temporary_codes, *code)))
        return verdict(outcome::retry, text);
    if (code && one_of(permanent_codes, *code)) return verdict(outcome::give_up, text);
    return verdict(retryable_status ? outcome::retry : outcome::give_up, text);
}
}  // namespace

std::vector<http_call> render_message(chat::outbound_message const& m,
                                                   config::whatsapp_config const& cfg) {
    if (m.to.empty()) throw std::invalid_argument("whatsapp: no recipient");
    bool const edit = m.edit_message_id.has_value();
    if (m.text.empty()) {
        if (edit) return {};  // a keyboard-only edit: nothing WhatsApp can do
        throw std::invalid_argument("whatsapp: cannot send an empty message");
    }
    auto const l = lay_out(m.text, "text");
    auto const buttons = edit ? std::vector<reply_button>{} : reply_buttons(m.buttons);

    // [0, head_end) goes as text messages, [tail_begin, n) as the interactive body.
    std::size_t head_end = l.size();
    std::size_t tail_begin = l.size();
    if (!buttons.empty()) {
        if (l.total() <= max_interactive_body_units)
            head_end = tail_begin = 0;
        else
            std::tie(head_end, tail_begin) = tail_start(l, max_interactive_body_units);
    }

    auto context = edit ? m.edit_message_id : m.reply_to;
    std::vector<http_call> out;
    for (auto const part : split_forward(l, 0, head_end, max_text_units)) {
        out.push_back(api_call(cfg, text_body(m.to, context, part)));
        context.reset();
    }
    if (!buttons.empty())
        out.push_back(api_call(cfg, interactive_body(m.to, context, l.slice(tail_begin, l.size()), buttons)));
    return out;
}

http_call render_template(chat::template_message const& t, config::whatsapp_config const& cfg) {
    if (t.to.empty()) throw std::invalid_argument("whatsapp: no recipient");
    bool const fallback = t.name.empty();
    auto const& name = fallback ? cfg.message_template.name : t.name;
    auto const& language = fallback ? cfg.message_template.language : t.language;
    if (name.empty()) throw std::invalid_argument("whatsapp: no template configured");

    auto components = ordered_json::array();
    if (!t.body_params.empty()) {
        auto parameters = ordered_json::array();
        for (auto const& p : t.body_params) parameters.push_back({{"type", "text"}, {"text", template_parameter(p)}});
        components.push_back({{"type", "body"}, {"parameters", std::move(parameters)}});
    }
    for (std::size_t i = 0; i < t.button_payloads.size(); ++i)
        components.push_back({{"type", "button"},
                              {"sub_type", "quick_reply"},
                              {"index", std::to_string(i)},
                              {"parameters", {{{"type", "payload"}, {"payload", t.button_payloads[i]}}}}});
    ordered_json tmpl{{"name", name}, {"language", {{"code", language}}}};
    if (!components.empty()) tmpl["components"] = std::move(components);

    auto body = envelope(t.to, std::nullopt);
    body["type"] = "template";
    body["template"] = std::move(tmpl);
    return api_call(cfg, body);
}

chat::send_result read_send_result(int status, std::string_view body) {
    using outcome = chat::send_result::outcome;
    bool const success = status >= 200 && status < 300;
    bool const retryable_status = status == 429 || (status >= 500 && status < 600);
    auto const http = "HTTP " + std::to_string(status);

    auto const answer = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!answer.is_object())
        return verdict(retryable_status ? outcome::retry : outcome::give_up, http + " with an unreadable body");
    if (auto const* e = find(answer, "error"); e && e->is_object()) return from_error(status, *e);
    if (!success)
        return verdict(retryable_status ? outcome::retry : outcome::give_up, http + " without an error object");

    auto sent = verdict(outcome::sent, "");
    if (auto const* messages = find(answer, "messages"); messages && messages->is_array() && !messages->empty())
        if (auto const& first = messages->front(); first.is_object())
            if (auto id = string_or_empty(first, "id"); !id.empty()) sent.message_id = std::move(id);
    return sent;
}

}  // namespace signoff::whatsapp
