// Each language of the catalogues, through the messages people read: plural forms by each
// catalogue's rule, dates in each language's form, help generated from the command words.

#include <catch2/catch.hpp>
#include <array>
#include <set>

#include "bot/chat/commands.hpp"
#include "bot/core/command_words.hpp"
#include "bot/core/language.hpp"
#include "bot/core/time.hpp"
#include "bot/messages/messages.hpp"

using namespace signoff;
using namespace signoff::chat;

namespace {

bool has(std::string const& haystack, std::string const& needle) { return haystack.find(needle) != std::string::npos; }

std::string first_line(std::string const& text) { return text.substr(0, text.find('\n')); }

config::config directory() {
    config::config cfg;
    cfg.organisation = "BIS";
    cfg.timezone = "Asia/Kolkata";
    return cfg;
}

item draft(std::int64_t id) {
    item it;
    it.id = id;
    it.kind = "draft";
    it.status = item_status::pending;
    it.title = "World Standards Day";
    it.revision = 1;
    it.due = *parse_rfc3339("2026-11-22T10:00:00Z");
    return it;
}

std::string pending_header(std::size_t n, std::string const& language) {
    return first_line(render_pending(directory(), std::vector<item>(n, draft(1)), 0, language));
}

constexpr std::array tags{"en", "hi", "zh-Hans", "zh-Hant", "lt"};

}  // namespace

TEST_CASE("The five languages of SPEC §4 are compiled in, each with its own texts", "[chat][messages][i18n]") {
    std::vector<std::string> listed;
    for (auto const& l : languages::all()) listed.emplace_back(l.tag);
    CHECK(listed == std::vector<std::string>{"en", "hi", "zh-Hans", "zh-Hant", "lt"});
    auto const cfg = directory();
    std::set<std::string> cards, helps, refusals;
    for (auto const* tag : tags) {
        cards.insert(render_card(cfg, draft(42), {}, tag).text);
        helps.insert(render_help(tag));
        refusals.insert(render_refusal(cfg, {.code = "not_found", .id = 99}, tag));
    }
    CHECK(cards.size() == 5);
    CHECK(helps.size() == 5);
    CHECK(refusals.size() == 5);
    CHECK(first_line(render_card(cfg, draft(42), {}, "lt").text) ==
          "📝 Projektas #42 · general · terminas lapkričio 22 d. 15:30 IST");
    CHECK(render_refusal(cfg, {.code = "not_found", .id = 99}, "zh-Hant") == "查無編號 #99 之案件。");
}

TEST_CASE("A zh-TW or zh-HK reader gets Traditional Chinese, zh and zh-CN Simplified", "[chat][messages][i18n]") {
    auto const cfg = directory();
    auto const traditional = render_card(cfg, draft(42), {}, "zh-Hant");
    CHECK(render_card(cfg, draft(42), {}, "zh-TW").text == traditional.text);
    CHECK(render_card(cfg, draft(42), {}, "zh-HK").text == traditional.text);
    CHECK(render_card(cfg, draft(42), {}, "zh-CN").text == render_card(cfg, draft(42), {}, "zh-Hans").text);
    REQUIRE(traditional.buttons.size() == 1);
    CHECK(traditional.buttons[0][0].label == "核准");
    CHECK(traditional.buttons[0][1].label == "駁回");
    CHECK(has(traditional.text, "回覆方式：「核准 42 [備註]」、「駁回 42 理由」"));
    CHECK(has(render_help("zh-TW"), "駁回 42 理由"));
    CHECK_FALSE(has(traditional.text, "驳回"));
}

TEST_CASE("The pending list counts in each language's plural forms", "[chat][messages][i18n]") {
    SECTION("Lithuanian has three: 1 and 21, 2 to 9 and 22, 10 to 20") {
        CHECK(pending_header(1, "lt") == "Jūsų sprendimo laukia 1 klausimas:");
        CHECK(pending_header(2, "lt") == "Jūsų sprendimo laukia 2 klausimai:");
        CHECK(pending_header(5, "lt") == "Jūsų sprendimo laukia 5 klausimai:");
        CHECK(pending_header(10, "lt") == "Jūsų sprendimo laukia 10 klausimų:");
        CHECK(pending_header(11, "lt") == "Jūsų sprendimo laukia 11 klausimų:");
        CHECK(pending_header(21, "lt") == "Jūsų sprendimo laukia 21 klausimas:");
        CHECK(pending_header(22, "lt") == "Jūsų sprendimo laukia 22 klausimai:");
    }
    SECTION("English and Hindi have two, Chinese one") {
        CHECK(pending_header(1, "en") == "1 item is waiting for you:");
        CHECK(pending_header(2, "en") == "2 items are waiting for you:");
        CHECK(pending_header(1, "hi") == "आपके लिए 1 मामला लंबित है:");
        CHECK(pending_header(5, "hi") == "आपके लिए 5 मामले लंबित हैं:");
        CHECK(pending_header(1, "zh-Hans") == "待您处理（1 项）：");
        CHECK(pending_header(5, "zh-Hans") == "待您处理（5 项）：");
        CHECK(pending_header(2, "zh-Hant") == "待您處理（2 件）：");
    }
    SECTION("the count of what did not fit follows the same rule") {
        auto const lines = render_pending(directory(), std::vector<item>(71, draft(1)), 0, "lt");
        CHECK(has(lines, "\n…ir dar 21 klausimas"));
    }
}

TEST_CASE("Help names each command by its word in the reader's language, and that word works",
          "[chat][messages][i18n]") {
    for (auto const* tag : tags) {
        CAPTURE(tag);
        auto const help = render_help(tag);
        for (auto const v : all_verbs) {
            auto const word = std::string(word_for(v, tag));
            CAPTURE(word);
            CHECK(has(help, "\n" + word + " "));
            auto const parsed = parse_command(word + (v == verb::pending || v == verb::back || v == verb::help ||
                                                              v == verb::away
                                                          ? ""
                                                          : " 42"));
            REQUIRE(parsed);
            CHECK(parsed->what == v);
        }
        // Every word the parser knows is in every language's help.
        for (auto const& w : command_words())
            if (!w.slash_only) CHECK(has(help, std::string(w.word)));
    }
    CHECK(word_for(verb::reject, "lt") == "atmesti");
    CHECK(word_for(verb::history, "zh-Hant") == "記錄");
    CHECK(word_for(verb::assign, "zh-Hant") == "轉交");
    CHECK(word_for(verb::pending, "zh-Hant") == "待辦");
    CHECK(word_for(verb::help, "lt") == "pagalba");
}

TEST_CASE("A card's short answer, for SMS, is in the reader's language", "[chat][messages][i18n]") {
    auto const cfg = directory();
    CHECK(render_card(cfg, draft(42), {}, "en").short_answer == "Answer in chat: approve 42 / reject 42 reason");
    CHECK(render_card(cfg, draft(42), {}, "lt").short_answer ==
          "Atsakykite pokalbyje: patvirtinti 42 / atmesti 42 priežastis");
    CHECK(render_card(cfg, draft(42), {}, "en", {.copy = true}).short_answer.empty());
}
