#include "bot/core/url.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <cctype>

namespace signoff {

namespace {

namespace urls = boost::urls;

constexpr unsigned long max_port = 65535;

std::string_view view(urls::string_view s) { return {s.data(), s.size()}; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// The four octets of a dotted quad, or false.
bool ipv4_octets(std::string_view s, int (&octets)[4]) {
    for (int part = 0; part < 4; ++part) {
        auto dot = s.find('.');
        if ((part < 3) != (dot != std::string_view::npos)) return false;
        auto octet = s.substr(0, dot);
        if (octet.empty() || octet.size() > 3 || !std::all_of(octet.begin(), octet.end(), is_digit)) return false;
        octets[part] = std::stoi(std::string(octet));
        if (octets[part] > 255) return false;
        s.remove_prefix(part < 3 ? dot + 1 : s.size());
    }
    return true;
}

}  // namespace

bool is_valid_host(std::string_view h) {
    if (h.starts_with('[')) {
        auto inner = h.substr(1, h.size() - 2);
        return h.size() > 2 && h.ends_with(']') && inner.find(':') != std::string_view::npos &&
               std::all_of(inner.begin(), inner.end(), [](char c) {
                   return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
               });
    }
    if (!h.empty() && std::all_of(h.begin(), h.end(), [](char c) { return is_digit(c) || c == '.'; })) {
        int octets[4];
        return ipv4_octets(h, octets);
    }
    return !h.empty() && !h.starts_with('-') && !h.starts_with('.') && std::all_of(h.begin(), h.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
    });
}

std::string percent_encode(std::string_view s) {
    return urls::encode(urls::string_view(s.data(), s.size()), urls::unreserved_chars);
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
    auto const valid = urls::make_pct_string_view(urls::string_view(s.data(), s.size()));
    if (!valid) return std::nullopt;
    urls::encoding_opts opt;
    opt.space_as_plus = plus_is_space;
    return valid->decode(opt);
}

bool is_loopback_host(std::string_view host) {
    int octets[4];
    return host == "localhost" || host == "::1" || host == "[::1]" || (ipv4_octets(host, octets) && octets[0] == 127);
}

bool parse_url(std::string const& url, url_parts& out) {
    auto const parsed = urls::parse_uri(url);
    if (!parsed) return false;
    auto const& u = *parsed;
    auto const scheme = lower(view(u.scheme()));
    if (scheme != "http" && scheme != "https") return false;
    if (!u.has_authority() || u.has_userinfo()) return false;
    // NB: Boost.URL 1.81 reads "https://host:80x/" as port 80 and path "x/"; after an authority
    // RFC 3986 wants the path empty or starting with '/'.
    if (auto const path = view(u.encoded_path()); !path.empty() && path.front() != '/') return false;
    auto const kind = u.host_type();
    if (kind != urls::host_type::name && kind != urls::host_type::ipv4 && kind != urls::host_type::ipv6) return false;
    if (!is_valid_host(view(u.encoded_host()))) return false;
    std::string port;
    if (u.has_port()) {
        port = view(u.port());
        if (port.empty() || port.size() > 5 || std::stoul(port) > max_port) return false;
    }
    out.scheme = scheme;
    out.host = lower(view(u.encoded_host_address()));
    out.port = port.empty() ? (scheme == "https" ? "443" : "80") : port;
    out.target = view(u.encoded_target());
    if (out.target.empty() || out.target[0] != '/') out.target = "/" + out.target;
    return true;
}

}  // namespace signoff
