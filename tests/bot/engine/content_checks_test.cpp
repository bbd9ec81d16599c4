#include "bot/engine/content_checks.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace signoff;
using content::check_result;
using content::media_ref;

namespace {

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

constexpr std::uint64_t mib = 1024 * 1024;

config::content_config demo_content() {
    return {.limits = {{"weibo", 140}, {"wechat", 680}, {"x", 280}, {"mastodon", 10}},
            .prohibited = {"state secret", "\u56FD\u5BB6\u673A\u5BC6", "Stra\u00DFe", "istanbul"},
            .prohibited_raises_tier_to = "sensitive",
            .media = {{"image/jpeg", {.min_bytes = mib, .max_bytes = 5 * mib}},
                      {"video/mp4", {.min_bytes = std::nullopt, .max_bytes = 500 * mib}},
                      {"image/png", {}}}};
}

}  // namespace

TEST_CASE("Platform limits count as each platform counts", "[content]") {
    auto const cfg = demo_content();
    auto const one = [&](std::string const& platform, std::string_view title, std::string_view body) {
        auto const r = content::check_revision(cfg, title, body, {platform}, {});
        REQUIRE(r.size() == 2);  // the limit, then "prohibited"
        return r[0];
    };
    std::string const han = "\u4E2D";  // 中

    SECTION("weibo counts title and body, exactly at the limit") {
        auto const r = one("weibo", repeat(han, 10), repeat(han, 130));
        CHECK(r.rule == "limit:weibo");
        CHECK(r.ok);
        CHECK(r.detail == "weibo: 140 of 140 characters");
    }
    SECTION("weibo one over the limit") {
        auto const r = one("weibo", repeat(han, 10), repeat(han, 120) + repeat("\uFF01", 11));  // fullwidth ！
        CHECK_FALSE(r.ok);
        CHECK(r.detail == "weibo: 141 of 140 characters");
    }
    SECTION("wechat counts title too, in NFC") {
        auto const r = one("wechat", "Caf" + repeat("e\u0301", 1), repeat("a", 676));
        CHECK(r.ok);
        CHECK(r.detail == "wechat: 680 of 680 characters");
        CHECK_FALSE(one("wechat", "Cafe\u0301!", repeat("a", 676)).ok);
    }
    SECTION("Chinese counts 1 per character on weibo and 2 on X") {
        auto const body = repeat(han, 141);
        CHECK(one("weibo", "", body).detail == "weibo: 141 of 140 characters");
        CHECK(one("x", "", body).detail == "x: 282 of 280 characters");
        CHECK(one("x", "", repeat(han, 140)).ok);
    }
    SECTION("X ignores the title") {
        auto const r = one("x", repeat("t", 500), "hello");
        CHECK(r.ok);
        CHECK(r.detail == "x: 5 of 280 characters");
    }
    SECTION("X counts a long URL as 23, exactly at the limit and one over") {
        auto const url = "https://example.org/" + repeat("p", 300);
        CHECK(one("x", "", repeat("a", 256) + " " + url).detail == "x: 280 of 280 characters");
        CHECK(one("x", "", repeat("a", 256) + " " + url).ok);
        CHECK_FALSE(one("x", "", repeat("a", 257) + " " + url).ok);
    }
    SECTION("X counts emoji sequences as 2") {
        auto const family = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466";
        CHECK(one("x", "", repeat(family, 140)).detail == "x: 280 of 280 characters");
        CHECK_FALSE(one("x", "", repeat("\U0001F1E9\U0001F1EA", 140) + "!").ok);
    }
    SECTION("other platforms count the body's code points only") {
        auto const r = one("mastodon", "a long title", "\U0001F44D\U0001F3FD12345678");
        CHECK(r.ok);
        CHECK(r.detail == "mastodon: 10 of 10 characters");
    }
}

TEST_CASE("Limit results follow the platforms list", "[content]") {
    auto cfg = demo_content();
    cfg.prohibited.clear();

    SECTION("platforms without a configured limit produce no result") {
        auto const r = content::check_revision(cfg, "", "hi", {"facebook", "telegram"}, {});
        CHECK(r.empty());
    }
    SECTION("one result per distinct platform, in the order given") {
        auto const r = content::check_revision(cfg, "", "hi", {"x", "facebook", "weibo", "x"}, {});
        REQUIRE(r.size() == 2);
        CHECK(r[0].rule == "limit:x");
        CHECK(r[1].rule == "limit:weibo");
    }
    SECTION("no prohibited result without terms") {
        CHECK(content::check_revision(cfg, "state secret", "", {}, {}).empty());
    }
}

TEST_CASE("Prohibited terms match case- and form-insensitively", "[content]") {
    auto const cfg = demo_content();
    auto const hits = [&](std::string_view text) { return content::prohibited_hits(cfg.prohibited, text); };
    using terms = std::vector<std::string>;

    SECTION("different case") { CHECK(hits("Leaked: STATE SECRET files") == terms{"state secret"}); }
    SECTION("fullwidth letters (NFKC)") {
        CHECK(hits("\uFF53\uFF54\uFF41\uFF54\uFF45\u3000\uFF33\uFF25\uFF23\uFF32\uFF25\uFF34") ==
              terms{"state secret"});
    }
    SECTION("white space runs, line breaks and soft hyphens") {
        CHECK(hits("state\n   secret") == terms{"state secret"});
        CHECK(hits("state se\u00ADcret") == terms{"state secret"});
    }
    SECTION("German sharp s matches SS through case folding") {
        CHECK(hits("HAUPTSTRASSE 1") == terms{"Stra\u00DFe"});
        CHECK(hits("Hauptstra\u00DFe 1") == terms{"Stra\u00DFe"});
        CHECK(content::prohibited_hits({"STRASSE"}, "Hauptstra\u00DFe") == terms{"STRASSE"});
    }
    SECTION("Turkish I: no locale tailoring") {
        CHECK(hits("ISTANBUL") == terms{"istanbul"});
        CHECK(hits("\u0130STANBUL").empty());  // İ folds to i + U+0307
        CHECK(hits("\u0131stanbul").empty());  // dotless ı stays distinct
    }
    SECTION("Chinese terms") {
        CHECK(hits("\u8FD9\u662F\u56FD\u5BB6\u673A\u5BC6\u6587\u4EF6") == terms{"\u56FD\u5BB6\u673A\u5BC6"});
        CHECK(hits("\u56FD\u5BB6\u7684\u673A\u5BC6").empty());
    }
    SECTION("no false positive") {
        CHECK(hits("The state's secretary announced a secret plan").empty());
        CHECK(hits("").empty());
    }
    SECTION("several terms in config order, each once") {
        CHECK(hits("istanbul, state secret, state secret, \u56FD\u5BB6\u673A\u5BC6") ==
              terms{"state secret", "\u56FD\u5BB6\u673A\u5BC6", "istanbul"});
    }
    SECTION("empty terms are ignored") { CHECK(content::prohibited_hits({"", " "}, "anything").empty()); }
}

TEST_CASE("The prohibited check looks at title and body", "[content]") {
    auto const cfg = demo_content();
    auto const check = [&](std::string_view title, std::string_view body) {
        auto const r = content::check_revision(cfg, title, body, {}, {});
        REQUIRE(r.size() == 1);
        CHECK(r[0].rule == "prohibited");
        return r[0];
    };

    SECTION("clean text") {
        auto const r = check("World Standards Day", "Join us.");
        CHECK(r.ok);
        CHECK(r.detail == "no prohibited terms");
    }
    SECTION("a term in the title") {
        auto const r = check("A State Secret", "Join us.");
        CHECK_FALSE(r.ok);
        CHECK(r.detail == "prohibited: \"state secret\"");
    }
    SECTION("terms in title and body are named in config order") {
        auto const r = check("Istanbul", "\u56FD\u5BB6\u673A\u5BC6");
        CHECK(r.detail == "prohibited: \"\u56FD\u5BB6\u673A\u5BC6\", \"istanbul\"");
    }
    SECTION("no term across the title/body boundary") { CHECK(check("The state", "secret").ok); }
}

TEST_CASE("Media items are checked against the media rules", "[content]") {
    auto const cfg = demo_content();
    auto const check = [&](media_ref const& m) {
        auto const r = content::check_revision(cfg, "", "", {}, {media_ref{.type = "image/png"}, m});
        REQUIRE(r.size() == 3);
        CHECK(r[0].rule == "prohibited");
        CHECK(r[1].rule == "media[0]");
        CHECK(r[1].ok);
        CHECK(r[2].rule == "media[1]");
        return r[2];
    };

    SECTION("a type not listed fails") {
        auto const r = check({.url = "https://e.org/a.gif", .type = "image/gif", .bytes = 1000});
        CHECK_FALSE(r.ok);
        CHECK(r.detail == "media[1]: image/gif is not an allowed media type");
    }
    SECTION("a missing type fails") {
        CHECK(check({.url = "https://e.org/a"}).detail == "media[1]: media type not given");
    }
    SECTION("too small") {
        auto const r = check({.type = "image/jpeg", .bytes = 800 * 1024});
        CHECK_FALSE(r.ok);
        CHECK(r.detail == "media[1]: 800 KB is below the minimum of 1 MB for image/jpeg");
    }
    SECTION("too large") {
        auto const r = check({.type = "image/jpeg", .bytes = 6 * mib + 1});
        CHECK_FALSE(r.ok);
        CHECK(r.detail == "media[1]: 6 MB is above the maximum of 5 MB for image/jpeg");
    }
    SECTION("sizes that round alike are given in bytes") {
        CHECK(check({.type = "image/jpeg", .bytes = mib - 1}).detail ==
              "media[1]: 1048575 bytes is below the minimum of 1048576 bytes for image/jpeg");
    }
    SECTION("unknown size when the rule has a bound") {
        auto const r = check({.type = "video/mp4"});
        CHECK_FALSE(r.ok);
        CHECK(r.detail == "media[1]: size not given; video/mp4 must be at most 500 MB");
        CHECK(check({.type = "image/jpeg"}).detail ==
              "media[1]: size not given; image/jpeg must be between 1 MB and 5 MB");
    }
    SECTION("ok, including both bounds and a differently cased type") {
        auto const r = check({.type = "image/jpeg", .bytes = 2400000});
        CHECK(r.ok);
        CHECK(r.detail == "media[1]: image/jpeg, 2.3 MB");
        CHECK(check({.type = "image/jpeg", .bytes = mib}).ok);
        CHECK(check({.type = "image/jpeg", .bytes = 5 * mib}).ok);
        CHECK(check({.type = "IMAGE/JPEG", .bytes = 3 * mib}).ok);
        CHECK(check({.type = "image/png"}).detail == "media[1]: image/png");
    }
}
