#include "bot/chat/commands.hpp"

#include "bot/core/time.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <climits>
#include <stdexcept>
#include <string>
#include <vector>

using namespace signoff;
using namespace signoff::chat;

namespace Catch {
template <>
struct StringMaker<std::optional<command>> {
    static std::string convert(std::optional<command> const& c) {
        if (!c) return "nullopt";
        std::string out = "{" + std::string(verb_name(c->what));
        out += c->item ? " #" + std::to_string(*c->item) : " (no item)";
        out += " rest=\"" + c->rest + "\"";
        if (c->until) out += " until=\"" + *c->until + "\"";
        return out + "}";
    }
};
template <>
struct StringMaker<std::optional<button_action>> {
    static std::string convert(std::optional<button_action> const& b) {
        if (!b) return "nullopt";
        return "{" + std::string(verb_name(b->what)) + " " + std::to_string(b->item) + " r" +
               std::to_string(b->revision) + "}";
    }
};
}  // namespace Catch

namespace {

struct alias_case {
    std::string_view text;
    verb what;
};

// SPEC §6, every alias, plus the extras parse_command documents.
std::vector<alias_case> const all_aliases{
    {"approve", verb::approve}, {"ok", verb::approve}, {"yes", verb::approve}, {"✅", verb::approve},
    {"👍", verb::approve}, {"批准", verb::approve}, {"同意", verb::approve}, {"通过", verb::approve},
    {"स्वीकृत", verb::approve}, {"अनुमोदित", verb::approve}, {"✔", verb::approve},
    {"reject", verb::reject}, {"no", verb::reject}, {"❌", verb::reject}, {"驳回", verb::reject},
    {"拒绝", verb::reject}, {"अस्वीकृत", verb::reject},
    {"changes", verb::changes}, {"modify", verb::changes}, {"edit", verb::changes}, {"修改", verb::changes},
    {"संशोधन", verb::changes},
    {"reply", verb::reply}, {"回复", verb::reply}, {"उत्तर", verb::reply},
    {"interim", verb::interim}, {"ack", verb::interim}, {"处理中", verb::interim}, {"अंतरिम", verb::interim},
    {"assign", verb::assign}, {"forward", verb::assign}, {"转交", verb::assign},
    {"pending", verb::pending}, {"list", verb::pending}, {"待办", verb::pending}, {"लंबित", verb::pending},
    {"show", verb::show}, {"查看", verb::show},
    {"history", verb::history}, {"记录", verb::history},
    {"away", verb::away}, {"休假", verb::away},
    {"back", verb::back}, {"返回", verb::back},
    {"help", verb::help}, {"帮助", verb::help}, {"मदद", verb::help}, {"?", verb::help},
    // Traditional Chinese (Taiwan usage), Lithuanian, and Hindi words for every command.
    {"核准", verb::approve}, {"通過", verb::approve}, {"駁回", verb::reject}, {"拒絕", verb::reject},
    {"回覆", verb::reply}, {"處理中", verb::interim}, {"轉交", verb::assign}, {"待辦", verb::pending},
    {"記錄", verb::history}, {"幫助", verb::help},
    {"patvirtinti", verb::approve}, {"taip", verb::approve}, {"atmesti", verb::reject}, {"pataisyti", verb::changes},
    {"atsakyti", verb::reply}, {"tarpinis", verb::interim}, {"perduoti", verb::assign}, {"laukia", verb::pending},
    {"sąrašas", verb::pending}, {"rodyti", verb::show}, {"istorija", verb::history}, {"išvykstu", verb::away},
    {"grįžau", verb::back}, {"pagalba", verb::help},
    {"सौंपें", verb::assign}, {"देखें", verb::show}, {"इतिहास", verb::history}, {"अवकाश", verb::away},
    {"वापस", verb::back},
};

bool takes_id(verb v) { return v != verb::pending && v != verb::away && v != verb::back && v != verb::help; }

std::string upper_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

command cmd(verb what, std::optional<std::int64_t> item = std::nullopt, std::string rest = "",
            std::optional<std::string> until = std::nullopt) {
    return {.what = what, .item = item, .rest = std::move(rest), .until = std::move(until)};
}

}  // namespace

TEST_CASE("Every alias of every verb is recognised", "[chat][commands]") {
    SECTION("alone") {
        for (auto const& a : all_aliases) {
            CAPTURE(a.text);
            CHECK(parse_command(a.text) == cmd(a.what));
        }
    }
    SECTION("with a leading slash") {
        for (auto const& a : all_aliases) {
            CAPTURE(a.text);
            CHECK(parse_command("/" + std::string(a.text)) == cmd(a.what));
        }
    }
    SECTION("in upper and mixed case") {
        for (auto const& a : all_aliases) {
            CAPTURE(a.text);
            CHECK(parse_command(upper_ascii(a.text)) == cmd(a.what));
        }
        CHECK(parse_command("ApProVe 42") == cmd(verb::approve, 42));
        CHECK(parse_command("/HISTORY #9") == cmd(verb::history, 9));
    }
    SECTION("followed by an id and a note") {
        for (auto const& a : all_aliases) {
            if (!takes_id(a.what)) continue;
            CAPTURE(a.text);
            CHECK(parse_command(std::string(a.text) + " 42 a note") == cmd(a.what, 42, "a note"));
            CHECK(parse_command(std::string(a.text) + " #42 a note") == cmd(a.what, 42, "a note"));
        }
    }
    SECTION("Traditional Chinese and Lithuanian words take ids and dates like the others") {
        CHECK(parse_command("駁回42 篇幅過長") == cmd(verb::reject, 42, "篇幅過長"));
        CHECK(parse_command("記錄 #7") == cmd(verb::history, 7));
        CHECK(parse_command("Atmesti 42 per ilgas") == cmd(verb::reject, 42, "per ilgas"));
        CHECK(parse_command("išvykstu iki 2026-12-01") == cmd(verb::away, std::nullopt, "", "2026-12-01"));
    }
    SECTION("verbs without an id keep all their text") {
        CHECK(parse_command("list overdue") == cmd(verb::pending, std::nullopt, "overdue"));
        CHECK(parse_command("help 42") == cmd(verb::help, std::nullopt, "42"));
        CHECK(parse_command("back now") == cmd(verb::back, std::nullopt, "now"));
        CHECK(parse_command("帮助 #approve") == cmd(verb::help, std::nullopt, "#approve"));
    }
    SECTION("canonical names") {
        CHECK(verb_name(verb::approve) == "approve");
        CHECK(verb_name(verb::changes) == "changes");
        CHECK(verb_name(verb::interim) == "interim");
        CHECK(verb_name(verb::help) == "help");
        for (auto const& a : all_aliases)
            if (static_cast<unsigned char>(a.text.front()) < 0x80 && a.text != "?") CHECK(parse_command(verb_name(a.what)) == cmd(a.what));
    }
}

TEST_CASE("Verb words match after Unicode folding and emoji variants", "[chat][commands]") {
    SECTION("fullwidth letters, slash and digits") {
        CHECK(parse_command("ＡＰＰＲＯＶＥ ＃４２") == cmd(verb::approve, 42));
        CHECK(parse_command("／ｏｋ") == cmd(verb::approve));
        CHECK(parse_command("批准４２") == cmd(verb::approve, 42));
    }
    SECTION("emoji with variation selector and skin tones") {
        CHECK(parse_command("✅\uFE0F") == cmd(verb::approve));
        CHECK(parse_command("✔\uFE0F 42") == cmd(verb::approve, 42));
        CHECK(parse_command("❌\uFE0F 42 no") == cmd(verb::reject, 42, "no"));
        CHECK(parse_command("👍🏻") == cmd(verb::approve));
        CHECK(parse_command("👍🏿 7") == cmd(verb::approve, 7));
        CHECK(parse_command("👍👍") == std::nullopt);
    }
    SECTION("help spellings") {
        CHECK(parse_command("/start") == cmd(verb::help));
        CHECK(parse_command("/start@signoff_bot") == cmd(verb::help));
        CHECK(parse_command("/start deep-link") == cmd(verb::help, std::nullopt, "deep-link"));
        CHECK(parse_command("start") == std::nullopt);
        CHECK(parse_command("？") == cmd(verb::help));
    }
    SECTION("zero-width characters are ignored inside the verb") {
        CHECK(parse_command("\uFEFFok") == cmd(verb::approve));
        CHECK(parse_command("o\u200Bk 3") == cmd(verb::approve, 3));
    }
}

TEST_CASE("Telegram's /command@botname form", "[chat][commands]") {
    SECTION("the bot name is dropped after a slash") {
        CHECK(parse_command("/approve@signoff_bot 42 fine") == cmd(verb::approve, 42, "fine"));
        CHECK(parse_command("/Pending@SignoffBot") == cmd(verb::pending));
    }
    SECTION("without a slash it is no command") {
        CHECK(parse_command("approve@signoff_bot 42") == std::nullopt);
    }
    SECTION("only a bot name may follow the @") {
        CHECK(parse_command("/approve@bot#42") == std::nullopt);
        CHECK(parse_command("/approve@Signoff_Bot2 42") == cmd(verb::approve, 42));
        CHECK(parse_command("/approve@bot.example 42") == std::nullopt);
    }
    SECTION("a slash alone or before a space is no command") {
        CHECK(parse_command("/") == std::nullopt);
        CHECK(parse_command("/ approve 42") == std::nullopt);
        CHECK(parse_command("//approve 42") == std::nullopt);
    }
}

TEST_CASE("Item ids with or without # and glued to the verb", "[chat][commands]") {
    SECTION("as the second word") {
        CHECK(parse_command("approve #42") == cmd(verb::approve, 42));
        CHECK(parse_command("approve 42") == cmd(verb::approve, 42));
        CHECK(parse_command("show 999999999999999999") == cmd(verb::show, 999999999999999999));
        CHECK(parse_command("approve #007") == cmd(verb::approve, 7));
        CHECK(parse_command("approve 0") == cmd(verb::approve, 0));
    }
    SECTION("glued with # to any alias") {
        CHECK(parse_command("approve#42") == cmd(verb::approve, 42));
        CHECK(parse_command("/reject#7 too long") == cmd(verb::reject, 7, "too long"));
    }
    SECTION("glued without # to a Chinese or emoji alias") {
        CHECK(parse_command("批准42") == cmd(verb::approve, 42));
        CHECK(parse_command("批准#42") == cmd(verb::approve, 42));
        CHECK(parse_command("驳回42 标题太长") == cmd(verb::reject, 42, "标题太长"));
        CHECK(parse_command("转交42 dh-std") == cmd(verb::assign, 42, "dh-std"));
        CHECK(parse_command("👍42") == cmd(verb::approve, 42));
    }
    SECTION("with trailing punctuation") {
        CHECK(parse_command("approve 42, looks good") == cmd(verb::approve, 42, "looks good"));
        CHECK(parse_command("reject #42: too long") == cmd(verb::reject, 42, "too long"));
        CHECK(parse_command("批准42。好的") == std::nullopt);
        CHECK(parse_command("批准42。 好的") == cmd(verb::approve, 42, "好的"));
    }
    SECTION("in Devanagari digits") {
        CHECK(parse_command("स्वीकृत ४२ ठीक है") == cmd(verb::approve, 42, "ठीक है"));
    }
    SECTION("assign names a person after the id") {
        CHECK(parse_command("assign 42 dh-std") == cmd(verb::assign, 42, "dh-std"));
        CHECK(parse_command("转交 42 dh-std") == cmd(verb::assign, 42, "dh-std"));
        CHECK(parse_command("forward dh-std") == cmd(verb::assign, std::nullopt, "dh-std"));
    }
}

TEST_CASE("Without an id the item is absent and the text is the rest", "[chat][commands]") {
    SECTION("a note after the verb") {
        CHECK(parse_command("ok looks good") == cmd(verb::approve, std::nullopt, "looks good"));
        CHECK(parse_command("reject too long") == cmd(verb::reject, std::nullopt, "too long"));
        CHECK(parse_command("驳回 标题太长") == cmd(verb::reject, std::nullopt, "标题太长"));
    }
    SECTION("a lone emoji") {
        CHECK(parse_command("👍") == cmd(verb::approve));
        CHECK(parse_command("  ❌  ") == cmd(verb::reject));
    }
    SECTION("the reason may be missing") {
        CHECK(parse_command("reject 42") == cmd(verb::reject, 42));
        CHECK(parse_command("reject") == cmd(verb::reject));
    }
}

TEST_CASE("The rest keeps its inner white space and loses the outer", "[chat][commands]") {
    SECTION("spaces and newlines") {
        CHECK(parse_command("reject 42   too long\n\nsee  §3  \n") ==
              cmd(verb::reject, 42, "too long\n\nsee  §3"));
        CHECK(parse_command("\n\t ok\t1\r\nfine") == cmd(verb::approve, 1, "fine"));
    }
    SECTION("Unicode spaces separate words") {
        CHECK(parse_command("批准\u300042\u3000好的\u3000") == cmd(verb::approve, 42, "好的"));
        CHECK(parse_command("approve\u00A042\u2003fine") == cmd(verb::approve, 42, "fine"));
    }
    SECTION("the note is kept as typed, not folded") {
        CHECK(parse_command("changes 5 Use ＡＢＣ, not “abc”") == cmd(verb::changes, 5, "Use ＡＢＣ, not “abc”"));
    }
}

TEST_CASE("Hindi aliases with combining marks", "[chat][commands][hindi]") {
    SECTION("approve, reject and changes in Devanagari") {
        CHECK(parse_command("स्वीकृत 42 ठीक है") == cmd(verb::approve, 42, "ठीक है"));
        CHECK(parse_command("अस्वीकृत 7 शीर्षक लंबा है") == cmd(verb::reject, 7, "शीर्षक लंबा है"));
        CHECK(parse_command("संशोधन #3 तारीख़ बदलें") == cmd(verb::changes, 3, "तारीख़ बदलें"));
    }
    SECTION("an extra mark makes another word") {
        CHECK(parse_command("स्वीकृता 42") == std::nullopt);
        CHECK(parse_command("मददगार") == std::nullopt);
    }
}

TEST_CASE("Away takes an optional until date", "[chat][commands][away]") {
    SECTION("no date") {
        CHECK(parse_command("away") == cmd(verb::away));
        CHECK(parse_command("休假") == cmd(verb::away));
        CHECK(parse_command("away on leave") == cmd(verb::away, std::nullopt, "on leave"));
    }
    SECTION("until and a date") {
        CHECK(parse_command("away until 2026-12-01") == cmd(verb::away, std::nullopt, "", "2026-12-01"));
        CHECK(parse_command("AWAY UNTIL 2026-12-01T18:00") == cmd(verb::away, std::nullopt, "", "2026-12-01T18:00"));
        CHECK(parse_command("away until 2026-12-01 18:00 at a conference") ==
              cmd(verb::away, std::nullopt, "at a conference", "2026-12-01 18:00"));
    }
    SECTION("a date directly") {
        CHECK(parse_command("away 2026-12-01") == cmd(verb::away, std::nullopt, "", "2026-12-01"));
        CHECK(parse_command("away 2026-12-01 holiday") == cmd(verb::away, std::nullopt, "holiday", "2026-12-01"));
    }
    SECTION("Chinese 至 and 到, separate or glued") {
        CHECK(parse_command("休假 至 2026-12-01") == cmd(verb::away, std::nullopt, "", "2026-12-01"));
        CHECK(parse_command("休假到2026-12-01") == cmd(verb::away, std::nullopt, "", "2026-12-01"));
        CHECK(parse_command("休假 到2026-12-01 18:00") == cmd(verb::away, std::nullopt, "", "2026-12-01 18:00"));
        CHECK(parse_command("休假至2026-12-01 年假") == cmd(verb::away, std::nullopt, "年假", "2026-12-01"));
    }
    SECTION("until without a date is an empty date") {
        CHECK(parse_command("away until") == cmd(verb::away, std::nullopt, "", ""));
        CHECK(parse_command("休假到") == cmd(verb::away, std::nullopt, "", ""));
    }
    SECTION("the date text then parses") {
        auto const c = parse_command("休假到2026-12-01");
        REQUIRE(c);
        REQUIRE(c->until);
        CHECK(rfc3339(*parse_until(*c->until, "Asia/Shanghai")) == "2026-11-30T16:00:00Z");
    }
}

TEST_CASE("Text that is not a command gives nullopt", "[chat][commands][malformed]") {
    SECTION("blank text") {
        CHECK(parse_command("") == std::nullopt);
        CHECK(parse_command(" \n\t\u3000\u00A0") == std::nullopt);
    }
    SECTION("a lone # or id") {
        CHECK(parse_command("#") == std::nullopt);
        CHECK(parse_command("#42") == std::nullopt);
        CHECK(parse_command("42") == std::nullopt);
    }
    SECTION("an id that is tried and botched") {
        CHECK(parse_command("approve #") == std::nullopt);
        CHECK(parse_command("approve #abc") == std::nullopt);
        CHECK(parse_command("approve 1234567890123456789") == std::nullopt);  // 19 digits
        CHECK(parse_command("approve #1234567890123456789") == std::nullopt);
        CHECK(parse_command("approve -42") == std::nullopt);
        CHECK(parse_command("approve +42") == std::nullopt);
        CHECK(parse_command("reject 42x too long") == std::nullopt);
        CHECK(parse_command("approve 42? maybe") == std::nullopt);
        CHECK(parse_command("approve#") == std::nullopt);
        CHECK(parse_command("approve#4x") == std::nullopt);
    }
    SECTION("invalid UTF-8 bytes") {
        CHECK(parse_command("approve 42 \xFF") == std::nullopt);
        CHECK(parse_command("\xC0\xAF" "approve") == std::nullopt);
        CHECK(parse_command("ok \xED\xA0\x80") == std::nullopt);
        CHECK(parse_command("\xE6\x89\xB9") == std::nullopt);  // truncated 批
    }
    SECTION("a longer or different word") {
        CHECK(parse_command("okay") == std::nullopt);
        CHECK(parse_command("approved 42") == std::nullopt);
        CHECK(parse_command("nope") == std::nullopt);
        CHECK(parse_command("ok.") == std::nullopt);
        CHECK(parse_command("ok42") == std::nullopt);
        CHECK(parse_command("帮助42") == std::nullopt);
        CHECK(parse_command("批准好的") == std::nullopt);
        CHECK(parse_command("批准42个") == std::nullopt);
        CHECK(parse_command("通过邮件发送") == std::nullopt);
        CHECK(parse_command("away#1") == std::nullopt);
    }
    SECTION("a plain sentence") {
        CHECK(parse_command("Please approve 42, it is urgent") == std::nullopt);
        CHECK(parse_command("我觉得可以") == std::nullopt);
    }
}

TEST_CASE("Very long text is answered quickly", "[chat][commands][limits]") {
    std::string const big(100 * 1024, 'x');
    auto const start = std::chrono::steady_clock::now();
    SECTION("a long note") {
        auto const c = parse_command("reject 42 " + big + "  ");
        REQUIRE(c);
        CHECK(c->item == 42);
        CHECK(c->rest == big);
    }
    SECTION("one long word") {
        CHECK(parse_command(big) == std::nullopt);
        CHECK(parse_command("批准" + std::string(100 * 1024, '4')) == std::nullopt);
    }
    SECTION("a long id") {
        CHECK(parse_command("approve #" + std::string(100 * 1024, '4')) == std::nullopt);
    }
    SECTION("long white space") {
        CHECK(parse_command(std::string(100 * 1024, ' ')) == std::nullopt);
        CHECK(parse_command(std::string(50 * 1024, '\n') + "ok" + std::string(50 * 1024, ' ')) == cmd(verb::approve));
    }
    SECTION("many short words") {
        std::string words;
        while (words.size() < 100 * 1024) words += "ok \u3000";
        auto const c = parse_command(words);
        REQUIRE(c);
        CHECK(c->what == verb::approve);
    }
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500));
}

TEST_CASE("Away-until text becomes an instant in the organisation's zone", "[chat][commands][until]") {
    auto at = [](std::string_view text, std::string const& tz) {
        auto const t = parse_until(text, tz);
        return t ? rfc3339(*t) : std::string("nullopt");
    };
    SECTION("a date alone is midnight there") {
        CHECK(at("2026-12-01", "Asia/Kolkata") == "2026-11-30T18:30:00Z");
        CHECK(at("2026-12-01", "Asia/Shanghai") == "2026-11-30T16:00:00Z");
        CHECK(at("2026/12/1", "Asia/Shanghai") == "2026-11-30T16:00:00Z");
        CHECK(at("２０２６－１２－０１", "Asia/Shanghai") == "2026-11-30T16:00:00Z");
    }
    SECTION("a date and a local time") {
        CHECK(at("2026-12-01 18:00", "Asia/Kolkata") == "2026-12-01T12:30:00Z");
        CHECK(at("2026-12-01T18:00", "Asia/Kolkata") == "2026-12-01T12:30:00Z");
        CHECK(at("2026-12-01t18:00", "Asia/Shanghai") == "2026-12-01T10:00:00Z");
        CHECK(at("2026-12-01 18:00", "Asia/Shanghai") == "2026-12-01T10:00:00Z");
        CHECK(at("  2026-12-01  9:05:30 ", "Asia/Shanghai") == "2026-12-01T01:05:30Z");
        CHECK(at("2026-12-01\u300018:00", "Asia/Shanghai") == "2026-12-01T10:00:00Z");
    }
    SECTION("full RFC 3339 keeps its own offset") {
        CHECK(at("2026-12-01T18:00:00+05:30", "Asia/Shanghai") == "2026-12-01T12:30:00Z");
        CHECK(at("2026-12-01T18:00:00Z", "Asia/Kolkata") == "2026-12-01T18:00:00Z");
    }
    SECTION("DST gaps and repeats") {
        CHECK(at("2026-03-08 02:30", "America/New_York") == "2026-03-08T07:00:00Z");
        CHECK(at("2026-11-01 01:30", "America/New_York") == "2026-11-01T05:30:00Z");
    }
    SECTION("bad dates and times") {
        for (std::string_view bad : {"2026-02-30", "2026-13-01", "2026-00-10", "tomorrow", "", "   ", "26-12-01",
                                     "2026-12", "2026-12-01x", "2026-12/01", "2026-12-01 24:00", "2026-12-01 18:60",
                                     "2026-12-01 18", "2026-12-01 18:0", "2026-12-01 18:00 extra", "2026-12-01T",
                                     "2026-12-0118:00", "12/01/2026", "2026-12-01 18:00:61", "\xFF"}) {
            CAPTURE(bad);
            CHECK(at(bad, "Asia/Kolkata") == "nullopt");
        }
    }
    SECTION("an unknown zone is a configuration error") {
        CHECK_THROWS_AS(parse_until("2026-12-01", "Mars/Olympus_Mons"), std::runtime_error);
    }
}

TEST_CASE("Button data round-trips and is decoded strictly", "[chat][buttons]") {
    SECTION("the wire form") {
        CHECK(encode_button({verb::approve, 42, 3}) == "a:42:3");
        CHECK(encode_button({verb::reject, 1, 1}) == "r:1:1");
        CHECK(encode_button({verb::changes, 7, 12}) == "c:7:12");
    }
    SECTION("round trips, the largest values included") {
        for (auto const& b : {button_action{verb::approve, 42, 3}, button_action{verb::reject, 1, 1},
                              button_action{verb::changes, 999999999999999999, INT_MAX}}) {
            auto const data = encode_button(b);
            CHECK(data.size() <= max_button_data_bytes);
            CHECK(decode_button(data) == b);
        }
    }
    SECTION("encode refuses what decode would") {
        CHECK_THROWS_AS(encode_button({verb::help, 1, 1}), std::invalid_argument);
        CHECK_THROWS_AS(encode_button({verb::approve, 0, 1}), std::invalid_argument);
        CHECK_THROWS_AS(encode_button({verb::approve, 1, 0}), std::invalid_argument);
        CHECK_THROWS_AS(encode_button({verb::approve, -5, 1}), std::invalid_argument);
    }
    SECTION("malformed data") {
        for (std::string_view bad :
             {"", "a", "a:", "a:42", "a:42:", "x:1:1", "A:1:1", "a:-1:1", "a:1:-1", "a:1:0", "a:0:1", "a:1:1:1",
              "a::1", "a:1::1", "a:01:1", "a:1:01", "a:+1:1", "a: 1:1", "a:1:1 ", " a:1:1", "a:1a:1", "a:1:1\n",
              "a:1234567890123456789:1", "a:1:2147483648", "a:1:99999999999", "a:４２:1", "ab:1:1", "a;1:1"}) {
            CAPTURE(bad);
            CHECK(decode_button(bad) == std::nullopt);
        }
        CHECK(decode_button(std::string_view("a:1\0:1", 6)) == std::nullopt);
    }
    SECTION("oversized data") {
        CHECK(decode_button("a:1:" + std::string(61, '1')) == std::nullopt);
        CHECK(decode_button("a:1:1" + std::string(100 * 1024, ' ')) == std::nullopt);
    }
}
