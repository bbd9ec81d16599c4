#include "bot/api/openapi.hpp"

#include "bot/api/routes.hpp"

namespace signoff {

void add_openapi_routes(router& routes) {
    routes.add("GET", "/api/v1/openapi.json",
               [](http_request const&, route_params const&) -> boost::asio::awaitable<http_response> {
                   co_return http_response{.status = 200, .content_type = "application/json",
                                           .body = std::string(openapi_json())};
               });
}

}  // namespace signoff
