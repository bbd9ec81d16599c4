#include "bot/core/text.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using namespace signoff;
using text::unit;

TEST_CASE("length counts UTF-16 units, bytes or code points as they are", "[bot][core][text]") {
    CHECK(text::length("a\u00E9\U0001F44D", unit::bytes) == 7);
    CHECK(text::length("a\u00E9\U0001F44D", unit::code_points) == 3);
    CHECK(text::length("a\u00E9\U0001F44D", unit::utf16) == 4);
    CHECK(text::length("e\u0301", unit::code_points) == 2);  // not normalised
    CHECK_THROWS_AS(text::length("\xC3\x28", unit::utf16), std::invalid_argument);
}

TEST_CASE("cut_with_ellipsis keeps whole grapheme clusters and room for the ellipsis", "[bot][core][text]") {
    SECTION("text that fits is returned unchanged") {
        CHECK(text::cut_with_ellipsis("abc", 3, unit::utf16) == "abc");
        CHECK(text::cut_with_ellipsis("", 0, unit::bytes) == "");
    }
    SECTION("each unit") {
        CHECK(text::cut_with_ellipsis("abcdef", 4, unit::utf16) == "abc\u2026");
        CHECK(text::cut_with_ellipsis("abcdef", 5, unit::bytes) == "ab\u2026");  // "…" is 3 bytes
        CHECK(text::cut_with_ellipsis("\u4F60\u597D\u4E16\u754C", 3, unit::code_points) == "\u4F60\u597D\u2026");
        CHECK(text::cut_with_ellipsis("\U0001F44D\U0001F44D\U0001F44D", 4, unit::utf16) == "\U0001F44D\u2026");
    }
    SECTION("clusters stay whole") {
        CHECK(text::cut_with_ellipsis("ae\u0301e\u0301", 3, unit::code_points) == "a\u2026");
        CHECK(text::cut_with_ellipsis("\U0001F1EE\U0001F1F3\U0001F1EE\U0001F1F3", 5, unit::utf16) ==
              "\U0001F1EE\U0001F1F3\u2026");
        CHECK(text::cut_with_ellipsis("\U0001F468\u200D\U0001F469\u200D\U0001F467x", 6, unit::utf16) == "\u2026");
    }
    SECTION("another ellipsis, and no room at all") {
        CHECK(text::cut_with_ellipsis("abcdef", 5, unit::bytes, "...") == "ab...");
        CHECK(text::cut_with_ellipsis("abcdef", 0, unit::utf16) == "");
        CHECK(text::cut_with_ellipsis("abcdef", 2, unit::bytes) == "");
    }
    SECTION("invalid UTF-8 that must be cut is refused") {
        CHECK_THROWS_AS(text::cut_with_ellipsis("abc\xC3\x28", 2, unit::code_points), std::invalid_argument);
    }
}

TEST_CASE("longest_fitting_prefix finds the last cluster boundary a monotone test accepts", "[bot][core][text]") {
    auto const within = [](std::size_t bytes) { return [bytes](std::string_view p) { return p.size() <= bytes; }; };
    CHECK(text::longest_fitting_prefix("abcdef", within(4)) == 4);
    CHECK(text::longest_fitting_prefix("abcdef", within(99)) == 6);
    CHECK(text::longest_fitting_prefix("a\u00E9b", within(2)) == 1);  // never inside "é"
    CHECK(text::longest_fitting_prefix("", within(0)) == 0);
    CHECK_FALSE(text::longest_fitting_prefix("abc", [](std::string_view) { return false; }));
}

TEST_CASE("is_white_space is Unicode White_Space", "[bot][core][text]") {
    for (char32_t c : {U' ', U'\t', U'\n', U'\v', U'\f', U'\r', U'\u0085', U'\u00A0', U'\u2028', U'\u2029', U'\u3000'}) {
        INFO(static_cast<unsigned>(c));
        CHECK(text::is_white_space(c));
    }
    for (char32_t c : {U'a', U'\u200B', U'\u00AD', U'_', U'\0'}) {
        INFO(static_cast<unsigned>(c));
        CHECK_FALSE(text::is_white_space(c));
    }
}
