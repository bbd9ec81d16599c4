#pragma once
// Neutral HTTP messages: what handlers and adapters see instead of Beast types, so that
// they stay free of sockets and heavy headers.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace signoff {

using header_list = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; nullopt when absent.
std::optional<std::string_view> find_header(header_list const& headers, std::string_view name);

// A request body the server wrote to a file as it arrived (routes that take uploads): the
// handler moves the file away to keep it; whatever is left is deleted after the answer.
struct spooled_body {
    std::filesystem::path file;
    std::uint64_t bytes = 0;
    std::string sha256_hex;  // of the bytes, lowercase
};

struct http_request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path with query, as received, e.g. "/api/v1/items?limit=5"
    header_list headers;
    std::string body;                     // empty when the body was spooled
    std::optional<spooled_body> spooled;  // routes that spool, when a body came
    std::string remote;                   // peer address, for logs

    std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
    std::string_view path() const;                               // target without the query
    std::optional<std::string> query(std::string_view key) const;  // percent-decoded value
};

// Part of a file sent as a response body, read as it is written (large media).
struct file_slice {
    std::filesystem::path file;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

struct http_response {
    int status = 200;
    header_list headers;  // Content-Type is set from content_type when not listed here
    std::string content_type = "application/json";
    std::string body;
    std::optional<file_slice> file;  // when set, the body is this slice of a file instead of `body`
    bool close = false;  // ask the server to close the connection after this response
};

// One byte range of a `Range` header (RFC 9110 §14.2) over a representation of `size` bytes.
struct byte_range {
    std::uint64_t first = 0;
    std::uint64_t length = 0;
};
struct range_request {
    enum class kind { whole, part, unsatisfiable } what = kind::whole;
    byte_range range;  // kind::part
};
// "bytes=0-99", "bytes=100-", "bytes=-50" → that part; several ranges or another unit → the
// whole representation (a server may ignore Range); a range past the end → unsatisfiable.
range_request parse_range(std::optional<std::string_view> header, std::uint64_t size);

// An HTTP call the server makes (to a platform API or the agency), as data. The URL may embed
// secrets (a bot token, an access token): never log it.
struct http_call {
    std::string method = "POST";
    std::string url;
    header_list headers;
    std::string body;
    // A request that needs an id the platform gives only in the answer to the request before it
    // (an upload's media id): just before sending, every `placeholder` in the body is replaced by
    // the string at JSON field `field` of that answer, JSON-escaped (such bodies are JSON).
    struct substitution {
        std::string field;
        std::string placeholder;
    };
    std::optional<substitution> from_previous;
};

// The value of cookie `name` in the request's Cookie header(s) (RFC 6265 §5.4); nullopt when absent.
std::optional<std::string> cookie_value(header_list const& headers, std::string_view name);

// Percent-decoding of one query component ('+' is a space); nullopt on a bad escape.
std::optional<std::string> url_decode(std::string_view text);

}  // namespace signoff
