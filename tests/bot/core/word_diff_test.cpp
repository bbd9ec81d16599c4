#include "bot/core/word_diff.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

using signoff::word_diff;

TEST_CASE("word_diff shows changed words with a little context", "[chat][diff]") {
    SECTION("identical texts give nothing") {
        CHECK(word_diff("", "") == "");
        CHECK(word_diff("World Standards Day", "World Standards Day") == "");
    }
    SECTION("white space alone is not a change") {
        CHECK(word_diff("World  Standards\nDay", "World Standards Day") == "");
    }
    SECTION("one word replaced, as in the brief") {
        CHECK(word_diff("BIS celebrates World Standards Day on 14 October 2026",
                        "BIS celebrates World Standards Day on 14 Oct 2026") ==
              "…Standards Day on 14 [-October-] {+Oct+} 2026");
    }
    SECTION("a short text shows all of itself") { CHECK(word_diff("a b c", "a x c") == "a [-b-] {+x+} c"); }
    SECTION("insertion at the start") {
        CHECK(word_diff("one two three four five six", "zero one two three four five six") ==
              "{+zero+} one two three four…");
    }
    SECTION("insertion at the end") {
        CHECK(word_diff("one two three four five six", "one two three four five six seven") ==
              "…three four five six {+seven+}");
    }
    SECTION("deletion") {
        CHECK(word_diff("the quick brown fox jumps over the lazy dog", "the quick fox jumps over the lazy dog") ==
              "the quick [-brown-] fox jumps over the…");
    }
    SECTION("several adjacent words become one deletion and one insertion") {
        CHECK(word_diff("a b c d e", "a x y e") == "a [-b c d-] {+x y+} e");
    }
    SECTION("distant changes are separate hunks joined by an ellipsis") {
        CHECK(word_diff("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20",
                        "1 2 X 4 5 6 7 8 9 10 11 12 13 14 15 16 17 Y 19 20") ==
              "1 2 [-3-] {+X+} 4 5 6 7 … 14 15 16 17 [-18-] {+Y+} 19 20");
    }
    SECTION("nearby changes share their context") {
        CHECK(word_diff("1 2 3 4 5 6 7 8 9 10 11 12", "1 2 3 4 X 6 7 8 Y 10 11 12") ==
              "1 2 3 4 [-5-] {+X+} 6 7 8 [-9-] {+Y+} 10 11 12");
    }
    SECTION("everything replaced") {
        CHECK(word_diff("old text", "new words") == "[-old text-] {+new words+}");
        CHECK(word_diff("", "new") == "{+new+}");
        CHECK(word_diff("gone", "") == "[-gone-]");
    }
}

TEST_CASE("word_diff keeps Chinese compact: each ideograph is a token", "[chat][diff]") {
    SECTION("one character changed") {
        CHECK(word_diff("世界标准日将于十月十四日举行", "世界标准日将于十月十五日举行") ==
              "…于十月十[-四-]{+五+}日举行");
    }
    SECTION("punctuation is a token of its own") {
        CHECK(word_diff("欢迎参加。", "欢迎参加！") == "欢迎参加[-。-]{+！+}");
    }
    SECTION("mixed Chinese and Latin keeps the spaces that were there") {
        CHECK(word_diff("BIS 举办 World Standards Day", "BIS 举办 World Standard Day") ==
              "BIS 举办 World [-Standards-] {+Standard+} Day");
    }
    SECTION("Hindi words split on spaces") {
        CHECK(word_diff("विश्व मानक दिवस 14 अक्टूबर को", "विश्व मानक दिवस 15 अक्टूबर को") ==
              "विश्व मानक दिवस [-14-] {+15+} अक्टूबर को");
    }
}

TEST_CASE("word_diff stays fast and small on large texts", "[chat][diff]") {
    auto text = [](std::string const& word, std::size_t bytes) {
        std::string out;
        for (int i = 0; out.size() < bytes; ++i) out += word + std::to_string(i) + " ";
        return out;
    };
    auto const started = std::chrono::steady_clock::now();
    SECTION("100 KB against a different 100 KB falls back to a summary") {
        auto const d = word_diff(text("alpha", 100'000), text("beta", 100'000));
        CHECK(d.rfind("[-alpha0 alpha1", 0) == 0);
        CAPTURE(d);
        CHECK(d.find("alpha11 …-] {+beta0 beta1") != std::string::npos);
        CHECK(d.size() < 400);
    }
    SECTION("one word changed in the middle of 100 KB") {
        auto before = text("w", 100'000);
        auto after = before;
        after.replace(after.find(" w5000 "), 7, " CHANGED ");
        CHECK(word_diff(before, after) == "…w4996 w4997 w4998 w4999 [-w5000-] {+CHANGED+} w5001 w5002 w5003 w5004…");
    }
    SECTION("many scattered changes within the bound are diffed word by word") {
        auto before = text("w", 10'000), after = text("w", 10'000);
        after.replace(after.find(" w100 "), 6, " x ");
        after.replace(after.find(" w1500 "), 7, " y ");
        auto const d = word_diff(before, after);
        CHECK(d.find("[-w100-] {+x+}") != std::string::npos);
        CHECK(d.find("[-w1500-] {+y+}") != std::string::npos);
    }
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
}

TEST_CASE("word_diff rejects text that is not UTF-8", "[chat][diff]") {
    CHECK_THROWS_AS(word_diff("ok", "bad \xff byte"), std::invalid_argument);
}
