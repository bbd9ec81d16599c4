#include "bot/core/url.hpp"

#include <catch2/catch.hpp>

using namespace signoff;

TEST_CASE("parse_url splits http(s) URLs on RFC 3986 and normalises what is case-insensitive", "[bot][core][url]") {
    url_parts u;
    SECTION("an upper-case scheme and host are normalised, the path is kept") {
        REQUIRE(parse_url("HTTPS://API.Example.ORG/Bot/X?Q=1#frag", u));
        CHECK(u.scheme == "https");
        CHECK(u.host == "api.example.org");
        CHECK(u.port == "443");
        CHECK(u.target == "/Bot/X?Q=1");
    }
    SECTION("defaults and literals") {
        REQUIRE(parse_url("http://127.0.0.1:9000", u));
        CHECK(u.port == "9000");
        CHECK(u.target == "/");
        REQUIRE(parse_url("http://[::1]:8080?x=1", u));
        CHECK(u.host == "::1");
        CHECK(u.target == "/?x=1");
    }
    SECTION("malformed URLs are refused") {
        for (auto bad : {"ftp://x/", "https://user:pw@host/", "https://host:80x/", "https://host:65536/", "https://host:/",
                         "https:///path", "https://ho_st/", "https://999.1.1.1/", "no scheme", "https://a b/"}) {
            INFO(bad);
            CHECK_FALSE(parse_url(bad, u));
        }
    }
}

TEST_CASE("is_valid_host accepts addresses and DNS names only", "[bot][core][url]") {
    CHECK(is_valid_host("api.telegram.org"));
    CHECK(is_valid_host("10.0.0.5"));
    CHECK(is_valid_host("[::1]"));
    CHECK_FALSE(is_valid_host("256.0.0.1"));
    CHECK_FALSE(is_valid_host("-leading.example"));
    CHECK_FALSE(is_valid_host("[]"));
    CHECK_FALSE(is_valid_host(""));
}

TEST_CASE("percent_encode keeps only the unreserved characters", "[bot][core][url]") {
    CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
    CHECK(percent_encode("+1 555/x&y=z") == "%2B1%20555%2Fx%26y%3Dz");
    CHECK(percent_encode("\xE2\x80\xA6") == "%E2%80%A6");
    CHECK(percent_encode("") == "");
}

TEST_CASE("percent_decode undoes escapes and refuses bad ones", "[bot][core][url]") {
    CHECK(percent_decode("a%20b+c", false) == "a b+c");
    CHECK(percent_decode("a%20b+c", true) == "a b c");
    CHECK(percent_decode("%E2%80%a6", false) == "\xE2\x80\xA6");
    CHECK(percent_decode(percent_encode("x+y z/%"), true) == "x+y z/%");
    for (auto bad : {"%", "%4", "a%zz", "%g0"}) {
        INFO(bad);
        CHECK_FALSE(percent_decode(bad, false));
    }
}
