#include "bot/api/routes.hpp"

#include "bot/api/operations.hpp"
#include "bot/core/api_error.hpp"

#include <charconv>

namespace signoff {

std::int64_t item_id_param(std::string const& text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec == std::errc::result_out_of_range && end == text.data() + text.size())
        throw api_error(400, "invalid_field", "item ids go up to 9223372036854775807", "id");
    if (ec != std::errc{} || end != text.data() + text.size() || id <= 0)
        throw api_error(404, "not_found", "no item \"" + text + "\"", "id");
    return id;
}

std::optional<std::int64_t> int_query(http_request const& req, std::string const& name) {
    auto value = req.query(name);
    if (!value) return std::nullopt;
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
    if (ec == std::errc::result_out_of_range && end == value->data() + value->size())
        throw api_error(400, "invalid_field", name + " is larger than the server stores", name);
    if (ec != std::errc{} || end != value->data() + value->size() || n < 0)
        throw api_error(400, "invalid_value", name + " must be a non-negative whole number", name);
    return n;
}

void add_api_routes(router& routes, app& a) {
    routes.add("GET", "/healthz", [&a](http_request const&, route_params const&) -> boost::asio::awaitable<http_response> {
        bool ok = false;
        try {
            ok = a.readers.with([](sqlite::database& db) { return db.prepare("SELECT 1").step(); });
        } catch (std::exception const&) {
            ok = false;
        }
        co_return ok ? json_response(200, {{"status", "ok"}})
                     : error_response(503, "store_unavailable", "the store does not answer");
    });
    add_readiness_route(routes, a);
    auto gauges = std::make_shared<store_gauges>(a);
    routes.add("GET", "/metrics", [&a, gauges](http_request const&, route_params const&) -> boost::asio::awaitable<http_response> {
        gauges->refresh();
        auto stats = a.writer.stats();
        a.registry.gauge("signoff_store_batches", "Write batches committed since start").set(static_cast<double>(stats.batches));
        a.registry.gauge("signoff_store_jobs", "Write jobs committed since start").set(static_cast<double>(stats.jobs));
        a.registry.gauge("signoff_store_idle_releases", "Times the store gave its page caches back after a quiet spell")
            .set(static_cast<double>(stats.idle_releases));
        a.registry.gauge("signoff_store_checkpoints_background", "WAL checkpoints run off the writer since start")
            .set(static_cast<double>(stats.checkpoints.background));
        a.registry.gauge("signoff_store_checkpoints_inline",
                         "WAL checkpoints the writer ran itself because the WAL outgrew its bound")
            .set(static_cast<double>(stats.checkpoints.inline_));
        http_response r;
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        r.body = a.registry.render();
        co_return r;
    });
    auto limits = std::make_shared<key_rate_limits>();
    add_item_routes(routes, a, limits);
    add_admin_routes(routes, a, limits);
    add_audit_routes(routes, a);
    add_media_routes(routes, a, limits);
    add_report_routes(routes, a);
    add_session_routes(routes, a);
    add_openapi_routes(routes);
}

}  // namespace signoff
