// Each of the five languages end to end: the real binary, people configured with the language
// (by an alias where SPEC §4 has one), the fake Telegram seeing what they are sent.

#include "bot/core/command_words.hpp"
#include "bot/core/time.hpp"
#include "bot/messages/messages.hpp"
#include "integration/telegram_fixture.hpp"

#include <array>
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

using namespace signoff::test;
using nlohmann::json;
using signoff::verb;

namespace {

struct language_case {
    std::string configured;  // people[].language as written in the configuration
    std::string tag;         // the language it selects
    std::string draft_card, approve_button, complaint_card;
    std::array<std::string, 3> pending;  // the pending answer's first line for 1, 2 and 5 items
    std::string reminder, help, refusal;
};

std::vector<language_case> const cases{
    {"en", "en", "📝 Draft #", "Approve", "📣 Complaint #",
     {"1 item is waiting for you:", "2 items are waiting for you:", "5 items are waiting for you:"},
     "⏰ Reminder: Draft #", "Commands (", "There is no item #999999."},
    {"hi", "hi", "📝 मसौदा #", "स्वीकृत करें", "📣 शिकायत #",
     {"आपके लिए 1 मामला लंबित है:", "आपके लिए 2 मामले लंबित हैं:", "आपके लिए 5 मामले लंबित हैं:"},
     "⏰ अनुस्मारक: मसौदा #", "आदेश (", "मामला #999999 मौजूद नहीं है।"},
    {"zh-CN", "zh-Hans", "📝 草稿 #", "批准", "📣 投诉 #", {"待您处理（1 项）：", "待您处理（2 项）：", "待您处理（5 项）："},
     "⏰ 提醒：草稿 #", "命令（", "没有编号为 #999999 的事项。"},
    {"zh-TW", "zh-Hant", "📝 草稿 #", "核准", "📣 申訴 #", {"待您處理（1 件）：", "待您處理（2 件）：", "待您處理（5 件）："},
     "⏰ 提醒：草稿 #", "指令（", "查無編號 #999999 之案件。"},
    {"lt", "lt", "📝 Projektas #", "Patvirtinti", "📣 Skundas #",
     {"Jūsų sprendimo laukia 1 klausimas:", "Jūsų sprendimo laukia 2 klausimai:",
      "Jūsų sprendimo laukia 5 klausimai:"},
     "⏰ Priminimas: Projektas #", "Komandos (", "Klausimo #999999 nėra."},
};

std::string text_of(fake_telegram::call const& c) { return c.body["text"].get<std::string>(); }
std::string first_line(std::string const& s) { return s.substr(0, s.find('\n')); }

std::string in_ms(long ms) {
    auto const now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return signoff::rfc3339((now.count() + ms) / 1000 * 1000);
}

}  // namespace

TEST_CASE("Every language sees its cards, plurals, dates, help and refusals, and its words work",
          "[integration][telegram][i18n]") {
    for (auto const& lc : cases) {
        DYNAMIC_SECTION(lc.configured) {
            telegram_world world([&](json& cfg) {
                for (auto& p : cfg["people"])
                    if (p["id"] == "ddg-std" || p["id"] == "ddg-ca") p["language"] = lc.configured;
                cfg["sla"]["remind_before_hours"] = 0.0005;  // 1.8 s
            });
            auto const word = [&](verb v) { return std::string(signoff::word_for(v, lc.tag)); };
            // What the bot answers `chat` to `text`: its next sendMessage once everything before is out.
            auto const answer = [&](std::int64_t chat, std::string const& text) {
                REQUIRE(world.server->wait_outbox_settled());
                auto const before = world.messages_to(chat).size();
                REQUIRE(world.send_text(chat, text) == 200);
                return text_of(world.wait_message(chat, before + 1));
            };
            auto const status = [&](long id) { return world.item(id)["status"].get<std::string>(); };

            std::vector<long> drafts{world.submit(draft_body("Draft 1"))["id"].get<long>()};
            auto const card = world.wait_message(ddg_std, 1);
            CHECK_THAT(text_of(card), Catch::StartsWith(lc.draft_card + std::to_string(drafts[0])));
            CHECK(card.body["reply_markup"]["inline_keyboard"][0][0]["text"] == lc.approve_button);
            long const complaint = world.submit(complaint_body())["id"];
            CHECK_THAT(text_of(world.wait_message(ddg_ca, 1)),
                       Catch::StartsWith(lc.complaint_card + std::to_string(complaint)));

            CHECK(first_line(answer(ddg_std, word(verb::pending))) == lc.pending[0]);
            drafts.push_back(world.submit(draft_body("Draft 2"))["id"]);
            CHECK(first_line(answer(ddg_std, word(verb::pending))) == lc.pending[1]);
            for (int i = 3; i <= 5; ++i) drafts.push_back(world.submit(draft_body("Draft " + std::to_string(i)))["id"]);
            CHECK(first_line(answer(ddg_std, word(verb::pending))) == lc.pending[2]);

            CHECK_THAT(answer(ddg_std, word(verb::help)), Catch::StartsWith(lc.help));
            CHECK(answer(ddg_std, word(verb::approve) + " 999999") == lc.refusal);

            // Each command answers to its word in this language.
            auto const unknown = signoff::chat::render_unknown_command(lc.tag);
            auto const id = [&](std::size_t i) { return " " + std::to_string(drafts[i]); };
            CHECK_THAT(answer(ddg_std, word(verb::show) + id(4)), Catch::Contains("Draft 5"));
            CHECK(answer(ddg_std, word(verb::history) + id(4)) != unknown);
            CHECK(answer(ddg_std, word(verb::approve) + id(0)) != unknown);
            CHECK(status(drafts[0]) == "approved");
            CHECK(answer(ddg_std, word(verb::reject) + id(1) + " x") != unknown);
            CHECK(status(drafts[1]) == "rejected");
            CHECK(answer(ddg_std, word(verb::changes) + id(2) + " x") != unknown);
            CHECK(status(drafts[2]) == "changes_requested");
            CHECK(answer(ddg_std, word(verb::assign) + id(3) + " dh-std") != unknown);
            CHECK(world.item(drafts[3])["assignee"] == "dh-std");
            CHECK(answer(ddg_ca, word(verb::interim) + " " + std::to_string(complaint) + " x") != unknown);
            CHECK(status(complaint) == "acknowledged");
            CHECK(answer(ddg_ca, word(verb::reply) + " " + std::to_string(complaint) + " x") != unknown);
            CHECK(status(complaint) == "resolved");
            CHECK(answer(ddg_std, word(verb::away)) != unknown);
            CHECK(answer(ddg_std, word(verb::back)) != unknown);
            CHECK(answer(ddg_std, "no-such-command") == unknown);

            // A reminder shortly before a deadline, with the date in the language's own form.
            long const soon = world.submit(draft_body("Due soon", {{"due", in_ms(3000)}}))["id"];
            auto const due = *signoff::parse_rfc3339(world.item(soon)["due"].get<std::string>());
            std::string reminder;
            for (int tries = 0; tries < 100 && reminder.empty(); ++tries) {
                for (auto const& m : world.messages_to(ddg_std))
                    if (text_of(m).starts_with(lc.reminder + std::to_string(soon))) reminder = text_of(m);
                if (reminder.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            CAPTURE(reminder);
            CHECK_THAT(reminder, Catch::StartsWith(lc.reminder + std::to_string(soon)));
            CHECK_THAT(reminder, Catch::Contains(signoff::chat::format_local(due, "Asia/Kolkata", lc.tag)));
        }
    }
}
