#include "bot/core/text.hpp"

#include <utf8proc.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace signoff::text {
namespace {

constexpr std::size_t x_url_weight = 23;   // twitter-text v3 transformedURLLength
constexpr std::size_t x_emoji_weight = 2;  // defaultWeight / scale

// The code point starting at s[i], advancing i past it; -1 (i unchanged) when malformed.
std::int32_t next_code_point(std::string_view s, std::size_t& i) {
    auto const b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    std::size_t n = 0;
    std::int32_t cp = 0, min = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 1, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        n = 2, cp = b0 & 0x0F, min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 3, cp = b0 & 0x07, min = 0x10000;
    } else {
        return -1;  // continuation byte, C0/C1 (always overlong) or F5..FF (beyond U+10FFFF)
    }
    if (s.size() - i - 1 < n) return -1;
    for (std::size_t k = 1; k <= n; ++k) {
        auto const b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    i += n + 1;
    return cp;
}

// Decodes `s`; when `offsets` is given it receives each code point's byte offset, then s.size().
std::u32string decode(std::string_view s, std::vector<std::size_t>* offsets = nullptr) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        if (offsets) offsets->push_back(i);
        auto const cp = next_code_point(s, i);
        if (cp < 0) throw std::invalid_argument("text is not valid UTF-8");
        out.push_back(static_cast<char32_t>(cp));
    }
    if (offsets) offsets->push_back(s.size());
    return out;
}

std::string map(std::string_view s, int options) {
    if (!is_valid_utf8(s)) throw std::invalid_argument("text is not valid UTF-8");
    if (s.empty()) return {};
    utf8proc_uint8_t* dst = nullptr;
    auto const n = utf8proc_map(reinterpret_cast<utf8proc_uint8_t const*>(s.data()),
                                static_cast<utf8proc_ssize_t>(s.size()), &dst, static_cast<utf8proc_option_t>(options));
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(dst, &std::free);
    if (n < 0) throw std::invalid_argument(utf8proc_errmsg(n));
    return std::string(reinterpret_cast<char const*>(dst), static_cast<std::size_t>(n));
}

// One past the last code point of the grapheme cluster (UAX #29) that starts at i.
std::size_t cluster_end(std::u32string_view cps, std::size_t i) {
    utf8proc_int32_t state = 0;
    std::size_t j = i + 1;
    while (j < cps.size() && !utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(cps[j - 1]),
                                                               static_cast<utf8proc_int32_t>(cps[j]), &state))
        ++j;
    return j;
}

std::size_t x_char_weight(char32_t c) {
    bool const light =
        c <= 0x10FF || (c >= 0x2000 && c <= 0x200D) || (c >= 0x2010 && c <= 0x201F) || (c >= 0x2032 && c <= 0x2037);
    return light ? 1 : 2;
}

bool is_pictographic(char32_t c) {
    return utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->boundclass ==
           UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC;
}
bool is_regional_indicator(char32_t c) { return c >= 0x1F1E6 && c <= 0x1F1FF; }
bool is_keycap_base(char32_t c) { return c == '#' || c == '*' || (c >= '0' && c <= '9'); }
bool is_emoji_part(char32_t c) {
    return c == 0xFE0F || c == 0x200D || c == 0x20E3 || (c >= 0x1F3FB && c <= 0x1F3FF) ||
           (c >= 0xE0020 && c <= 0xE007F) || is_pictographic(c) || is_regional_indicator(c);
}

// Code points at the start of a grapheme cluster that form one emoji sequence, or 0. A lone
// code point is not a sequence: "©" without U+FE0F is text and counts by its range.
std::size_t emoji_prefix(std::u32string_view cluster) {
    if (cluster.size() < 2) return 0;
    auto const first = cluster[0];
    bool const keycap = is_keycap_base(first);
    if (!keycap && !is_pictographic(first) && !is_regional_indicator(first)) return 0;
    std::size_t k = 1;
    while (k < cluster.size() && is_emoji_part(cluster[k])) ++k;
    if (keycap && cluster.substr(1, k - 1).find(U'\u20E3') == std::u32string_view::npos) return 0;
    return k > 1 ? k : 0;
}

bool starts_with_ascii_nocase(std::u32string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t k = 0; k < prefix.size(); ++k) {
        auto c = s[k];
        if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
        if (c != static_cast<char32_t>(prefix[k])) return false;
    }
    return true;
}

// Code points of the http(s) URL starting at i, or 0. Like twitter-text, a URL stops at
// white space or at a character outside the Latin/Cyrillic-ish range (so Chinese text right
// after a link is not part of it), and drops trailing punctuation and unbalanced ')'.
std::size_t url_length(std::u32string_view cps, std::size_t i) {
    if (i > 0 && cps[i - 1] < 0x80 && std::isalnum(static_cast<int>(cps[i - 1]))) return 0;
    auto const rest = cps.substr(i);
    std::size_t const scheme = starts_with_ascii_nocase(rest, "https://")  ? 8
                               : starts_with_ascii_nocase(rest, "http://") ? 7
                                                                           : 0;
    if (scheme == 0) return 0;
    std::size_t end = scheme;
    long open = 0;
    for (; end < rest.size(); ++end) {
        auto const c = rest[end];
        if (c < 0x21 || c >= 0x1100 || c == '"' || c == '<' || c == '>' || is_white_space(c)) break;
        open += c == '(' ? 1 : c == ')' ? -1 : 0;
    }
    for (; end > scheme; --end) {
        auto const c = rest[end - 1];
        if (c == ')' && open < 0) {
            ++open;
        } else if (std::u32string_view(U".,:;!?'").find(c) == std::u32string_view::npos) {
            break;
        }
    }
    return end > scheme ? end : 0;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();)
        if (next_code_point(s, i) < 0) return false;
    return true;
}

std::string nfc(std::string_view s) { return map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE); }

std::string fold(std::string_view s) {
    return map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
}

std::size_t code_points(std::string_view s) { return decode(nfc(s)).size(); }

std::size_t x_weighted_length(std::string_view s) {
    auto const cps = decode(nfc(s));
    std::size_t total = 0;
    for (std::size_t i = 0; i < cps.size();) {
        if (auto const n = url_length(cps, i); n > 0) {
            total += x_url_weight;
            i += n;
            continue;
        }
        auto const end = cluster_end(cps, i);
        auto const cluster = std::u32string_view(cps).substr(i, end - i);
        auto const emoji = emoji_prefix(cluster);
        total += emoji > 0 ? x_emoji_weight : 0;
        for (auto const c : cluster.substr(emoji)) total += x_char_weight(c);
        i = end;
    }
    return total;
}

std::size_t length(std::string_view s, unit u) {
    if (u == unit::bytes) return s.size();
    auto const cps = decode(s);
    if (u == unit::code_points) return cps.size();
    std::size_t units = 0;
    for (auto const c : cps) units += c >= 0x10000 ? 2 : 1;
    return units;
}

std::optional<std::size_t> longest_fitting_prefix(std::string_view s,
                                                  std::function<bool(std::string_view prefix)> const& fits) {
    std::vector<std::size_t> offsets;
    auto const cps = decode(s, &offsets);
    std::vector<std::size_t> ends{0};  // byte offsets of the cluster boundaries, "" first
    for (std::size_t i = 0; i < cps.size();) {
        i = cluster_end(cps, i);
        ends.push_back(offsets[i]);
    }
    if (!fits(s.substr(0, 0))) return std::nullopt;
    std::size_t lo = 0, hi = ends.size() - 1;  // fits(ends[lo]) holds; look for the last that does
    while (lo < hi) {
        auto const mid = lo + (hi - lo + 1) / 2;
        if (fits(s.substr(0, ends[mid])))
            lo = mid;
        else
            hi = mid - 1;
    }
    return ends[lo];
}

std::string truncate_code_points(std::string_view s, std::size_t max) {
    auto const end = longest_fitting_prefix(s, [&](std::string_view p) { return length(p, unit::code_points) <= max; });
    return std::string(s.substr(0, *end));
}

std::string cut_with_ellipsis(std::string_view s, std::size_t max, unit u, std::string_view ellipsis) {
    if (length(s, u) <= max) return std::string(s);
    auto const room = length(ellipsis, u);
    if (room > max) return "";
    auto const end = longest_fitting_prefix(s, [&](std::string_view p) { return length(p, u) <= max - room; });
    return std::string(s.substr(0, *end)) + std::string(ellipsis);
}

bool is_white_space(char32_t c) {
    if ((c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85) return true;
    auto const cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::size_t> offsets;
    auto const cps = decode(s, &offsets);
    std::vector<std::string> words;
    std::size_t start = 0;
    for (std::size_t k = 0; k <= cps.size(); ++k) {
        if (k < cps.size() && !is_white_space(cps[k])) continue;
        if (offsets[k] > offsets[start]) words.emplace_back(s.substr(offsets[start], offsets[k] - offsets[start]));
        start = k + 1;
    }
    return words;
}

}  // namespace signoff::text
