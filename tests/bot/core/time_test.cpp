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
