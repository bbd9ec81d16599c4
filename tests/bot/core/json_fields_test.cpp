#include "bot/core/json_fields.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace signoff;
using json = nlohmann::json;

namespace {
struct field_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};
[[noreturn]] void fail(std::string const& path, std::string_view what) {
    throw field_error(path + ": " + std::string(what));
}
constexpr json_fields::reader fields{fail};

std::string error_of(auto const& f) {
    try {
        f();
    } catch (field_error const& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("Strict JSON fields name the path of what is missing or mistyped", "[bot][core][json]") {
    auto const doc = json::parse(R"({"id": 7, "big": 18446744073709551615, "name": "x", "list": [1], "obj": {"ok": true},
                                    "neg": -3, "real": 1.5})");
    SECTION("present and well-typed") {
        CHECK(fields.int_field(doc, "id", "") == 7);
        CHECK(fields.int_field(doc, "neg", "") == -3);
        CHECK(fields.string_field(doc, "name", "") == "x");
        CHECK(fields.array_field(doc, "list", "").size() == 1);
        CHECK(fields.as_bool(fields.object_field(doc, "obj", "")["ok"], "obj.ok"));
        CHECK(fields.optional_string(doc, "name", "") == "x");
        CHECK_FALSE(fields.optional_string(doc, "nope", ""));
        CHECK(json_fields::find(doc, "id"));
        CHECK_FALSE(json_fields::find(doc, "nope"));
        CHECK_FALSE(json_fields::find(json::array(), "id"));
    }
    SECTION("errors carry the joined path") {
        CHECK(error_of([&] { fields.int_field(doc, "nope", "update"); }) == "update.nope: missing");
        CHECK(error_of([&] { fields.int_field(doc, "name", ""); }) == "name: not an integer");
        CHECK(error_of([&] { fields.int_field(doc, "real", ""); }) == "real: not an integer");
        CHECK(error_of([&] { fields.int_field(doc, "big", ""); }) == "big: out of range");
        CHECK(error_of([&] { fields.string_field(doc, "id", "a.b"); }) == "a.b.id: not a string");
        CHECK(error_of([&] { fields.object_field(doc, "list", ""); }) == "list: not an object");
        CHECK(error_of([&] { fields.array_field(doc, "obj", ""); }) == "obj: not an array");
        CHECK(error_of([&] { fields.optional_string(doc, "id", "m"); }) == "m.id: not a string");
        CHECK(error_of([&] { fields.as_bool(doc["id"], "id"); }) == "id: not a boolean");
    }
    SECTION("paths") {
        CHECK(json_fields::join("", "a") == "a");
        CHECK(json_fields::join("a", "b") == "a.b");
        CHECK(json_fields::index("entry", 2) == "entry[2]");
    }
}
