#pragma once
// Neutral HTTP messages: what handlers and adapters see instead of Beast types, so that
// they stay free of sockets and heavy headers.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace signoff {

using header_list = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; nullopt when absent.
std::optional<std::string_view> find_header(header_list const& headers, std::string_view name);

struct http_request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path with query, as received, e.g. "/api/v1/items?limit=5"
    header_list headers;
    std::string body;
    std::string remote;  // peer address, for logs

    std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
    std::string_view path() const;                               // target without the query
    std::optional<std::string> query(std::string_view key) const;  // percent-decoded value
};

struct http_response {
    int status = 200;
    header_list headers;  // Content-Type is set from content_type when not listed here
    std::string content_type = "application/json";
    std::string body;
    bool close = false;  // ask the server to close the connection after this response
};

// An HTTP call the server makes (to a platform API or the agency), as data. The URL may embed
// secrets (a bot token, an access token): never log it.
struct http_call {
    std::string method = "POST";
    std::string url;
    header_list headers;
    std::string body;
};

// Percent-decoding of one query component ('+' is a space); nullopt on a bad escape.
std::optional<std::string> url_decode(std::string_view text);

}  // namespace signoff
