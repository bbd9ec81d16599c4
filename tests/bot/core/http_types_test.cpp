#include "bot/core/http_types.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string_view>

TEST_CASE("A Range header is read as one byte range within the file, or ignored", "[core][http]") {
    using kind = signoff::range_request::kind;
    auto part = [](char const* h, std::uint64_t size) { return signoff::parse_range(std::string_view(h), size); };
    CHECK(part("bytes=0-99", 1000).range.first == 0);
    CHECK(part("bytes=0-99", 1000).range.length == 100);
    CHECK(part("bytes=900-", 1000).range.length == 100);
    CHECK(part("bytes=900-5000", 1000).range.length == 100);  // clipped to the end
    CHECK(part("bytes=-10", 1000).range.first == 990);
    CHECK(part("bytes=-5000", 1000).range.first == 0);
    CHECK(part("bytes=1000-", 1000).what == kind::unsatisfiable);
    CHECK(part("bytes=-0", 1000).what == kind::unsatisfiable);
    for (auto const* ignored : {"bytes=5-1", "bytes=0-1,5-9", "items=0-1", "bytes=a-b", "bytes=", "bytes=-", "0-1"})
        CHECK(part(ignored, 1000).what == kind::whole);
    CHECK(signoff::parse_range(std::nullopt, 10).what == kind::whole);
}

TEST_CASE("A cookie is found by its exact name among several, in any Cookie header", "[core][http]") {
    signoff::header_list h{{"Accept", "x"}, {"cookie", "a=1; signoff_session=abc ; b=2"}, {"Cookie", "c=3"}};
    CHECK(signoff::cookie_value(h, "signoff_session") == "abc");
    CHECK(signoff::cookie_value(h, "c") == "3");
    CHECK_FALSE(signoff::cookie_value(h, "session").has_value());  // not a suffix match
    CHECK_FALSE(signoff::cookie_value({}, "a").has_value());
}
