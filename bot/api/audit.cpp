#include "bot/api/auth.hpp"
#include "bot/core/api_error.hpp"
#include "bot/api/routes.hpp"
#include "store/audit.hpp"

namespace signoff {

namespace {
constexpr std::int64_t max_json_limit = 500;
constexpr std::int64_t default_json_limit = 100;
constexpr std::int64_t max_ndjson_limit = 100000;
constexpr std::int64_t default_ndjson_limit = 10000;

bool wants_ndjson(http_request const& req) {
    auto accept = req.header("Accept");
    return accept && accept->find("application/x-ndjson") != std::string_view::npos;
}
}  // namespace

void add_audit_routes(router& routes, app& a) {
    routes.add("GET", "/api/v1/audit",
               [&a](http_request const& req, route_params const&) -> boost::asio::awaitable<http_response> {
                   authorise(a.cfg, req, "read");
                   bool ndjson = wants_ndjson(req);
                   auto after = int_query(req, "after").value_or(0);
                   auto limit = int_query(req, "limit").value_or(ndjson ? default_ndjson_limit : default_json_limit);
                   auto max = ndjson ? max_ndjson_limit : max_json_limit;
                   if (limit < 1 || limit > max)
                       throw api_error(400, "invalid_value", "limit must be between 1 and " + std::to_string(max),
                                       "limit");
                   auto events = a.readers.with([&](sqlite::database& db) {
                       return store::events_after(db, after, static_cast<int>(limit));
                   });
                   nlohmann::json next = events.size() == static_cast<std::size_t>(limit)
                                             ? nlohmann::json(events.back()["id"])
                                             : nlohmann::json(nullptr);
                   if (!ndjson) co_return json_response(200, {{"events", events}, {"next_after", next}});
                   http_response r;
                   r.content_type = "application/x-ndjson";
                   for (auto const& e : events) r.body += e.dump() + "\n";
                   if (!next.is_null()) r.headers.emplace_back("X-Next-After", next.dump());
                   co_return r;
               });
}

}  // namespace signoff
