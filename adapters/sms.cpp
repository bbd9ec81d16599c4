#include "adapters/sms.hpp"

#include "bot/core/crypto.hpp"
#include "bot/core/text.hpp"
#include "bot/core/url.hpp"

#include <nlohmann/json.hpp>
#include <utf8proc.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

namespace signoff::sms {

namespace {

using json = nlohmann::json;

constexpr std::string_view gsm_ellipsis = "...";
constexpr std::string_view ucs2_ellipsis = "\u2026";

// The non-ASCII characters of the GSM 03.38 basic set; ASCII is handled in gsm_septets.
constexpr std::u32string_view gsm_basic_non_ascii = U"£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà";
constexpr std::u32string_view gsm_extension_ascii = U"^{}\\[]~|";  // 2 septets each, like \f and €

// Septets a character takes in GSM-7: 1 in the basic set, 2 in the extension (escape + code),
// 0 when GSM-7 cannot carry it.
std::size_t gsm_septets(char32_t c) {
    if (c == U'\n' || c == U'\r') return 1;
    if (c == U'\f' || c == U'€') return 2;
    if (c >= 0x20 && c <= 0x7E) {
        if (c == U'`') return 0;
        return gsm_extension_ascii.find(c) != std::u32string_view::npos ? 2 : 1;
    }
    return gsm_basic_non_ascii.find(c) != std::u32string_view::npos ? 1 : 0;
}

std::size_t utf16_units(char32_t c) { return c >= 0x10000 ? 2 : 1; }

struct code_point {
    char32_t value;
    std::size_t offset;  // of its first byte
};

std::vector<code_point> decode(std::string_view text) {
    if (!text::is_valid_utf8(text)) throw std::invalid_argument("SMS text is not valid UTF-8");
    std::vector<code_point> out;
    for (std::size_t i = 0; i < text.size();) {
        utf8proc_int32_t c = 0;
        auto const n = utf8proc_iterate(reinterpret_cast<utf8proc_uint8_t const*>(text.data() + i),
                                        static_cast<utf8proc_ssize_t>(text.size() - i), &c);
        out.push_back({static_cast<char32_t>(c), i});
        i += static_cast<std::size_t>(n);
    }
    return out;
}

bool is_gsm(std::vector<code_point> const& cps) {
    for (auto const& cp : cps)
        if (gsm_septets(cp.value) == 0) return false;
    return true;
}

// Greedy packing into concatenated segments, which is optimal for an ordered sequence; a
// character's septets or units never straddle two segments.
struct packing {
    bool gsm;
    std::size_t total = 0;
    int segments = 0;
    std::size_t used = 0;

    void add(char32_t c) {
        auto const w = gsm ? gsm_septets(c) : utf16_units(c);
        auto const cap = gsm ? gsm_multi : ucs2_multi;
        total += w;
        if (segments == 0 || used + w > cap) {
            ++segments;
            used = w;
        } else {
            used += w;
        }
    }
    void add(std::string_view ascii_or_utf8) {
        for (auto const& cp : decode(ascii_or_utf8)) add(cp.value);
    }
    int count() const {
        if (total == 0) return 0;
        return total <= (gsm ? gsm_single : ucs2_single) ? 1 : segments;
    }
};

// Segments of decoded text in the given encoding.
int count_segments(std::vector<code_point> const& cps, bool gsm) {
    packing p{.gsm = gsm};
    for (auto const& cp : cps) p.add(cp.value);
    return p.count();
}

// Bytes of the longest prefix of whole grapheme clusters of `text` that, followed by `suffix`,
// takes at most `max_segments` in the given encoding; nullopt when not even "" does.
std::optional<std::size_t> longest_prefix(std::string_view text, bool gsm, std::string_view suffix, int max_segments) {
    return text::longest_fitting_prefix(text, [&](std::string_view prefix) {
        packing p{.gsm = gsm};
        p.add(prefix);
        p.add(suffix);
        return p.count() <= max_segments;  // segments only grow with the prefix
    });
}

// Trailing white space before an ellipsis is wasted room.
std::size_t trim_end(std::string_view text, std::size_t end) {
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
    return end;
}

chat::send_result verdict(chat::send_result::outcome o, std::string error) {
    chat::send_result r;
    r.result = o;
    r.error = std::move(error);
    return r;
}

}  // namespace

http_call render_sms(std::string const& to, std::string const& text, config::sms_config const& cfg) {
    if (to.empty()) throw std::invalid_argument("SMS without a recipient");
    if (text.empty()) throw std::invalid_argument("SMS without text");
    std::string_view base = cfg.api_base;
    while (base.ends_with('/')) base.remove_suffix(1);

    http_call req;
    req.method = "POST";
    req.url = std::string(base) + "/2010-04-01/Accounts/" + percent_encode(cfg.account_sid) + "/Messages.json";
    req.headers = {{"Authorization", "Basic " + crypto::base64_encode(cfg.account_sid + ":" + cfg.auth_token)},
                   {"Content-Type", "application/x-www-form-urlencoded"},
                   {"Accept", "application/json"}};
    req.body = "To=" + percent_encode(to) + "&From=" + percent_encode(cfg.from) +
               "&Body=" + percent_encode(fit_segments(text, default_max_segments));
    return req;
}

int segments_of(std::string_view text) {
    auto const cps = decode(text);
    return count_segments(cps, is_gsm(cps));
}

std::string fit_segments(std::string_view text, int max_segments) {
    if (max_segments < 1) throw std::invalid_argument("fit_segments: max_segments must be at least 1");
    auto const cps = decode(text);
    bool const gsm = is_gsm(cps);
    if (count_segments(cps, gsm) <= max_segments) return std::string(text);
    auto const ellipsis = gsm ? gsm_ellipsis : ucs2_ellipsis;
    auto const end = trim_end(text, longest_prefix(text, gsm, ellipsis, max_segments).value_or(0));
    return std::string(text.substr(0, end)) + std::string(ellipsis);
}

std::string fit_segments_with_tail(std::string_view text, std::string_view tail, int max_segments) {
    if (max_segments < 1) throw std::invalid_argument("fit_segments: max_segments must be at least 1");
    auto whole = std::string(text) + std::string(tail);
    auto const cps = decode(whole);
    bool const gsm = is_gsm(cps);
    if (count_segments(cps, gsm) <= max_segments) return whole;
    auto const ellipsis = gsm ? gsm_ellipsis : ucs2_ellipsis;
    auto const end = longest_prefix(text, gsm, std::string(ellipsis) + std::string(tail), max_segments);
    if (!end) return fit_segments(whole, max_segments);
    return std::string(text.substr(0, trim_end(text, *end))) + std::string(ellipsis) + std::string(tail);
}

chat::send_result read_send_result(int status, std::string_view body) {
    using outcome = chat::send_result::outcome;
    auto const answer = json::parse(body, nullptr, /*allow_exceptions=*/false);

    if (status >= 200 && status < 300) {
        auto sent = verdict(outcome::sent, "");
        if (answer.is_object())
            if (auto const sid = answer.find("sid"); sid != answer.end() && sid->is_string())
                sent.message_id = sid->get<std::string>();
        return sent;
    }

    std::string error = "HTTP " + std::to_string(status);
    if (answer.is_object()) {
        auto const code = answer.find("code");
        auto const message = answer.find("message");
        bool const has_code = code != answer.end() && code->is_number_integer();
        bool const has_message = message != answer.end() && message->is_string();
        if (has_code && has_message)
            error = code->dump() + ": " + message->get<std::string>();
        else if (has_message)
            error += ": " + message->get<std::string>();
        else if (has_code)
            error += ": code " + code->dump();
    } else {
        error += " with an unreadable body";
    }
    bool const transient = status == 429 || (status >= 500 && status < 600);
    return verdict(transient ? outcome::retry : outcome::give_up, std::move(error));
}

}  // namespace signoff::sms
