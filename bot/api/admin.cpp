// The directory as the console shows it, and availability (SPEC §5 and §10, People).

#include "bot/actions/actions.hpp"
#include "bot/api/auth.hpp"
#include "bot/api/routes.hpp"
#include "store/keys.hpp"

#include <map>

namespace signoff {

namespace {

// Who is who, who is away until when, and the choices a submission offers (roles and their
// topics, tiers, platforms with a character limit). Names are the directory's; read scope.
nlohmann::json directory_json(config::config const& cfg, sqlite::database& db, millis now) {
    std::map<std::string, store::availability> away_rows;
    for (auto& [person, a] : store::all_away(db)) away_rows.emplace(person, a);
    nlohmann::json people = nlohmann::json::array();
    for (auto const& p : cfg.people) {
        auto found = away_rows.find(p.id);
        auto const* away = found == away_rows.end() ? nullptr : &found->second;
        bool const is_away = away && away->away_at(now);
        people.push_back({{"id", p.id},
                          {"name", p.name},
                          {"language", p.language},
                          {"admin", p.admin},
                          {"publisher", p.publisher},
                          {"away", is_away},
                          {"until", is_away && away->until ? nlohmann::json(rfc3339(*away->until)) : nlohmann::json(nullptr)}});
    }
    nlohmann::json roles = nlohmann::json::array();
    for (auto const& r : cfg.roles)
        roles.push_back({{"id", r.id}, {"title", r.title}, {"head", r.head}, {"fallback", r.fallback}, {"topics", r.topics},
                         {"regions", r.regions}});
    nlohmann::json tiers = nlohmann::json::array();
    for (auto const& [name, steps] : cfg.tiers) tiers.push_back(name);
    nlohmann::json platforms = nlohmann::json::object();
    for (auto const& [name, limit] : cfg.content.limits) platforms[name] = limit;
    return {{"people", std::move(people)}, {"roles", std::move(roles)}, {"tiers", std::move(tiers)},
            {"platform_limits", std::move(platforms)}, {"timezone", cfg.timezone}};
}

}  // namespace

void add_admin_routes(router& routes, app& a, shared_limits limits) {
    routes.add("GET", "/api/v1/directory", [&a](http_request const& req, route_params const&) -> boost::asio::awaitable<http_response> {
        authorise(a, req, "read");
        auto body = a.readers.with([&](sqlite::database& db) { return directory_json(a.cfg, db, a.clk.now()); });
        co_return json_response(200, body);
    });
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
