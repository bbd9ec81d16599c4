#pragma once
// URLs of the platforms' APIs and webhooks, as pure functions: the one parser that both config
// validation and the HTTP client use, and the one rule both enforce — plain http only toward
// loopback test servers.

#include <optional>
#include <string>
#include <string_view>

namespace signoff {

struct url_parts {
    std::string scheme;  // "http" or "https", lower-cased ("HTTPS://…" is https: schemes ignore case)
    std::string host;    // lower-cased, without the brackets of an IPv6 literal
    std::string port;    // defaulted from the scheme when absent
    std::string target;  // path and query, at least "/"; a fragment is dropped
};

// Splits "https://host:port/path?q" (RFC 3986, on Boost.URL); false when malformed: another
// scheme, user info, a host that is no IPv4/IPv6 address or DNS name, a port that is empty,
// not digits or above 65535.
bool parse_url(std::string const& url, url_parts& out);

// A host as written in a URL or a "HOST:PORT" listen address: a dotted-quad IPv4 address, a
// bracketed IPv6 address or a DNS name of letters, digits, '-' and '.'.
bool is_valid_host(std::string_view host);

// Every byte but the unreserved A–Z a–z 0–9 - . _ ~ as %XX (upper-case hex): a query value
// or a path segment built from data ("+" becomes %2B, a space %20).
std::string percent_encode(std::string_view s);

// Decodes %XX escapes; with `plus_is_space` (form and query components) '+' is a space too.
// nullopt on a bad escape ("%4", "%zz").
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

// localhost, ::1 (bracketed or not) or a dotted-quad IPv4 address in 127.0.0.0/8 — and
// nothing else, so "127.example.org" is not loopback.
bool is_loopback_host(std::string_view host);

}  // namespace signoff
