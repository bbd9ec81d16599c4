// GET /api/v1/reports/sla (per role: handled, on time, late, median and p90 times, escalations;
// JSON or CSV) and GET /api/v1/calendar (drafts by planned publish_at), both over local dates
// of the organisation's time zone.

#include "bot/api/auth.hpp"
#include "bot/api/routes.hpp"
#include "bot/core/api_error.hpp"
#include "bot/engine/digest_time.hpp"
#include "bot/engine/sla_report.hpp"
#include "store/items.hpp"
#include "store/reports.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace signoff {

namespace {

using boost::asio::awaitable;
using nlohmann::json;

constexpr int max_period_days = 366;
constexpr int default_report_days = 30;    // the report: the last 30 local days, today included
constexpr int default_calendar_days = 61;  // the calendar: two months from today
constexpr int max_calendar_items = 2000;

// A period of whole local days, [start, end), and the dates that name it.
struct period {
    std::string from, to;  // "YYYY-MM-DD", `to` included
    millis start = 0, end = 0;
};

std::string days_from(std::string const& tz, std::string const& date, int days) {
    // Noon of the day, moved by whole days, stays within the intended date across DST changes.
    auto start = *local_day_start(tz, date);
    return local_date(tz, start + 12 * ms_per_hour + days * 24 * ms_per_hour);
}

period read_period(app const& a, http_request const& req, int default_days, bool ahead) {
    auto const& tz = a.cfg.timezone;
    auto const today = local_date(tz, a.clk.now());
    period p;
    auto date_param = [&](char const* name) -> std::optional<std::string> {
        auto v = req.query(name);
        if (!v) return std::nullopt;
        if (!local_day_start(tz, *v))
            throw api_error(400, "invalid_value", std::string(name) + " must be a date like 2026-11-01", name);
        return v;
    };
    auto from = date_param("from"), to = date_param("to");
    if (ahead) {
        p.from = from.value_or(today);
        p.to = to.value_or(days_from(tz, p.from, default_days - 1));
    } else {
        p.to = to.value_or(today);
        p.from = from.value_or(days_from(tz, p.to, -(default_days - 1)));
    }
    p.start = *local_day_start(tz, p.from);
    p.end = next_daily_at(tz, "00:00", *local_day_start(tz, p.to));
    if (p.end <= p.start) throw api_error(400, "invalid_value", "from must not be after to", "from");
    if (p.end - p.start > static_cast<millis>(max_period_days + 1) * 24 * ms_per_hour)
        throw api_error(400, "invalid_value", "a period is at most " + std::to_string(max_period_days) + " days", "to");
    return p;
}

json optional_number(std::optional<double> v) { return v ? json(*v) : json(nullptr); }

json row_json(config::config const& cfg, engine::sla_row const& r) {
    json out = {{"items", r.items},       {"handled", r.handled},
                {"on_time", r.on_time},   {"late", r.late},
                {"open", r.open},         {"on_time_rate", optional_number(r.on_time_rate())},
                {"median_hours", optional_number(r.median_hours)},
                {"p90_hours", optional_number(r.p90_hours)},
                {"escalations", r.escalations}};
    if (!r.role.empty()) {
        auto const* role = cfg.find_role(r.role);
        out["role"] = r.role;
        out["title"] = role ? role->title : r.role;
        out["head"] = r.head.empty() ? json(nullptr) : json(r.head);
    }
    return out;
}

awaitable<http_response> sla_report(app& a, http_request const& req) {
    authorise(a, req, "read");
    auto const format = req.query("format").value_or("json");
    if (format != "json" && format != "csv")
        throw api_error(400, "invalid_value", "format must be json or csv", "format");
    auto const p = read_period(a, req, default_report_days, false);
    auto report = co_await boost::asio::co_spawn(
        a.bulk,
        [&]() -> awaitable<engine::sla_report> {
            auto items = a.readers.with(
                [&](sqlite::database& db) { return store::timelines_created_between(db, p.start, p.end); });
            co_return engine::compute_sla_report(a.cfg, items, a.clk.now());
        },
        boost::asio::use_awaitable);
    http_response r;
    if (format == "csv") {
        r.content_type = "text/csv; charset=utf-8";
        r.headers.emplace_back("Content-Disposition",
                               "attachment; filename=\"sla-" + p.from + "-to-" + p.to + ".csv\"");
        r.body = engine::sla_report_csv(report);
        co_return r;
    }
    json rows = json::array();
    for (auto const& row : report.rows) rows.push_back(row_json(a.cfg, row));
    co_return json_response(200, {{"from", p.from},
                                  {"to", p.to},
                                  {"timezone", a.cfg.timezone},
                                  {"rows", std::move(rows)},
                                  {"total", row_json(a.cfg, report.total)}});
}

awaitable<http_response> calendar(app& a, http_request const& req) {
    authorise(a, req, "read");
    auto const p = read_period(a, req, default_calendar_days, true);
    auto items = a.readers.with(
        [&](sqlite::database& db) { return store::planned_between(db, p.start, p.end, max_calendar_items + 1); });
    bool const truncated = items.size() > static_cast<std::size_t>(max_calendar_items);
    if (truncated) items.resize(max_calendar_items);
    json list = json::array();
    for (auto const& it : items)
        list.push_back({{"id", it.id},
                        {"kind", it.kind},
                        {"title", it.title},
                        {"status", it.status},
                        {"publish_at", rfc3339(*it.publish_at)},
                        {"due", rfc3339(it.due)},
                        {"role", it.role},
                        {"assignee", it.assignee ? json(*it.assignee) : json(nullptr)},
                        {"platforms", it.platforms},
                        {"published", it.published},
                        {"revision", it.revision}});
    co_return json_response(200, {{"from", p.from},
                                  {"to", p.to},
                                  {"timezone", a.cfg.timezone},
                                  {"items", std::move(list)},
                                  {"truncated", truncated}});
}

}  // namespace

void add_report_routes(router& routes, app& a) {
    routes.add("GET", "/api/v1/reports/sla",
               [&a](http_request const& req, route_params const&) { return sla_report(a, req); });
    routes.add("GET", "/api/v1/calendar", [&a](http_request const& req, route_params const&) { return calendar(a, req); });
}

}  // namespace signoff
