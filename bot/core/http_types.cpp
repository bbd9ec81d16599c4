#include "bot/core/http_types.hpp"

#include "bot/core/url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace signoff {

namespace {
bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}
}  // namespace

std::optional<std::string_view> find_header(header_list const& headers, std::string_view name) {
    for (auto const& [key, value] : headers)
        if (iequals(key, name)) return std::string_view{value};
    return std::nullopt;
}

std::string_view http_request::path() const {
    std::string_view t{target};
    return t.substr(0, t.find('?'));
}

std::optional<std::string> http_request::query(std::string_view key) const {
    auto q = std::string_view{target};
    auto mark = q.find('?');
    if (mark == std::string_view::npos) return std::nullopt;
    q.remove_prefix(mark + 1);
    while (!q.empty()) {
        auto amp = q.find('&');
        auto pair = q.substr(0, amp);
        auto eq = pair.find('=');
        auto name = url_decode(pair.substr(0, eq));
        if (name && *name == key)
            return eq == std::string_view::npos ? std::optional<std::string>{""} : url_decode(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        q.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

std::optional<std::string> url_decode(std::string_view text) { return percent_decode(text, true); }

range_request parse_range(std::optional<std::string_view> header, std::uint64_t size) {
    range_request whole;
    if (!header) return whole;
    std::string_view h = *header;
    if (!h.starts_with("bytes=") || h.find(',') != std::string_view::npos) return whole;
    h.remove_prefix(6);
    auto dash = h.find('-');
    if (dash == std::string_view::npos) return whole;
    auto number = [](std::string_view t) -> std::optional<std::uint64_t> {
        std::uint64_t v = 0;
        if (t.empty()) return std::nullopt;
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc{} || end != t.data() + t.size()) return std::nullopt;
        return v;
    };
    auto first = number(h.substr(0, dash));
    auto last = number(h.substr(dash + 1));
    range_request out;
    out.what = range_request::kind::part;
    if (!first) {  // a suffix: the last N bytes
        if (!last || h.substr(0, dash).size() != 0) return whole;
        if (*last == 0 || size == 0) return {range_request::kind::unsatisfiable, {}};
        std::uint64_t n = std::min(*last, size);
        out.range = {size - n, n};
        return out;
    }
    if (!h.substr(dash + 1).empty() && !last) return whole;
    if (last && *last < *first) return whole;
    if (*first >= size) return {range_request::kind::unsatisfiable, {}};
    std::uint64_t end = last ? std::min(*last, size - 1) : size - 1;
    out.range = {*first, end - *first + 1};
    return out;
}

std::optional<std::string> cookie_value(header_list const& headers, std::string_view name) {
    for (auto const& [key, value] : headers) {
        if (key.size() != 6 || !std::equal(key.begin(), key.end(), "cookie", [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
            }))
            continue;
        std::string_view rest = value;
        while (!rest.empty()) {
            auto end = rest.find(';');
            auto pair = rest.substr(0, end);
            while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
            auto eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
                auto v = pair.substr(eq + 1);
                while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
                return std::string(v);
            }
            if (end == std::string_view::npos) break;
            rest.remove_prefix(end + 1);
        }
    }
    return std::nullopt;
}

}  // namespace signoff
