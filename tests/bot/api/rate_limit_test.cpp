#include "bot/api/rate_limit.hpp"
#include "bot/core/api_error.hpp"

#include <catch2/catch.hpp>

using namespace signoff;

TEST_CASE("A token bucket allows its burst, then refills at its rate by the clock given", "[api][rate_limit]") {
    bucket_rule const rule{.per_minute = 60, .burst = 3};  // one token a second
    token_bucket bucket;
    millis const t0 = 1'700'000'000'000;

    SECTION("a new bucket is full: the burst goes at once, the next waits a second") {
        for (int i = 0; i < 3; ++i) CHECK_FALSE(take_token(bucket, rule, t0).has_value());
        auto wait = take_token(bucket, rule, t0);
        REQUIRE(wait.has_value());
        CHECK(*wait == 1000);
        CHECK(retry_after_seconds(*wait) == 1);
    }
    SECTION("time refills it, never beyond the burst") {
        for (int i = 0; i < 3; ++i) take_token(bucket, rule, t0);
        CHECK(take_token(bucket, rule, t0 + 400).value() == 600);  // 0.4 tokens there, 0.6 to go
        CHECK_FALSE(take_token(bucket, rule, t0 + 1000).has_value());
        CHECK(take_token(bucket, rule, t0 + 1000).has_value());
        // An hour idle gives back the burst and no more.
        millis const later = t0 + 3'600'000;
        for (int i = 0; i < 3; ++i) CHECK_FALSE(take_token(bucket, rule, later).has_value());
        CHECK(take_token(bucket, rule, later).has_value());
    }
    SECTION("a refused call takes nothing, and a clock that steps back adds nothing") {
        for (int i = 0; i < 3; ++i) take_token(bucket, rule, t0);
        CHECK(take_token(bucket, rule, t0).has_value());
        CHECK(take_token(bucket, rule, t0 - 5000).has_value());
        CHECK_FALSE(take_token(bucket, rule, t0 + 1000).has_value());
    }
    SECTION("Retry-After rounds a wait up to whole seconds, at least one") {
        CHECK(retry_after_seconds(1) == 1);
        CHECK(retry_after_seconds(1000) == 1);
        CHECK(retry_after_seconds(1001) == 2);
        CHECK(retry_after_seconds(59'500) == 60);
    }
}

TEST_CASE("Each API key has its own buckets, over them a call is 429 rate_limited with Retry-After",
          "[api][rate_limit]") {
    config::api_key agency{.name = "agency", .key = "a", .scopes = {"submit"}, .rate_per_minute = 60, .burst = 1,
                           .urgent_per_minute = 1, .urgent_burst = 1};
    config::api_key other = agency;
    other.name = "other";
    key_rate_limits limits;
    millis const t0 = 1'700'000'000'000;

    limits.take(agency, key_rate_limits::kind::change, t0);
    try {
        limits.take(agency, key_rate_limits::kind::change, t0);
        FAIL("the second change within the second was allowed");
    } catch (api_error const& e) {
        CHECK(e.status == 429);
        CHECK(e.code == "rate_limited");
        CHECK_THAT(e.what(), Catch::Contains("\"agency\""));
        REQUIRE(e.headers.size() == 1);
        CHECK(e.headers[0] == std::pair<std::string, std::string>{"Retry-After", "1"});
    }
    CHECK_NOTHROW(limits.take(other, key_rate_limits::kind::change, t0));   // another key is not held back
    CHECK_NOTHROW(limits.take(agency, key_rate_limits::kind::urgent, t0));  // nor the urgent bucket by changes
    try {
        limits.take(agency, key_rate_limits::kind::urgent, t0 + 1000);
        FAIL("a second urgent submission within the minute was allowed");
    } catch (api_error const& e) {
        CHECK(e.headers.at(0).second == "59");
    }
    CHECK_NOTHROW(limits.take(agency, key_rate_limits::kind::change, t0 + 1000));
}
