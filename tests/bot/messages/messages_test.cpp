#include "bot/messages/messages.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "bot/core/time.hpp"

using namespace signoff;
using namespace signoff::chat;

namespace {

millis at(char const* rfc) { return *parse_rfc3339(rfc); }

bool has(std::string const& haystack, std::string const& needle) { return haystack.find(needle) != std::string::npos; }

std::size_t utf16(std::string const& s) {
    std::size_t n = 0;
    for (unsigned char b : s) n += ((b & 0xC0) != 0x80) + (b >= 0xF0);
    return n;
}

config::config directory() {
    config::config cfg;
    cfg.organisation = "BIS";
    cfg.timezone = "Asia/Kolkata";
    auto person = [](std::string id, std::string name, std::string language, bool admin = false) {
        config::person p;
        p.id = std::move(id);
        p.name = std::move(name);
        p.language = std::move(language);
        p.admin = admin;
        return p;
    };
    cfg.people = {person("asha", "Asha Rao", "en"), person("li", "Li Wei", "zh"), person("ravi", "Ravi Kumar", "hi"),
                  person("meera", "Meera Iyer", "en"), person("dpr", "PR Director", "en", true)};
    cfg.roles = {{"standardisation", "DDG (Standardisation)", "asha", "meera", {"standards"}, {}}};
    cfg.tiers = {{"general", {"@head"}}, {"sensitive", {"@head", "@fallback"}}};
    return cfg;
}

item draft() {
    item it;
    it.id = 42;
    it.kind = "draft";
    it.status = item_status::pending;
    it.title = "World Standards Day";
    it.body = "BIS celebrates World Standards Day on 14 October 2026.";
    it.platforms = {"x", "weibo"};
    it.role = "standardisation";
    it.revision = 2;
    it.assignee = "asha";
    it.due = at("2026-11-22T10:00:00Z");
    it.checks =
        nlohmann::json::array({{{"rule", "limit:x"}, {"ok", true}, {"detail", "x: 60 of 280 characters"}},
                               {{"rule", "limit:weibo"}, {"ok", false}, {"detail", "weibo: 163 of 140 characters"}}});
    return it;
}

std::vector<step> two_steps() {
    step head{2, 0, "@head", "asha", std::nullopt, step_status::pending, std::nullopt, std::nullopt, std::nullopt};
    step fallback{2,           1, "@fallback", "meera", std::nullopt, step_status::waiting, std::nullopt, std::nullopt,
                  std::nullopt};
    step old{1, 0, "@head", "asha", std::nullopt, step_status::superseded, std::nullopt, std::nullopt, std::nullopt};
    return {old, head, fallback};
}

item complaint() {
    item it;
    it.id = 7;
    it.kind = "complaint";
    it.status = item_status::open;
    it.body = "The certification portal has been down for two days.";
    it.role = "standardisation";
    it.assignee = "asha";
    it.due = at("2026-11-23T10:00:00Z");
    it.interim_due = at("2026-11-22T14:00:00Z");
    it.source = {{"platform", "x"},
                 {"author", "@citizen"},
                 {"url", "https://x.com/citizen/status/1"},
                 {"received_at", "2026-11-22T10:00:00Z"}};
    return it;
}

std::vector<std::string> lines_of(std::string const& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
        out.push_back(text.substr(start, nl - start));
    out.push_back(text.substr(start));
    return out;
}

}  // namespace

TEST_CASE("format_local shows the organisation's local time with the zone's abbreviation", "[chat][messages]") {
    auto const instant = at("2026-11-22T10:00:00Z");
    SECTION("India, in each language's own form") {
        CHECK(format_local(instant, "Asia/Kolkata", "en") == "22 Nov 15:30 IST");
        CHECK(format_local(instant, "Asia/Kolkata", "zh") == "11月22日 15:30 IST");
        CHECK(format_local(instant, "Asia/Kolkata", "zh-Hant") == "11月22日 15:30 IST");
        CHECK(format_local(instant, "Asia/Kolkata", "hi") == "22 नव॰ 15:30 IST");
        CHECK(format_local(instant, "Asia/Kolkata", "lt") == "lapkričio 22 d. 15:30 IST");
        CHECK(format_local(instant, "Asia/Kolkata", "fr") == "22 Nov 15:30 IST");
    }
    SECTION("China") { CHECK(format_local(instant, "Asia/Shanghai", "en") == "22 Nov 18:00 CST"); }
    SECTION("London across the end of summer time") {
        CHECK(format_local(at("2026-10-24T12:00:00Z"), "Europe/London", "en") == "24 Oct 13:00 BST");
        CHECK(format_local(at("2026-10-25T00:59:00Z"), "Europe/London", "en") == "25 Oct 01:59 BST");
        CHECK(format_local(at("2026-10-25T01:00:00Z"), "Europe/London", "en") == "25 Oct 01:00 GMT");
        CHECK(format_local(at("2026-10-26T12:00:00Z"), "Europe/London", "en") == "26 Oct 12:00 GMT");
    }
    SECTION("the day has no leading zero and the date changes at local midnight") {
        CHECK(format_local(at("2026-11-04T19:00:00Z"), "Asia/Kolkata", "en") == "5 Nov 00:30 IST");
        CHECK(format_local(at("2026-01-04T19:00:00Z"), "Asia/Kolkata", "zh") == "1月5日 00:30 IST");
    }
    SECTION("a numeric abbreviation reads as an offset from UTC") {
        CHECK(format_local(instant, "Asia/Dubai", "en") == "22 Nov 14:00 UTC+04");
    }
    SECTION("an unknown zone shows UTC") { CHECK(format_local(instant, "Mars/Olympus", "en") == "22 Nov 10:00 UTC"); }
}

TEST_CASE("normal_language reduces language tags to a supported language, else en", "[chat][messages]") {
    CHECK(normal_language("zh") == "zh-Hans");
    CHECK(normal_language("zh-hans") == "zh-Hans");
    CHECK(normal_language("zh-CN") == "zh-Hans");
    CHECK(normal_language("zh-TW") == "zh-Hant");
    CHECK(normal_language("zh-hk") == "zh-Hant");
    CHECK(normal_language("zh-Hant-TW") == "zh-Hant");
    CHECK(normal_language("HI_in") == "hi");
    CHECK(normal_language("lt-LT") == "lt");
    CHECK(normal_language("en-GB") == "en");
    CHECK(normal_language("hit") == "en");
    CHECK(normal_language("") == "en");
}

TEST_CASE("A draft's card shows its header, checks, chain and buttons", "[chat][messages]") {
    auto const cfg = directory();
    auto const it = draft();
    auto const steps = two_steps();

    SECTION("English, line by line") {
        auto const card = render_card(cfg, it, steps, "en");
        auto const lines = lines_of(card.text);
        REQUIRE(lines.size() == 6);
        CHECK(lines[0] == "📝 Draft #42 · general · due 22 Nov 15:30 IST");
        CHECK(lines[1] == "World Standards Day");
        CHECK(lines[2] == it.body);
        CHECK(lines[3] == "⚠ weibo: 163 of 140 characters");
        CHECK(lines[4] == "Step 1 of 2 · then: Meera Iyer");
        CHECK(lines[5] == R"(How to answer: "approve 42 [note]", "reject 42 reason", "changes 42 what")");
        REQUIRE(card.buttons.size() == 1);
        REQUIRE(card.buttons[0].size() == 3);
        CHECK(card.buttons[0][0].label == "Approve");
        CHECK(card.buttons[0][0].data == "a:42:2");
        CHECK(card.buttons[0][1].label == "Reject");
        CHECK(card.buttons[0][1].data == "r:42:2");
        CHECK(card.buttons[0][2].label == "Request changes");
        CHECK(card.buttons[0][2].data == "c:42:2");
        CHECK(card.to.empty());
    }
    SECTION("Chinese and Hindi headers, hints and buttons") {
        auto const zh = render_card(cfg, it, steps, "zh");
        CHECK(lines_of(zh.text)[0] == "📝 草稿 #42 · general · 截止 11月22日 15:30 IST");
        CHECK(has(zh.text, "第 1 步，共 2 步 · 之后：Meera Iyer"));
        CHECK(has(zh.text, "“批准 42 [备注]”"));
        CHECK(zh.buttons[0][1].label == "驳回");
        CHECK(zh.buttons[0][1].data == "r:42:2");
        auto const hi = render_card(cfg, it, steps, "hi");
        CHECK(lines_of(hi.text)[0] == "📝 मसौदा #42 · general · समय-सीमा 22 नव॰ 15:30 IST");
        CHECK(has(hi.text, "चरण 1 / 2"));
        CHECK(hi.buttons[0][0].label == "स्वीकृत करें");
    }
    SECTION("a one-step chain has no step line; the second step names who approved") {
        auto single = steps;
        single[2].status = step_status::skipped;
        CHECK_FALSE(has(render_card(cfg, it, single, "en").text, "Step "));
        auto second = steps;
        second[1].status = step_status::approved;
        second[1].decided_by = "asha";
        second[2].status = step_status::pending;
        CHECK(has(render_card(cfg, it, second, "en").text, "Step 2 of 2 · approved by Asha Rao\n"));
        auto by_role = steps;
        by_role[2].spec = "standardisation";
        CHECK(has(render_card(cfg, it, by_role, "en").text, "Step 1 of 2 · then: Meera Iyer, DDG (Standardisation)\n"));
    }
    SECTION("urgent, standing in, and the diff since the revision last seen") {
        auto urgent = it;
        urgent.urgent = true;
        card_options options;
        options.diff = "…on 14 [-October-] {+Oct+} 2026";
        options.diff_from_revision = 1;
        options.standing_in_for = "asha";
        auto const text = render_card(cfg, urgent, steps, "en", options).text;
        CHECK(lines_of(text)[0] == "📝 Draft #42 · general · due 22 Nov 15:30 IST · 🚨 urgent");
        CHECK(has(text, "You are standing in for Asha Rao."));
        CHECK(has(text, "Changes since revision 1:\n…on 14 [-October-] {+Oct+} 2026"));
        CHECK(has(render_card(cfg, urgent, steps, "zh", options).text, "自第 1 版以来的修改："));
    }
    SECTION("a new creative, and one too large to show, each have their line in every language") {
        CHECK_FALSE(has(render_card(cfg, it, steps, "en").text, "New creative"));
        card_options options;
        options.new_creative = true;
        CHECK(has(render_card(cfg, it, steps, "en", options).text, "\nNew creative\n"));
        CHECK(has(render_card(cfg, it, steps, "zh", options).text, "新的素材"));
        CHECK(has(render_card(cfg, it, steps, "hi", options).text, "नया क्रिएटिव"));
        options.new_creative = false;
        options.creative_too_large = true;
        CHECK(has(render_card(cfg, it, steps, "en", options).text, "The creative is too large to show in chat."));
        CHECK_FALSE(has(render_card(cfg, it, steps, "en", options).text, "New creative"));
    }
    SECTION("a copy has no buttons and no hint, and says it is for information") {
        card_options options;
        options.copy = true;
        for (auto const* language : {"en", "zh", "hi"}) {
            auto const copy = render_card(cfg, it, steps, language, options);
            CHECK(copy.buttons.empty());
            CHECK_FALSE(has(copy.text, "42 ["));  // no hint
        }
        CHECK(lines_of(render_card(cfg, it, steps, "en", options).text)[0] == "ℹ️ For your information");
        CHECK(lines_of(render_card(cfg, it, steps, "zh", options).text)[0] == "ℹ️ 供您知悉");
    }
}

TEST_CASE("A complaint's card shows both due times, the source and how to answer", "[chat][messages]") {
    auto const cfg = directory();
    auto const it = complaint();
    auto const card = render_card(cfg, it, {}, "en");
    auto const lines = lines_of(card.text);
    CHECK(lines[0] == "📣 Complaint #7 · interim response due 22 Nov 19:30 IST · final due 23 Nov 15:30 IST");
    CHECK(has(card.text, "From: @citizen · x"));
    CHECK(has(card.text, "Received: 22 Nov 15:30 IST"));
    CHECK(has(card.text, "Link: https://x.com/citizen/status/1"));
    CHECK(has(card.text, it.body));
    CHECK(lines.back() == R"(How to answer: "interim 7 text" (being handled), "reply 7 text" (final))");
    CHECK(card.buttons.empty());

    auto acknowledged = it;
    acknowledged.status = item_status::acknowledged;
    acknowledged.kind = "query";
    CHECK(lines_of(render_card(cfg, acknowledged, {}, "en").text)[0] == "❓ Query #7 · final due 23 Nov 15:30 IST");
    auto const zh = render_card(cfg, it, {}, "zh").text;
    CHECK(has(zh, "📣 投诉 #7 · 临时答复截止 11月22日 19:30 IST"));
    CHECK(has(zh, "“处理中 7 内容”"));
    CHECK(has(render_card(cfg, it, {}, "hi").text, "📣 शिकायत #7"));
}

TEST_CASE("A decided card keeps the header and title and tells the outcome", "[chat][messages]") {
    auto const cfg = directory();
    auto const it = draft();
    auto const when = at("2026-11-22T10:10:00Z");
    auto decided = [&](std::string const& type, std::optional<std::string> text, std::string const& language = "en") {
        return render_decided_card(cfg, it, type, "asha", text, when, language);
    };
    CHECK(decided("approved", std::nullopt) ==
          "📝 Draft #42 · general · due 22 Nov 15:30 IST\nWorld Standards Day\n"
          "✅ Approved by Asha Rao · 22 Nov 15:40 IST");
    CHECK(lines_of(decided("step_approved", "fine"))[2] == "✅ Approved by Asha Rao: fine · 22 Nov 15:40 IST");
    CHECK(lines_of(decided("rejected", "too long"))[2] == "❌ Rejected by Asha Rao: too long · 22 Nov 15:40 IST");
    CHECK(lines_of(decided("changes_requested", "shorten"))[2] ==
          "✏️ Changes requested by Asha Rao: shorten · 22 Nov 15:40 IST");
    CHECK(lines_of(decided("reassigned", "meera"))[2] == "➡️ Handed to Meera Iyer by Asha Rao · 22 Nov 15:40 IST");
    CHECK(lines_of(decided("rejected", "太长", "zh"))[2] == "❌ Asha Rao 已驳回：太长 · 11月22日 15:40 IST");
    CHECK(lines_of(decided("approved", std::nullopt, "hi"))[2] == "✅ Asha Rao द्वारा स्वीकृत · 22 नव॰ 15:40 IST");

    auto const c = complaint();
    CHECK(has(render_decided_card(cfg, c, "interim_response", "asha", "we are on it", when, "en"),
              "💬 Interim response sent by Asha Rao: we are on it · 22 Nov 15:40 IST"));
    CHECK(has(render_decided_card(cfg, c, "replied", "asha", std::nullopt, when, "en"), "✔ Resolved by Asha Rao"));
    CHECK(has(render_decided_card(cfg, c, "replied", "li", std::nullopt, when, "zh"), "✔ Li Wei 已答复办结"));
    CHECK(has(decided("escalated", std::nullopt), "Escalated · Asha Rao"));
}

TEST_CASE("Copies and notices about an item", "[chat][messages]") {
    auto const cfg = directory();
    auto const it = draft();
    SECTION("a decision copy for observers") {
        auto const copy = render_decision_copy(cfg, it, "rejected", "asha", "off-brand", "en");
        CHECK(copy ==
              "ℹ️ For your information\n📝 Draft #42 · general · due 22 Nov 15:30 IST\nWorld Standards Day\n"
              "❌ Rejected by Asha Rao: off-brand");
        CHECK(has(render_decision_copy(cfg, it, "approved", "asha", std::nullopt, "zh"), "✅ Asha Rao 已批准"));
    }
    SECTION("withdrawn, with and without a reason") {
        CHECK(render_withdrawn(cfg, it, "event cancelled", "en") ==
              "🗑 Draft #42 was withdrawn; nothing more is needed from you.\nWorld Standards Day\nReason: event "
              "cancelled");
        CHECK(has(render_withdrawn(cfg, it, std::nullopt, "zh"), "草稿 #42 已撤回"));
        CHECK_FALSE(has(render_withdrawn(cfg, it, std::nullopt, "hi"), "कारण"));
    }
    SECTION("reminders, before and after the deadline") {
        CHECK(lines_of(render_reminder(cfg, it, at("2026-11-22T08:00:00Z"), "en"))[0] ==
              "⏰ Reminder: Draft #42 is due 22 Nov 15:30 IST.");
        CHECK(lines_of(render_reminder(cfg, it, at("2026-11-22T11:00:00Z"), "en"))[0] ==
              "⏰ Overdue: Draft #42 was due 22 Nov 15:30 IST.");
        CHECK(lines_of(render_reminder(cfg, complaint(), at("2026-11-22T12:00:00Z"), "en"))[0] ==
              "⏰ Reminder: the interim response to complaint #7 is due 22 Nov 19:30 IST.");
    }
}

TEST_CASE("Confirmations tell the sender what took effect", "[chat][messages]") {
    auto const cfg = directory();
    auto const it = draft();
    CHECK(confirm_approved(cfg, it, std::string("meera"), "en") ==
          "✅ You approved draft #42. It goes to Meera Iyer next.");
    CHECK(confirm_approved(cfg, it, std::nullopt, "en") ==
          "✅ You approved draft #42. It is fully approved and ready to publish.");
    CHECK(confirm_approved(cfg, it, std::nullopt, "zh") == "✅ 您已批准草稿 #42，审批全部完成，可以发布。");
    CHECK(has(confirm_rejected(cfg, it, "en"), "The submitter is told."));
    CHECK(has(confirm_changes(cfg, it, "hi"), "मसौदा #42"));
    CHECK(confirm_interim(cfg, complaint(), "en") ==
          "💬 Interim response recorded for complaint #7. The final reply is due 23 Nov 15:30 IST.");
    CHECK(confirm_reply(cfg, complaint(), "zh") == "✔ 已记录答复，投诉 #7 已办结。");
    CHECK(confirm_assigned(cfg, complaint(), "meera", "en") ==
          "➡️ Complaint #7 is now with Meera Iyer; it has been sent to them.");
    CHECK(confirm_away(cfg, at("2026-12-01T00:00:00Z"), {"meera"}, "en") ==
          "🌴 You are away until 1 Dec 05:30 IST.\nMeera Iyer will stand in for you.");
    CHECK(has(confirm_away(cfg, std::nullopt, {}, "en"), "No one stands in for you"));
    CHECK(has(confirm_away(cfg, std::nullopt, {"meera"}, "zh"), "期间由 Meera Iyer 代为处理。"));
    CHECK(confirm_back("hi") == "👋 वापसी पर स्वागत है। नए मामले फिर से आपको भेजे जाएँगे।");
}

TEST_CASE("Refusals explain each engine error in the sender's language", "[chat][messages]") {
    auto const cfg = directory();
    auto it = draft();
    it.revision = 3;
    it.assignee = "meera";

    SECTION("the brief's English wording") {
        CHECK(render_refusal(cfg, {.code = "not_found", .id = 42}, "en") == "There is no item #42.");
        CHECK(render_refusal(cfg, {.code = "not_assignee", .id = 42, .current = &it}, "en") ==
              "Draft #42 waits for Meera Iyer, not for you.");
        CHECK(render_refusal(cfg, {.code = "stale_revision", .id = 42, .current = &it}, "en") ==
              "Draft #42 changed since this button was sent: revision 3 is current. Here is the new version.");
        CHECK(render_refusal(cfg, {.code = "reason_required", .id = 42, .current = &it, .command = "reject"}, "en") ==
              "Why reject #42? Reply to this message with the reason.");
    }
    SECTION("statuses are localised") {
        auto approved = it;
        approved.status = item_status::approved;
        refusal const r{.code = "invalid_transition", .id = 42, .current = &approved, .command = "approve"};
        CHECK(render_refusal(cfg, r, "en") == "Draft #42 is approved; that cannot be done now.");
        CHECK(has(render_refusal(cfg, r, "zh"), "“已批准”"));
        CHECK(has(render_refusal(cfg, r, "hi"), "स्वीकृत"));
    }
    SECTION("every code differs per language and names the item") {
        auto const c = complaint();
        std::vector<refusal> const all{
            {.code = "not_found", .id = 42},
            {.code = "not_assignee", .id = 42, .current = &it},
            {.code = "stale_revision", .id = 42, .current = &it},
            {.code = "invalid_transition", .id = 42, .current = &it},
            {.code = "reason_required", .id = 42, .current = &it, .command = "reject"},
            {.code = "reason_required", .id = 42, .current = &it, .command = "changes"},
            {.code = "text_required", .id = 7, .current = &c, .command = "interim"},
            {.code = "text_required", .id = 7, .current = &c, .command = "reply"},
            {.code = "not_applicable", .id = 42, .current = &it, .command = "reply"},
            {.code = "not_applicable", .id = 7, .current = &c, .command = "approve"},
            {.code = "rate_limited", .id = 42, .detail = "slow down"},
            {.code = "person_required", .id = 42, .command = "assign"},
        };
        for (auto const& r : all) {
            CAPTURE(r.code, r.command);
            auto const en = render_refusal(cfg, r, "en"), zh = render_refusal(cfg, r, "zh"),
                       hi = render_refusal(cfg, r, "hi");
            CHECK(std::set<std::string>{en, zh, hi}.size() == 3);
            for (auto const* text : {&en, &zh, &hi}) CHECK(has(*text, "#" + std::to_string(r.id)));
        }
    }
    SECTION("the chat's own refusals for away and assign") {
        for (auto const* code : {"invalid_date", "until_in_past"}) {
            refusal const r{.code = code, .command = "away"};
            auto const en = render_refusal(cfg, r, "en");
            CHECK(has(en, "away until 2026-12-01"));
            CHECK(std::set<std::string>{en, render_refusal(cfg, r, "zh"), render_refusal(cfg, r, "hi")}.size() == 3);
        }
        CHECK(render_refusal(cfg, {.code = "person_required", .id = 42, .command = "assign"}, "en") ==
              "To whom should #42 go? For example: assign 42 person-id");
    }
    SECTION("a step that waits for nobody, and an unknown person") {
        auto done = it;
        done.assignee.reset();
        done.status = item_status::approved;
        CHECK(render_refusal(cfg, {.code = "not_assignee", .id = 42, .current = &done}, "en") ==
              "Draft #42 is not waiting for anyone (status: approved).");
        CHECK(render_refusal(cfg, {.code = "unknown_person", .id = 42, .person = "nobody"}, "en") ==
              "There is no person \"nobody\" in the directory.");
        CHECK(render_refusal(cfg, {.code = "unknown_person", .id = 42}, "en") ==
              "There is no such person in the directory.");
        CHECK(render_refusal(cfg, {.code = "not_found", .detail = "no person \"x\""}, "en") ==
              "Sorry, that did not work: no person \"x\"");
    }
}

TEST_CASE("Answers to commands that name no item", "[chat][messages]") {
    auto const cfg = directory();
    CHECK(render_unknown_command("en") == "I did not understand that. Send help for the commands.");
    CHECK(render_missing_id("en") == "Which item? For example: approve 42 — or reply to the item's message.");
    CHECK(render_group_chat("en") == "Please write to me in a private chat.");
    for (auto f : {&render_unknown_command, &render_missing_id, &render_group_chat})
        CHECK(std::set<std::string>{f("en"), f("zh"), f("hi")}.size() == 3);
    auto const stranger = lines_of(render_stranger(cfg));
    REQUIRE(stranger.size() == 5);  // one line per language, in LINGUAS order
    CHECK(stranger[0] == "This bot serves the BIS response team; your account is not in its directory.");
    CHECK(has(stranger[1], "यह बॉट"));
    CHECK(has(stranger[2], "本机器人"));
    CHECK(has(stranger[3], "本機器人"));
    CHECK(has(stranger[4], "pokalbių robotas"));
}

TEST_CASE("The pending list keeps the given order and marks what is overdue", "[chat][messages]") {
    auto const cfg = directory();
    auto const now = at("2026-11-22T12:00:00Z");
    auto const c = complaint();  // interim due 14:00Z, not yet overdue
    auto late = draft();         // due 10:00Z, overdue
    auto later = draft();
    later.id = 43;
    later.title = "Lab week";
    later.due = at("2026-11-24T10:00:00Z");
    auto const text = render_pending(cfg, {late, c, later}, now, "en");
    auto const lines = lines_of(text);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == "3 items are waiting for you:");
    CHECK(lines[1] == "#42 Draft · World Standards Day · due 22 Nov 15:30 IST · ⏰ overdue");
    CHECK(lines[2] ==
          "#7 Complaint · The certification portal has been down for two days. · "
          "interim response due 22 Nov 19:30 IST");
    CHECK(lines[3] == "#43 Draft · Lab week · due 24 Nov 15:30 IST");
    CHECK(has(render_pending(cfg, {late}, now, "zh"),
              "#42 草稿 · World Standards Day · 截止 11月22日 15:30 IST · ⏰ 已逾期"));
    CHECK(render_pending(cfg, {}, now, "en") == "Nothing is waiting for you. 🎉");
    auto const many = lines_of(render_pending(cfg, std::vector<item>(55, later), now, "en"));
    REQUIRE(many.size() == 52);
    CHECK(many[0] == "55 items are waiting for you:");
    CHECK(many[51] == "…and 5 more");
    CHECK(render_pending(cfg, {}, now, "zh") != render_pending(cfg, {}, now, "hi"));
}

TEST_CASE("show gives the item, its revision, checks and steps", "[chat][messages]") {
    auto const cfg = directory();
    auto const it = draft();
    auto steps = two_steps();
    steps[1].status = step_status::approved;
    steps[1].decided_by = "dpr";
    steps[1].decided_at = at("2026-11-22T09:00:00Z");
    steps[1].note = "fine";
    steps[2].status = step_status::pending;
    revision r1{1, "Old", "old body", nlohmann::json::array(), std::nullopt, {}, "agency", at("2026-11-20T10:00:00Z")};
    revision r2{
        2, it.title, it.body, nlohmann::json::array(), "shorter date", {}, "agency", at("2026-11-21T10:00:00Z")};
    auto const text = render_show(cfg, it, steps, {r1, r2}, "en");
    CAPTURE(text);
    CHECK(lines_of(text)[0] == "📝 Draft #42 · general · due 22 Nov 15:30 IST");
    CHECK(has(text, "Status: pending approval · revision 2"));
    CHECK(has(text, "Waiting for: Asha Rao"));
    CHECK(has(text, "Role: DDG (Standardisation)"));
    CHECK(has(text, "Platforms: x, weibo"));
    CHECK(has(text, "⚠ weibo: 163 of 140 characters"));
    CHECK(has(text, "Revision 2 of 2 · 21 Nov 15:30 IST · by agency"));
    CHECK(has(text, "Note: shorter date"));
    CHECK(has(
        text,
        "Steps:\n1. Asha Rao — approved by PR Director · 22 Nov 14:30 IST: fine\n2. Meera Iyer — awaiting decision"));
    CHECK_FALSE(has(text, "superseded"));
    auto const zh = render_show(cfg, it, steps, {r1, r2}, "zh");
    CHECK(has(zh, "状态：待审批 · 第 2 版"));
    CHECK(has(zh, "1. Asha Rao — 已批准 由 PR Director"));
    auto const shown = render_show(cfg, complaint(), {}, {}, "hi");
    CHECK(has(shown, "स्थिति: खुला"));
    CHECK(has(shown, "स्रोत: @citizen · x"));
}

TEST_CASE("history lists events with who acted for whom", "[chat][messages]") {
    auto const cfg = directory();
    auto const it = draft();
    auto event = [](std::string at, std::string type, nlohmann::json actor, nlohmann::json behalf,
                    nlohmann::json data) {
        return nlohmann::json{{"id", 1},
                              {"at", at},
                              {"type", type},
                              {"actor", actor},
                              {"on_behalf_of", behalf},
                              {"channel", "telegram"},
                              {"data", data}};
    };
    nlohmann::json const events = nlohmann::json::array(
        {event("2026-11-22T04:00:00Z", "submitted", nullptr, nullptr, nlohmann::json::object()),
         event("2026-11-22T09:00:00Z", "step_approved", "dpr", "asha", {{"action", "approve"}, {"text", "fine"}}),
         event("2026-11-22T09:30:00Z", "reassigned", nullptr, nullptr, {{"from", "asha"}, {"to", "meera"}}),
         event("2026-11-22T10:10:00Z", "rejected", "meera", nullptr, {{"text", "too long"}})});
    SECTION("English") {
        auto const lines = lines_of(render_history(cfg, it, events, "en"));
        REQUIRE(lines.size() == 5);
        CHECK(lines[0] == "History of Draft #42:");
        CHECK(lines[1] == "22 Nov 09:30 IST · Submitted");
        CHECK(lines[2] == "22 Nov 14:30 IST · Step approved · PR Director for Asha Rao: fine");
        CHECK(lines[3] == "22 Nov 15:00 IST · Reassigned: Asha Rao → Meera Iyer");
        CHECK(lines[4] == "22 Nov 15:40 IST · Rejected · Meera Iyer: too long");
        auto recorded = events;
        recorded[0]["recorded_by"] = "agency";
        CHECK(lines_of(render_history(cfg, it, recorded, "en"))[1] == "22 Nov 09:30 IST · Submitted · agency");
    }
    SECTION("Chinese and Hindi") {
        CHECK(has(render_history(cfg, it, events, "zh"),
                  "11月22日 14:30 IST · 本环节已批准 · PR Director（代 Asha Rao）：fine"));
        CHECK(has(render_history(cfg, it, events, "hi"), "PR Director (Asha Rao की ओर से)"));
    }
    SECTION("only the newest 30, after a count of the earlier ones") {
        nlohmann::json many = nlohmann::json::array();
        for (int i = 0; i < 45; ++i)
            many.push_back(event("2026-11-22T09:00:00Z", "reminder", nullptr, nullptr, {{"text", std::to_string(i)}}));
        auto const lines = lines_of(render_history(cfg, it, many, "en"));
        REQUIRE(lines.size() == 32);
        CHECK(lines[1] == "…15 earlier");
        CHECK(lines[2] == "22 Nov 14:30 IST · Reminder sent: 15");
        CHECK(lines.back() == "22 Nov 14:30 IST · Reminder sent: 44");
    }
    SECTION("no events") {
        CHECK(render_history(cfg, it, nlohmann::json::array(), "en") == "History of Draft #42:\nNo events yet.");
    }
}

TEST_CASE("help lists every command in every language", "[chat][messages]") {
    for (auto const* language : {"en", "zh", "hi"}) {
        auto const text = render_help(language);
        CAPTURE(language);
        for (auto const* command : {"approve", "reject", "changes", "interim", "reply", "assign", "pending", "show",
                                    "history", "away", "back", "help", "ok", "forward", "list", "modify", "ack"})
            CHECK(has(text, command));
        for (auto const* alias :
             {"批准", "驳回", "修改",  "回复",    "处理中", "转交",  "待办", "查看",  "记录", "休假",
              "返回", "帮助", "स्वीकृत", "अनुमोदित", "अस्वीकृत", "संशोधन", "उत्तर", "अंतरिम", "लंबित", "मदद"})
            CHECK(has(text, alias));
    }
    CHECK(render_help("zh").rfind("命令", 0) == 0);
    CHECK(render_help("hi").rfind("आदेश", 0) == 0);
    CHECK(render_help("xx") == render_help("en"));
}

TEST_CASE("Every message fits the 4096 UTF-16 unit limit", "[chat][messages]") {
    auto const cfg = directory();
    auto it = draft();
    std::string big;
    while (big.size() < 50'000) big += "word ";
    std::string emoji;
    while (emoji.size() < 50'000) emoji += "😀";
    for (auto const* body : {&big, &emoji}) {
        it.body = *body;
        it.title = *body;
        card_options options;
        options.diff = *body;
        options.diff_from_revision = 1;
        auto const card = render_card(cfg, it, two_steps(), "en", options);
        CHECK(utf16(card.text) <= max_message_utf16);
        CHECK(has(card.text, "…"));
        CHECK(has(card.text, "⚠ weibo"));  // the lines after the body survive
        CHECK(has(card.text, "How to answer"));
        CHECK(utf16(render_show(cfg, it, two_steps(), {}, "zh")) <= max_message_utf16);
        CHECK(utf16(render_decided_card(cfg, it, "rejected", "asha", *body, 0, "hi")) <= max_message_utf16);
        CHECK(utf16(render_refusal(cfg, {.code = "x", .id = 42, .detail = *body}, "en")) <= max_message_utf16);
        auto const pending = render_pending(cfg, std::vector<item>(60, it), 0, "en");
        CHECK(utf16(pending) <= max_message_utf16);
        CHECK(lines_of(pending).back().rfind("…and ", 0) == 0);
    }
    it.body = big;
    it.title = "Short";
    auto const text = render_card(cfg, it, two_steps(), "en").text;
    CHECK(utf16(text) > 3000);  // the body uses the room there is
}

TEST_CASE("Cards that waited go as one numbered list with a command per item", "[chat][messages]") {
    auto const cfg = directory();
    auto const now = at("2026-11-22T12:00:00Z");
    auto first = draft();  // #42, due 10:00Z: overdue
    auto second = draft();
    second.id = 43;
    second.title = "Lab week";
    second.due = at("2026-11-24T10:00:00Z");
    auto const lines = lines_of(render_card_list(cfg, {first, second, complaint()}, now, "en"));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == "3 cards waited for you; here they are in one message:");
    CHECK(lines[1] == "1. " + lines_of(render_pending(cfg, {first}, now, "en"))[1] + " — send: show 42");
    CHECK(lines[2] == "2. " + lines_of(render_pending(cfg, {second}, now, "en"))[1] + " — send: show 43");
    CHECK(has(lines[3], "3. #7 "));
    CHECK(has(render_card_list(cfg, {first}, now, "zh"), "发送：查看 42"));
    CHECK(has(render_card_list(cfg, {first}, now, "en"), "1 card waited for you"));
    CHECK(render_card_list(cfg, {first}, now, "hi") != render_card_list(cfg, {first}, now, "en"));
}
