#include "bot/engine/sla_report.hpp"

#include <catch2/catch.hpp>

using namespace signoff;

namespace {

constexpr millis t0 = 1'795'341'600'000;  // 2026-11-22T10:00:00Z
constexpr millis h = ms_per_hour;

item_timeline handled(std::string role, double hours, double due_hours, int escalations = 0) {
    item_timeline t;
    t.kind = "draft";
    t.role = std::move(role);
    t.created = t0;
    t.due = t0 + static_cast<millis>(due_hours * h);
    t.handled = t0 + static_cast<millis>(hours * h);
    t.escalations = escalations;
    return t;
}

item_timeline waiting(std::string role, double due_hours) {
    auto t = handled(std::move(role), 0, due_hours);
    t.handled.reset();
    return t;
}

config::config two_roles() {
    config::config cfg;
    cfg.roles = {{"standardisation", "DDG (Standardisation)", "ddg-std", "dh-std", {}, {}},
                 {"consumer-affairs", "DDG (Consumer Affairs)", "ddg-ca", "dh-ca", {}, {}}};
    return cfg;
}

}  // namespace

TEST_CASE("The SLA report counts on-time, late, open and escalated items per role as a person would",
          "[engine][report]") {
    // Standardisation: handled after 1, 2, 3, 30 hours against a 24-hour due (one late and
    // escalated twice); one waiting past its due (late), one waiting not yet due (open).
    std::vector<item_timeline> items = {handled("standardisation", 1, 24),  handled("standardisation", 2, 24),
                                        handled("standardisation", 3, 24),  handled("standardisation", 30, 24, 2),
                                        waiting("standardisation", 10),     waiting("standardisation", 100),
                                        handled("consumer-affairs", 4, 4)};
    auto report = engine::compute_sla_report(two_roles(), items, t0 + 50 * h);
    REQUIRE(report.rows.size() == 2);
    auto const& std_row = report.rows[0];
    CHECK(std_row.role == "standardisation");
    CHECK(std_row.head == "ddg-std");
    CHECK(std_row.items == 6);
    CHECK(std_row.handled == 4);
    CHECK(std_row.on_time == 3);
    CHECK(std_row.late == 2);
    CHECK(std_row.open == 1);
    CHECK(std_row.on_time_rate() == Approx(0.6));
    CHECK(std_row.median_hours == Approx(2.5));  // of 1, 2, 3, 30
    CHECK(std_row.p90_hours == Approx(30));      // nearest rank: the 4th of 4
    CHECK(std_row.escalations == 2);

    auto const& ca = report.rows[1];
    CHECK(ca.role == "consumer-affairs");
    CHECK(ca.on_time == 1);  // handled exactly at its due is on time
    CHECK(ca.median_hours == Approx(4));

    CHECK(report.total.items == 7);
    CHECK(report.total.handled == 5);
    CHECK(report.total.on_time == 4);
    CHECK(report.total.late == 2);
    CHECK(report.total.median_hours == Approx(3));  // of 1, 2, 3, 4, 30

    auto csv = engine::sla_report_csv(report);
    CHECK(csv == "role,head,items,handled,on_time,late,open,on_time_rate,median_hours,p90_hours,escalations\r\n"
                 "standardisation,ddg-std,6,4,3,2,1,0.600,2.50,30.00,2\r\n"
                 "consumer-affairs,ddg-ca,1,1,1,0,0,1.000,4.00,4.00,0\r\n"
                 "total,,7,5,4,2,1,0.667,3.00,30.00,2\r\n");
}

TEST_CASE("An SLA report of no items has no rows and no times", "[engine][report]") {
    auto report = engine::compute_sla_report(two_roles(), {}, t0);
    CHECK(report.rows.empty());
    CHECK(report.total.items == 0);
    CHECK_FALSE(report.total.median_hours.has_value());
    CHECK_FALSE(report.total.on_time_rate().has_value());
    CHECK(engine::sla_report_csv(report).ends_with("total,,0,0,0,0,0,,,,0\r\n"));
}
