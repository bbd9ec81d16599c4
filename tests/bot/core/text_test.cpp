#include "bot/core/text.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using namespace signoff::text;

namespace {

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

}  // namespace

TEST_CASE("UTF-8 validation accepts only shortest-form scalar values", "[text]") {
    SECTION("well-formed text of every sequence length") {
        CHECK(is_valid_utf8(""));
        CHECK(is_valid_utf8("plain ASCII"));
        CHECK(is_valid_utf8(std::string_view("a\0b", 3)));
        CHECK(is_valid_utf8("\xC2\x80"));          // U+0080
        CHECK(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
        CHECK(is_valid_utf8("\xEE\x80\x80"));      // U+E000, just above them
        CHECK(is_valid_utf8("\xEF\xBF\xBF"));      // U+FFFF
        CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
        CHECK(is_valid_utf8("\u4F60\u597D \U0001F44D"));
    }
    SECTION("overlong encodings") {
        CHECK_FALSE(is_valid_utf8("\xC0\xAF"));
        CHECK_FALSE(is_valid_utf8("\xC1\xBF"));
        CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));
        CHECK_FALSE(is_valid_utf8("\xE0\x9F\xBF"));
        CHECK_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));
        CHECK_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));
    }
    SECTION("surrogates") {
        CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));              // U+D800
        CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));              // U+DFFF
        CHECK_FALSE(is_valid_utf8("\xED\xA0\xBD\xED\xB1\x8D"));  // CESU-8 pair for U+1F44D
    }
    SECTION("truncated sequences") {
        CHECK_FALSE(is_valid_utf8("\xE4\xBD"));
        CHECK_FALSE(is_valid_utf8("ok \xF0\x9F\x91"));
        CHECK_FALSE(is_valid_utf8("\xC3 x"));
    }
    SECTION("code points above U+10FFFF") {
        CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
        CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
        CHECK_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));
    }
    SECTION("lone continuation and invalid bytes") {
        CHECK_FALSE(is_valid_utf8("\x80"));
        CHECK_FALSE(is_valid_utf8("abc\xBF"));
        CHECK_FALSE(is_valid_utf8("\xFE"));
        CHECK_FALSE(is_valid_utf8("\xFF"));
    }
    SECTION("every other function throws std::invalid_argument on invalid input") {
        std::string_view const bad = "bad \xED\xA0\x80";
        CHECK_THROWS_AS(nfc(bad), std::invalid_argument);
        CHECK_THROWS_AS(fold(bad), std::invalid_argument);
        CHECK_THROWS_AS(code_points(bad), std::invalid_argument);
        CHECK_THROWS_AS(x_weighted_length(bad), std::invalid_argument);
        CHECK_THROWS_AS(truncate_code_points(bad, 2), std::invalid_argument);
        CHECK_THROWS_AS(split_words(bad), std::invalid_argument);
    }
}

TEST_CASE("Code points are counted in NFC", "[text]") {
    SECTION("a combining accent joins its base") {
        CHECK(nfc("e\u0301") == "\u00E9");
        CHECK(code_points("e\u0301") == 1);
        CHECK(code_points("caf\u00E9") == code_points("cafe\u0301"));
    }
    SECTION("a mark with no precomposed form still counts") { CHECK(code_points("q\u0307") == 2); }
    SECTION("Hangul jamo compose to one syllable") {
        CHECK(nfc("\u1100\u1161") == "\uAC00");
        CHECK(code_points("\u1100\u1161") == 1);
    }
    SECTION("CJK counts one per character") {
        CHECK(code_points("\u4F60\u597D\uFF0C\u4E16\u754C") == 5);  // 你好，世界
    }
    SECTION("emoji count their code points") {
        CHECK(code_points("\U0001F44D") == 1);
        CHECK(code_points("\U0001F44D\U0001F3FD") == 2);
        CHECK(code_points("\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466") == 7);
        CHECK(code_points("\U0001F1E9\U0001F1EA") == 2);
        CHECK(code_points("1\uFE0F\u20E3") == 3);
    }
    SECTION("empty text") {
        CHECK(code_points("") == 0);
        CHECK(nfc("").empty());
    }
}

TEST_CASE("Folding makes case, width and compatibility forms match", "[text]") {
    SECTION("ASCII case") { CHECK(fold("State SECRET") == "state secret"); }
    SECTION("fullwidth letters fold to ASCII (NFKC)") { CHECK(fold("\uFF33\uFF54\uFF41\uFF54\uFF25") == "state"); }
    SECTION("ligatures decompose") { CHECK(fold("\uFB01le") == "file"); }
    SECTION("German sharp s folds to ss, both cases") {
        CHECK(fold("Stra\u00DFe") == "strasse");
        CHECK(fold("STRASSE") == "strasse");
        CHECK(fold("STRA\u1E9EE") == "strasse");
    }
    SECTION("Greek final sigma") { CHECK(fold("\u038C\u03A3\u039F\u03A3") == fold("\u03CC\u03C3\u03BF\u03C2")); }
    SECTION("default-ignorable code points are removed") {
        CHECK(fold("se\u00ADcret") == "secret");
        CHECK(fold("se\u200Bcret") == "secret");
    }
    SECTION("no Turkish tailoring: dotted and dotless I stay distinct from i") {
        CHECK(fold("\u0130") == "i\u0307");
        CHECK(fold("\u0131") == "\u0131");
        CHECK(fold("I") == "i");
    }
    SECTION("Chinese is unchanged") { CHECK(fold("\u56FD\u5BB6\u673A\u5BC6") == "\u56FD\u5BB6\u673A\u5BC6"); }
}

TEST_CASE("X weighted length follows twitter-text v3", "[text]") {
    SECTION("Latin text counts 1 per character") {
        CHECK(x_weighted_length("") == 0);
        CHECK(x_weighted_length("hello") == 5);
        CHECK(x_weighted_length("cafe\u0301") == 4);
    }
    SECTION("CJK counts 2 per character") {
        CHECK(x_weighted_length("\u4F60\u597D") == 4);
        CHECK(x_weighted_length("\u4F60\u597D\uFF0C\u4E16\u754C") == 10);
        CHECK(x_weighted_length("\u1100\u1161") == 2);  // NFC first: one Hangul syllable
    }
    SECTION("the light punctuation ranges") {
        CHECK(x_weighted_length("\u2014") == 1);  // em dash, U+2010–201F
        CHECK(x_weighted_length("\u201C") == 1);  // left double quote
        CHECK(x_weighted_length("\u2032") == 1);  // prime, U+2032–2037
        CHECK(x_weighted_length("\u2026") == 2);  // ellipsis lies outside the ranges
        CHECK(x_weighted_length("\u20AC") == 2);  // euro sign
    }
    SECTION("an emoji sequence counts 2 in total") {
        CHECK(x_weighted_length("\U0001F44D") == 2);
        CHECK(x_weighted_length("\U0001F44D\U0001F3FD") == 2);                                        // skin tone
        CHECK(x_weighted_length("\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466") == 2);  // family
        CHECK(x_weighted_length("\U0001F3F3\uFE0F\u200D\U0001F308") == 2);                            // rainbow flag
        CHECK(x_weighted_length("\u2764\uFE0F") == 2);
        CHECK(x_weighted_length("1\uFE0F\u20E3") == 2);  // keycap
        CHECK(x_weighted_length("\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F") == 2);
    }
    SECTION("flags are regional-indicator pairs") {
        CHECK(x_weighted_length("\U0001F1E9\U0001F1EA") == 2);
        CHECK(x_weighted_length("\U0001F1E9\U0001F1EA\U0001F1EB\U0001F1F7") == 4);
        CHECK(x_weighted_length("\U0001F1E9\U0001F1EA\U0001F1EB") == 4);  // a lone indicator counts 2
    }
    SECTION("text-style symbols count by range unless U+FE0F asks for emoji") {
        CHECK(x_weighted_length("\u00A9") == 1);
        CHECK(x_weighted_length("\u00A9\uFE0F") == 2);
        CHECK(x_weighted_length("1") == 1);
    }
    SECTION("mixed text and emoji") { CHECK(x_weighted_length("hi \U0001F44B\U0001F3FB!") == 6); }
}

TEST_CASE("X counts every http(s) URL as 23", "[text]") {
    SECTION("long and short URLs") {
        CHECK(x_weighted_length("https://example.com/" + repeat("a", 200)) == 23);
        CHECK(x_weighted_length("http://x.co") == 23);
        CHECK(x_weighted_length("HTTPS://EXAMPLE.COM/Path") == 23);
    }
    SECTION("URLs among text") {
        CHECK(x_weighted_length("see https://example.com/a and http://b.org") == 4 + 23 + 5 + 23);
        CHECK(x_weighted_length("\u770B https://example.com/\u4F60\u597D") == 2 + 1 + 23 + 4);  // CJK ends a URL
    }
    SECTION("trailing punctuation is not part of the URL") {
        CHECK(x_weighted_length("https://example.com/a.") == 24);
        CHECK(x_weighted_length("(https://example.com/a)") == 25);
        CHECK(x_weighted_length("https://en.wikipedia.org/wiki/Foo_(bar)") == 23);
    }
    SECTION("not URLs") {
        CHECK(x_weighted_length("https://") == 8);
        CHECK(x_weighted_length("xhttps://a.b") == 12);
        CHECK(x_weighted_length("example.com") == 11);  // bare domains are not recognised
    }
}

TEST_CASE("Truncation keeps whole characters", "[text]") {
    SECTION("short text is unchanged") {
        CHECK(truncate_code_points("abc", 3) == "abc");
        CHECK(truncate_code_points("abc", 10) == "abc");
        CHECK(truncate_code_points("", 0).empty());
        CHECK(truncate_code_points("abc", 0).empty());
    }
    SECTION("multibyte text is cut between code points") {
        CHECK(truncate_code_points("h\u00E9llo", 2) == "h\u00E9");
        CHECK(truncate_code_points("\u4F60\u597D\u4E16\u754C", 3) == "\u4F60\u597D\u4E16");
        CHECK(truncate_code_points("a\U0001F600b", 2) == "a\U0001F600");
    }
    SECTION("a combining mark stays with its base") {
        CHECK(truncate_code_points("e\u0301x", 1).empty());
        CHECK(truncate_code_points("e\u0301x", 2) == "e\u0301");
    }
    SECTION("emoji sequences are not split") {
        CHECK(truncate_code_points("ab\U0001F44D\U0001F3FD", 3) == "ab");
        CHECK(truncate_code_points("\U0001F1E9\U0001F1EA\U0001F1EB\U0001F1F7", 3) == "\U0001F1E9\U0001F1EA");
    }
    SECTION("every cut of a mixed string is a valid prefix") {
        std::string const s = "a\u00E9\u4F60\U0001F44D\U0001F3FDe\u0301\U0001F1E9\U0001F1EA z";
        for (std::size_t max = 0; max <= 14; ++max) {
            auto const t = truncate_code_points(s, max);
            CHECK(is_valid_utf8(t));
            CHECK(s.starts_with(t));
            CHECK(code_points(t) <= max);
        }
    }
}

TEST_CASE("Words are split on Unicode white space", "[text]") {
    using words = std::vector<std::string>;
    SECTION("ASCII spaces, tabs and newlines") {
        CHECK(split_words("  approve\t42 \r\n now ") == words{"approve", "42", "now"});
    }
    SECTION("no-break, ideographic and line separators") {
        CHECK(split_words("\u6279\u51C6\u300042") == words{"\u6279\u51C6", "42"});
        CHECK(split_words("a\u00A0b\u2028c\u2003d\u0085e") == words{"a", "b", "c", "d", "e"});
    }
    SECTION("zero-width space is not white space") { CHECK(split_words("a\u200Bb") == words{"a\u200Bb"}); }
    SECTION("bytes are kept as given") { CHECK(split_words("cafe\u0301 x") == words{"cafe\u0301", "x"}); }
    SECTION("empty and blank text") {
        CHECK(split_words("").empty());
        CHECK(split_words(" \t\u3000 ").empty());
    }
}
