#include "bot/engine/digest_time.hpp"

#include <catch2/catch.hpp>
#include <date/date.h>

#include <sstream>
#include <stdexcept>
#include <string>

using namespace signoff;

namespace {

millis at(char const* rfc) { return parse_rfc3339(rfc).value(); }

std::string day_after(std::string const& ymd) {
    date::year_month_day d{};
    std::istringstream in(ymd);
    in >> date::parse("%F", d);
    return date::format("%F", date::sys_days{d} + date::days{1});
}

// Applies next_daily_at `days` times from the first digest after `start`: each local day gets
// exactly one digest, the day after the previous one, strictly later in time.
void check_one_per_local_day(std::string const& zone, std::string const& hh_mm, char const* start, int days) {
    INFO(zone << " " << hh_mm);
    millis now = next_daily_at(zone, hh_mm, at(start));
    std::string date = local_date(zone, now);
    for (int i = 0; i < days; ++i) {
        auto const next = next_daily_at(zone, hh_mm, now);
        INFO("after " << rfc3339(now) << " on " << date << " came " << rfc3339(next));
        REQUIRE(next > now);
        REQUIRE(local_date(zone, next) == day_after(date));
        date = local_date(zone, next);
        now = next;
    }
}

}  // namespace

TEST_CASE("The daily digest time in a zone without daylight saving", "[digest][time]") {
    SECTION("Asia/Kolkata, UTC+05:30: 09:30 IST is 04:00Z") {
        CHECK(next_daily_at("Asia/Kolkata", "09:30", at("2026-11-22T03:00:00Z")) == at("2026-11-22T04:00:00Z"));
        CHECK(next_daily_at("Asia/Kolkata", "09:30", at("2026-11-22T03:59:59.999Z")) == at("2026-11-22T04:00:00Z"));
    }
    SECTION("a now exactly at the digest instant gives the next day") {
        CHECK(next_daily_at("Asia/Kolkata", "09:30", at("2026-11-22T04:00:00Z")) == at("2026-11-23T04:00:00Z"));
        CHECK(next_daily_at("Asia/Kolkata", "09:30", at("2026-11-22T04:00:00.001Z")) == at("2026-11-23T04:00:00Z"));
    }
    SECTION("across the local day boundary, where the UTC date lags the local one") {
        auto const now = at("2026-11-22T20:00:00Z");  // 01:30 IST on the 23rd
        CHECK(local_date("Asia/Kolkata", now) == "2026-11-23");
        CHECK(local_date("UTC", now) == "2026-11-22");
        CHECK(next_daily_at("Asia/Kolkata", "09:30", now) == at("2026-11-23T04:00:00Z"));
        CHECK(local_date("Asia/Kolkata", at("2026-11-22T18:29:59.999Z")) == "2026-11-22");
        CHECK(local_date("Asia/Kolkata", at("2026-11-22T18:30:00Z")) == "2026-11-23");
        CHECK(next_daily_at("Asia/Kolkata", "00:00", at("2026-11-22T18:30:00Z")) == at("2026-11-23T18:30:00Z"));
    }
    SECTION("Asia/Shanghai, UTC+08:00") {
        CHECK(next_daily_at("Asia/Shanghai", "09:30", at("2026-11-22T00:00:00Z")) == at("2026-11-22T01:30:00Z"));
        CHECK(next_daily_at("Asia/Shanghai", "09:30", at("2026-11-22T17:00:00Z")) == at("2026-11-23T01:30:00Z"));
        CHECK(local_date("Asia/Shanghai", at("2026-11-22T16:00:00Z")) == "2026-11-23");
        CHECK(next_daily_at("Asia/Shanghai", "23:59", at("2026-11-22T16:00:00Z")) == at("2026-11-23T15:59:00Z"));
    }
    SECTION("UTC") { CHECK(next_daily_at("UTC", "09:30", at("2026-11-22T10:00:00Z")) == at("2026-11-23T09:30:00Z")); }
}

TEST_CASE("The daily digest keeps its local time across Europe/London's 2026 transitions", "[digest][time]") {
    SECTION("spring forward on 29 March: 09:30 GMT then 09:30 BST, 23 hours apart") {
        CHECK(next_daily_at("Europe/London", "09:30", at("2026-03-28T09:30:00Z")) == at("2026-03-29T08:30:00Z"));
    }
    SECTION("01:30 does not exist on 29 March: the digest goes at 02:00 BST, when the clocks jump") {
        CHECK(next_daily_at("Europe/London", "01:30", at("2026-03-28T01:30:00Z")) == at("2026-03-29T01:00:00Z"));
        CHECK(next_daily_at("Europe/London", "01:30", at("2026-03-29T00:59:59Z")) == at("2026-03-29T01:00:00Z"));
        CHECK(next_daily_at("Europe/London", "01:30", at("2026-03-29T01:00:00Z")) == at("2026-03-30T00:30:00Z"));
        CHECK(local_date("Europe/London", at("2026-03-29T01:00:00Z")) == "2026-03-29");
    }
    SECTION("fall back on 25 October: 09:30 BST then 09:30 GMT, 25 hours apart") {
        CHECK(next_daily_at("Europe/London", "09:30", at("2026-10-24T08:30:00Z")) == at("2026-10-25T09:30:00Z"));
    }
    SECTION("01:30 happens twice on 25 October: only the first counts, never both") {
        CHECK(next_daily_at("Europe/London", "01:30", at("2026-10-24T23:59:00Z")) == at("2026-10-25T00:30:00Z"));
        CHECK(next_daily_at("Europe/London", "01:30", at("2026-10-25T00:30:00Z")) == at("2026-10-26T01:30:00Z"));
        CHECK(local_date("Europe/London", at("2026-10-24T23:30:00Z")) == "2026-10-25");  // 00:30 BST
        CHECK(local_date("Europe/London", at("2026-10-25T23:30:00Z")) == "2026-10-25");  // 23:30 GMT
    }
    SECTION("every local day of the year gets exactly one digest") {
        check_one_per_local_day("Europe/London", "01:30", "2026-01-01T00:00:00Z", 365);
        check_one_per_local_day("Europe/London", "00:00", "2026-01-01T00:00:00Z", 365);
    }
}

TEST_CASE("A digest at 02:30 in New York on the spring-forward day goes at 03:00 EDT", "[digest][time]") {
    SECTION("8 March 2026: 02:00 EST jumps to 03:00 EDT (07:00Z)") {
        CHECK(next_daily_at("America/New_York", "02:30", at("2026-03-07T07:30:00Z")) == at("2026-03-08T07:00:00Z"));
        CHECK(next_daily_at("America/New_York", "02:30", at("2026-03-08T07:00:00Z")) == at("2026-03-09T06:30:00Z"));
    }
    SECTION("09:30 moves from 14:30Z to 13:30Z") {
        CHECK(next_daily_at("America/New_York", "09:30", at("2026-03-07T12:00:00Z")) == at("2026-03-07T14:30:00Z"));
        CHECK(next_daily_at("America/New_York", "09:30", at("2026-03-07T14:30:00Z")) == at("2026-03-08T13:30:00Z"));
    }
    SECTION("1 November 2026: 01:30 repeats, the EDT one counts") {
        CHECK(next_daily_at("America/New_York", "01:30", at("2026-11-01T00:00:00Z")) == at("2026-11-01T05:30:00Z"));
        CHECK(next_daily_at("America/New_York", "01:30", at("2026-11-01T05:30:00Z")) == at("2026-11-02T06:30:00Z"));
    }
    SECTION("every local day of the year gets exactly one digest") {
        check_one_per_local_day("America/New_York", "02:30", "2026-01-01T00:00:00Z", 365);
        check_one_per_local_day("America/New_York", "01:30", "2026-01-01T00:00:00Z", 365);
    }
}

TEST_CASE("A malformed digest time or an unknown zone is refused", "[digest][time]") {
    auto const now = at("2026-11-22T10:00:00Z");
    for (auto bad : {"9:30", "09:30:00", "24:00", "09:60", "ab:cd", "09-30", "", "０9:30"}) {
        INFO(bad);
        CHECK_THROWS_AS(next_daily_at("UTC", bad, now), std::invalid_argument);
    }
    CHECK(next_daily_at("UTC", "23:59", now) == at("2026-11-22T23:59:00Z"));
    CHECK(next_daily_at("UTC", "00:00", now) == at("2026-11-23T00:00:00Z"));
    CHECK_THROWS_AS(next_daily_at("Mars/Olympus_Mons", "09:30", now), std::runtime_error);
    CHECK_THROWS_AS(local_date("Mars/Olympus_Mons", now), std::runtime_error);
}

TEST_CASE("A local date starts at its local midnight, a bad date is refused", "[engine][digest]") {
    CHECK(local_day_start("Asia/Kolkata", "2026-11-01") == at("2026-10-31T18:30:00Z"));
    CHECK(local_day_start("UTC", "2026-02-28") == at("2026-02-28T00:00:00Z"));
    // Santiago's clocks jump from 00:00 to 01:00 that night: the day starts at the jump.
    CHECK(local_day_start("America/Santiago", "2026-09-06") == at("2026-09-06T04:00:00Z"));
    for (auto const* bad : {"2026-02-30", "2026-13-01", "2026-1-01", "26-11-01", "2026-11-01x", "+026-11-01", ""})
        CHECK_FALSE(local_day_start("UTC", bad).has_value());
}
