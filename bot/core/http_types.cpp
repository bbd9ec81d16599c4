#include "bot/core/http_types.hpp"

#include <algorithm>
#include <cctype>

namespace signoff {

namespace {
bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
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

std::optional<std::string> url_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace signoff
