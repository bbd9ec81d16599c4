#pragma once
// URLs of the platforms' APIs and webhooks, as pure functions: splitting one for the HTTP
// client, and the one rule both config validation and the client enforce — plain http only
// toward loopback test servers.

#include <string>
#include <string_view>

namespace signoff {

struct url_parts {
    std::string scheme;  // "http" or "https"
    std::string host;    // without the brackets of an IPv6 literal
    std::string port;    // defaulted from the scheme when absent
    std::string target;  // path and query, at least "/"
};

// Splits "https://host:port/path?q"; false when malformed (other schemes, user info, bad port).
bool parse_url(std::string const& url, url_parts& out);

// localhost, ::1 (bracketed or not) or a dotted-quad IPv4 address in 127.0.0.0/8 — and
// nothing else, so "127.example.org" is not loopback.
bool is_loopback_host(std::string_view host);

}  // namespace signoff
