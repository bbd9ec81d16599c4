#include "bot/core/time.hpp"

#include <catch2/catch.hpp>

using namespace signoff;

TEST_CASE("RFC 3339 times round-trip and malformed ones are refused", "[time]") {
    SECTION("formatting") {
        CHECK(rfc3339(0) == "1970-01-01T00:00:00Z");
        CHECK(rfc3339(1'795'341'600'000) == "2026-11-22T10:00:00Z");
        CHECK(rfc3339(1'795'341'600'250) == "2026-11-22T10:00:00.250Z");
    }
    SECTION("parsing with Z, offsets and fractions") {
        CHECK(parse_rfc3339("2026-11-22T10:00:00Z") == 1'795'341'600'000);
        CHECK(parse_rfc3339("2026-11-22T15:30:00+05:30") == 1'795'341'600'000);
        CHECK(parse_rfc3339("2026-11-22T10:00:00.25Z") == 1'795'341'600'250);
        CHECK(parse_rfc3339("2026-11-22t10:00:00z") == 1'795'341'600'000);
    }
    SECTION("malformed") {
        for (auto bad : {"", "2026-11-22", "2026-11-22T10:00:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                         "2026-11-22T24:00:00Z", "2026-11-22T10:00:00+5:30", "2026-11-22T10:00:00Zjunk",
                         "2026-11-22T10:00:00.Z", "２０２６-11-22T10:00:00Z"})
            CHECK_FALSE(parse_rfc3339(bad));
    }
    SECTION("durations in fractional hours") {
        CHECK(hours_to_ms(0.001) == 3600);
        CHECK(minutes_to_ms(1.5) == 90'000);
    }
}

TEST_CASE("parse_hh_mm reads a two-digit wall-clock time", "[time]") {
    CHECK(parse_hh_mm("00:00") == 0);
    CHECK(parse_hh_mm("09:30") == 9 * 60 + 30);
    CHECK(parse_hh_mm("23:59") == 23 * 60 + 59);
    for (auto bad : {"", "9:30", "24:00", "12:60", "12-30", "12:3", "12:300", " 12:30", "１２:30"}) {
        INFO(bad);
        CHECK_FALSE(parse_hh_mm(bad));
    }
}

TEST_CASE("RFC 3339 edge cases: long fractions, leap seconds, offsets", "[time]") {
    CHECK(parse_rfc3339("2026-11-22T10:00:00.123456789Z") == 1'795'341'600'123);
    CHECK(parse_rfc3339("2026-11-22 10:00:00Z") == 1'795'341'600'000);
    CHECK(parse_rfc3339("2026-12-31T23:59:60Z") == parse_rfc3339("2026-12-31T23:59:59Z"));
    CHECK(parse_rfc3339("2026-11-22T05:00:00-05:00") == 1'795'341'600'000);
    CHECK(parse_rfc3339("2028-02-29T00:00:00Z"));
    for (auto bad : {"2026-1-22T10:00:00Z", "2026-11-22T10:00:00+0530", "2026-11-22T10:00:00+24:00", "2027-02-29T00:00:00Z"}) {
        INFO(bad);
        CHECK_FALSE(parse_rfc3339(bad));
    }
    CHECK(rfc3339(*parse_rfc3339("2026-11-22T10:00:00.5+01:00")) == "2026-11-22T09:00:00.500Z");
}
