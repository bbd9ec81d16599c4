// SPEC §8 "Delivery is fair and prompt" and §6's list message, against the real binary and a
// fake Telegram that keeps Telegram's limit of one message per second per chat (a faster
// second message is answered 429). Timings are asserted with the contract's 3 s, never tighter.

#include "fakes/recording_server.hpp"
#include "integration/telegram_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <regex>
#include <set>
#include <thread>

using namespace signoff::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr auto contract = 3s;                  // SPEC §8
constexpr auto fake_chat_interval = 900ms;     // a little under Telegram's second, for network jitter

long id_of(json const& item) { return item["id"].get<long>(); }

std::size_t refused_sends(fake_telegram const& telegram) {
    auto calls = telegram.calls("sendMessage");
    return static_cast<std::size_t>(std::count_if(calls.begin(), calls.end(), [](auto const& c) { return c.status == 429; }));
}

// Every "#N" the texts sent to a chat name.
std::multiset<long> items_named(std::vector<fake_telegram::call> const& messages) {
    std::multiset<long> out;
    static std::regex const ref(R"(#(\d+))");
    for (auto const& m : messages) {
        auto text = m.body.value("text", "");
        for (auto it = std::sregex_iterator(text.begin(), text.end(), ref); it != std::sregex_iterator(); ++it)
            out.insert(std::stol((*it)[1]));
    }
    return out;
}

}  // namespace

TEST_CASE("One chat's backlog of 150 answers delays neither another person's card nor the agency's callback",
          "[integration][fair]") {
    recording_server agency;
    telegram_world world([&](json& cfg) { cfg["api"]["callback"] = {{"url", agency.url("/hooks")}, {"secret", "s"}}; });
    world.telegram.limit_per_chat(fake_chat_interval);
    auto complaint = world.submit(complaint_body());  // for ddg-ca, who answers it below
    world.wait_message(ddg_ca, 1);

    for (int i = 0; i < 150; ++i) REQUIRE(world.send_text(ddg_std, "help") == 200);
    auto const start = std::chrono::steady_clock::now();
    world.submit(draft_body("Consumer rights day", {{"topic", "consumer"}}));
    REQUIRE(world.server->prdesk
                .post_json("/api/v1/items/" + std::to_string(id_of(complaint)) + "/decisions",
                           decision("reply", "ddg-ca", "We have called the citizen back."))
                .status == 200);

    CHECK(agency.wait_for(1, contract));
    CHECK(world.telegram.wait_for([&](auto const&) { return world.messages_to(ddg_ca).size() >= 2; }, contract));
    CHECK(std::chrono::steady_clock::now() - start < contract + 500ms);
    CHECK_THAT(world.last_text_to(ddg_ca), Catch::Contains("Consumer rights day"));
    // The backlog is still draining at one a second: it did not have to go first.
    CHECK(world.messages_to(ddg_std).size() < 150);
    CHECK(refused_sends(world.telegram) == 0);  // and the platform's limit was kept
}

TEST_CASE("The answer to a person's own command goes before the 40 cards waiting for them", "[integration][fair]") {
    telegram_world world;
    world.telegram.limit_per_chat(fake_chat_interval);
    std::vector<long> drafts;
    for (int i = 0; i < 40; ++i) drafts.push_back(id_of(world.submit(draft_body("Batch draft " + std::to_string(i)))));
    world.wait_message(ddg_std, 1);

    auto const asked = std::chrono::steady_clock::now();
    REQUIRE(world.send_text(ddg_std, "help") == 200);
    auto answered = world.telegram.wait_for(
        [&](auto const&) {
            auto sent = world.messages_to(ddg_std);
            return std::any_of(sent.begin(), sent.end(),
                               [](auto const& m) { return m.body.contains("reply_parameters"); });
        },
        contract);
    CHECK(answered);
    CHECK(std::chrono::steady_clock::now() - asked < contract + 500ms);
    // Only the first card went before it.
    auto sent = world.messages_to(ddg_std);
    REQUIRE(sent.size() >= 2);
    CHECK(sent[1].body.contains("reply_parameters"));
    CHECK(refused_sends(world.telegram) == 0);
}

TEST_CASE("More than three cards waiting for one person go as one list, each item once", "[integration][fair]") {
    telegram_world world;
    world.telegram.limit_per_chat(fake_chat_interval);
    std::vector<long> drafts;
    for (int i = 0; i < 30; ++i) drafts.push_back(id_of(world.submit(draft_body("Listed draft " + std::to_string(i)))));
    REQUIRE(world.server->wait_outbox_settled(20s));

    auto sent = world.messages_to(ddg_std);
    // The first card could go at once and went as itself, with its buttons; the 29 that waited
    // went as lists of at most 20 (one a second), not as 29 messages.
    REQUIRE(sent.size() >= 2);
    CHECK(sent.size() <= 3);
    CHECK(sent[0].body.contains("reply_markup"));
    CHECK_THAT(sent[0].body["text"].get<std::string>(), Catch::Contains("#" + std::to_string(drafts[0])));
    auto list = sent[1].body["text"].get<std::string>();
    CHECK_THAT(list, Catch::Contains("in one message"));
    CHECK_THAT(list, Catch::Contains("Listed draft 1"));
    CHECK_THAT(list, Catch::Contains("show " + std::to_string(drafts[1])));
    CHECK_THAT(list, Catch::Contains("due "));
    auto named = items_named(sent);
    for (auto id : drafts) CHECK(named.count(id) == 1);
    CHECK(refused_sends(world.telegram) == 0);

    SECTION("the command a list line gives shows that item") {
        auto before = world.messages_to(ddg_std).size();
        REQUIRE(world.send_text(ddg_std, "show " + std::to_string(drafts[5])) == 200);
        auto shown = world.wait_message(ddg_std, before + 1);
        CHECK_THAT(shown.body["text"].get<std::string>(), Catch::Contains("Listed draft 5"));
    }
}

TEST_CASE("Three cards waiting go one by one, as cards", "[integration][fair]") {
    telegram_world world;
    world.telegram.limit_per_chat(fake_chat_interval);
    for (int i = 0; i < 3; ++i) world.submit(draft_body("Small batch " + std::to_string(i)));
    REQUIRE(world.server->wait_outbox_settled(10s));
    auto sent = world.messages_to(ddg_std);
    REQUIRE(sent.size() == 3);
    for (auto const& m : sent) CHECK(m.body.contains("reply_markup"));
}

TEST_CASE("A stranger is refused once per chat in ten minutes, and later messages change nothing",
          "[integration][fair]") {
    telegram_world world;
    for (int i = 0; i < 20; ++i) CHECK(world.send_text(stranger, "hello?") == 200);
    REQUIRE(world.server->wait_outbox_settled());
    auto refusals = world.messages_to(stranger);
    REQUIRE(refusals.size() == 1);
    CHECK_THAT(refusals[0].body["text"].get<std::string>(), Catch::Contains("not in its directory"));
    CHECK(world.press(stranger, "a:1:1", 5) == 200);  // a press is still answered, without a second refusal
    REQUIRE(world.server->wait_outbox_settled());
    CHECK(world.messages_to(stranger).size() == 1);
    CHECK(world.server->agency.get("/healthz").status == 200);

    SECTION("another stranger chat gets its own refusal") {
        CHECK(world.send_text(stranger + 1, "hi") == 200);
        CHECK(world.wait_message(stranger + 1, 1).body["text"].is_string());
    }
}

TEST_CASE("A new revision sends its approver two messages: the latest card marked, and the new card",
          "[integration][fair]") {
    telegram_world world;
    auto draft = world.submit(draft_body("Revised often", {{"body", "First text"}}));
    auto id = std::to_string(id_of(draft));
    world.wait_message(ddg_std, 1);
    for (int revision = 2; revision <= 4; ++revision) {
        REQUIRE(world.server->wait_outbox_settled());
        auto const before = world.telegram.calls().size();
        auto const previous_card = world.card_message_id(id_of(draft), "ddg-std");
        auto r = world.server->agency.post_json("/api/v1/items/" + id + "/revisions",
                                                {{"body", "Text of revision " + std::to_string(revision)}});
        REQUIRE(r.status == 200);
        REQUIRE(world.server->wait_outbox_settled());
        auto calls = world.telegram.calls();
        std::vector<fake_telegram::call> after(calls.begin() + static_cast<long>(before), calls.end());
        INFO("revision " << revision);
        REQUIRE(after.size() == 2);
        auto edit = std::find_if(after.begin(), after.end(), [](auto const& c) { return c.method == "editMessageText"; });
        REQUIRE(edit != after.end());
        CHECK(edit->body["message_id"] == previous_card);
        auto card = std::find_if(after.begin(), after.end(), [](auto const& c) { return c.method == "sendMessage"; });
        REQUIRE(card != after.end());
        CHECK(card->body["reply_markup"]["inline_keyboard"][0][0]["callback_data"] ==
              "a:" + id + ":" + std::to_string(revision));
    }
}
