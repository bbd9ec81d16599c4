#pragma once
// Dispatch by table: {method, path pattern} → handler (STYLE rules 14, 23, 27). route() always
// produces a response: a miss is 404, a known path with another method is 405 with Allow, and
// the errors a handler throws are rendered once here as SPEC §5's {"error":{…}} envelope.

#include "bot/core/api_error.hpp"
#include "bot/core/http_types.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace signoff {

// The values of a pattern's {name} segments, percent-decoded.
struct route_params {
    std::vector<std::pair<std::string, std::string>> values;

    // Precondition: the pattern has a {name} segment; otherwise throws std::out_of_range (a 500).
    std::string const& operator[](std::string_view name) const;
};

// A JSON body with the given status; invalid UTF-8 in strings is replaced, never thrown.
http_response json_response(int status, nlohmann::json const& body);
// {"error":{"code","message","field"}}, field omitted when empty.
http_response error_response(int status, std::string code, std::string message, std::string field = {});
// The error envelope of an api_error, with the headers it carries.
http_response error_response(api_error const& e);

// A route whose body goes to a file as it arrives, hashed on the way, instead of into memory.
struct body_spool {
    std::filesystem::path dir;    // where the file is made (0600); the same file system as its final place
    std::uint64_t max_bytes = 0;  // larger bodies get 413 and leave nothing behind
};

class router {
public:
    using handler = std::function<boost::asio::awaitable<http_response>(http_request const&, route_params const&)>;
    // Looks at a request's method, target and headers only (its body is not read yet) and throws
    // api_error to refuse it: credentials and signatures are checked before a body is read.
    using head_check = std::function<void(http_request const& head)>;

    // pattern: "/api/v1/items/{id}/revisions"; a {name} segment matches one non-empty segment.
    // The first route added that matches path and method wins. Not thread-safe: add every route
    // before the server starts; route() may then run on any number of threads.
    void add(std::string method, std::string pattern, handler h, head_check check = {},
             std::optional<body_spool> spool = std::nullopt);

    // The refusal of the matching route's head_check, as a response; nullopt when it passes, when
    // the route has none, or when no route matches (route() answers those).
    std::optional<http_response> check_head(http_request const& head) const;
    // The spool of the route matching the request's head; nullptr when its body goes to memory.
    body_spool const* spool_of(http_request const& head) const;

    // Matches req.path() (no query). api_error → its status and code; store_error → 503
    // store_unavailable; any other std::exception → 500 internal (both logged with details).
    boost::asio::awaitable<http_response> route(http_request const& req) const;

private:
    struct entry {
        std::string method;
        std::vector<std::string> segments;  // "{name}" or a literal
        handler fn;
        head_check check;
        std::optional<body_spool> spool;
    };
    entry const* find(http_request const& req, route_params& params) const;
    std::vector<entry> routes_;
};

}  // namespace signoff
