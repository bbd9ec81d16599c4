#include "bot/console/routes.hpp"

#include "bot/console/assets.hpp"
#include "bot/messages/messages.hpp"

namespace signoff::console {
namespace {

using boost::asio::awaitable;

// Scripts and styles only from this server, no framing, no inline script: a page cannot be
// made to run someone else's code, and nothing is fetched from elsewhere.
constexpr char const* policy =
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; script-src 'self'; style-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

http_response page_file(asset const& a) {
    http_response r;
    r.content_type = std::string(content_type_of(a.name));
    r.body = std::string(a.bytes);
    // The files change with the binary: the browser asks again each time (small files, loopback or LAN).
    r.headers = {{"Cache-Control", "no-cache"},
                 {"Content-Security-Policy", policy},
                 {"X-Content-Type-Options", "nosniff"},
                 {"Referrer-Policy", "no-referrer"}};
    return r;
}

}  // namespace

void add_console_routes(router& routes) {
    routes.add("GET", "/", [](http_request const&, route_params const&) -> awaitable<http_response> {
        co_return page_file(*find_asset("index.html"));
    });
    routes.add("GET", "/console/texts", [](http_request const& req, route_params const&) -> awaitable<http_response> {
        auto r = json_response(200, chat::console_texts(std::string(req.query("lang").value_or("en"))));
        r.headers = {{"Cache-Control", "no-cache"}, {"X-Content-Type-Options", "nosniff"}};
        co_return r;
    });
    routes.add("GET", "/console/{name}", [](http_request const&, route_params const& p) -> awaitable<http_response> {
        auto const* found = find_asset(p["name"]);
        if (!found || found->name == "index.html") throw api_error(404, "not_found", "no console file \"" + p["name"] + "\"");
        co_return page_file(*found);
    });
}

}  // namespace signoff::console
