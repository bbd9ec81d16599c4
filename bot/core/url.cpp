#include "bot/core/url.hpp"

#include <algorithm>

namespace signoff {

namespace {
bool is_ipv4_in_127(std::string_view s) {
    for (int part = 0; part < 4; ++part) {
        auto dot = s.find('.');
        if ((part < 3) != (dot != std::string_view::npos)) return false;
        auto octet = s.substr(0, dot);
        if (octet.empty() || octet.size() > 3 ||
            !std::all_of(octet.begin(), octet.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return false;
        int value = std::stoi(std::string(octet));
        if (value > 255 || (part == 0 && value != 127)) return false;
        s.remove_prefix(part < 3 ? dot + 1 : s.size());
    }
    return true;
}
}  // namespace

bool is_loopback_host(std::string_view host) {
    return host == "localhost" || host == "::1" || host == "[::1]" || is_ipv4_in_127(host);
}

bool parse_url(std::string const& url, url_parts& out) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return false;
    out.scheme = url.substr(0, scheme_end);
    if (out.scheme != "http" && out.scheme != "https") return false;
    auto rest = url.substr(scheme_end + 3);
    auto path_start = rest.find_first_of("/?");
    auto authority = rest.substr(0, path_start);
    out.target = path_start == std::string::npos ? "/" : rest.substr(path_start);
    if (!out.target.empty() && out.target[0] == '?') out.target = "/" + out.target;
    if (authority.empty() || authority.find('@') != std::string::npos) return false;
    if (authority[0] == '[') {
        auto close = authority.find(']');
        if (close == std::string::npos) return false;
        out.host = authority.substr(1, close - 1);
        out.port = close + 1 < authority.size() && authority[close + 1] == ':' ? authority.substr(close + 2) : "";
    } else {
        auto colon = authority.rfind(':');
        out.host = authority.substr(0, colon);
        out.port = colon == std::string::npos ? "" : authority.substr(colon + 1);
    }
    if (out.port.empty()) out.port = out.scheme == "https" ? "443" : "80";
    return !out.host.empty() && out.port.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace signoff
