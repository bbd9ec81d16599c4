#include "bot/actions/submission.hpp"

#include "bot/core/api_error.hpp"

#include <catch2/catch.hpp>

#include <string_view>

namespace {

std::string code_of(std::string_view body) {
    try {
        signoff::parse_body(body);
    } catch (signoff::api_error const& e) {
        return e.code;
    }
    return "none";
}

}  // namespace

TEST_CASE("parse_body answers 400 malformed_json for any body that is not JSON", "[actions][submission]") {
    CHECK(code_of(R"({"title": )") == "malformed_json");
    CHECK(code_of("\xC3\x28") == "malformed_json");
    // A number too large for a double is thrown by nlohmann as out_of_range (found by fuzzing).
    CHECK(code_of(R"({"revision": 9e999990})") == "malformed_json");
    CHECK(code_of(R"({"bytes": -1e400})") == "malformed_json");
    CHECK(code_of("[1]") == "invalid_body");
    CHECK(code_of(R"({"reason": "cancelled"})") == "none");
}
