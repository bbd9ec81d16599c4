#include "bot/core/http_types.hpp"

#include "bot/core/url.hpp"

#include <algorithm>
#include <cctype>

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

}  // namespace signoff
