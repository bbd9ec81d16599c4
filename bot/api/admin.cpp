#include "bot/actions/actions.hpp"
#include "bot/api/auth.hpp"
#include "bot/api/routes.hpp"

namespace signoff {

void add_admin_routes(router& routes, app& a, shared_limits limits) {
    routes.add("PUT", "/api/v1/people/{id}/availability",
               [&a, limits](http_request const& req, route_params const& p) -> boost::asio::awaitable<http_response> {
                   auto const& key = authorise(a, req, "admin");
                   limits->take(key, key_rate_limits::kind::change, a.clk.now());
                   require_json(req);
                   auto input = parse_availability(parse_body(req.body));
                   std::string person = p["id"];
                   co_await a.writer.write([&](store::write_tx& tx) {
                       actions::context ctx{.cfg = a.cfg, .now = a.clk.now(), .recorded_by = key.name};
                       actions::set_availability(tx, ctx, person, input);
                   });
                   nlohmann::json body = {{"person", person}, {"away", input.away}};
                   body["until"] = input.until && input.away ? nlohmann::json(rfc3339(*input.until)) : nlohmann::json(nullptr);
                   co_return json_response(200, body);
               },
               needs_key(a, "admin"));
}

}  // namespace signoff
