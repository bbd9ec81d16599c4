#include "bot/core/crypto.hpp"
#include "fakes/recording_server.hpp"
#include "integration/telegram_fixture.hpp"

#include <thread>

#include <catch2/catch.hpp>

using namespace signoff::test;
using nlohmann::json;

namespace {
std::string data_of_button(fake_telegram::call const& card, int index) {
    return card.body["reply_markup"]["inline_keyboard"][0][index]["callback_data"];
}
long id_of(json const& item) { return item["id"].get<long>(); }
}  // namespace

TEST_CASE("A draft reaches its head with buttons and is approved by a button press", "[integration][telegram]") {
    telegram_world world;
    auto draft = world.submit(draft_body());
    auto card = world.wait_message(ddg_std, 1);
    CHECK_THAT(card.body["text"].get<std::string>(), Catch::Contains("📝 Draft #" + std::to_string(id_of(draft))));
    CHECK_THAT(card.body["text"].get<std::string>(), Catch::Contains("World Standards Day"));
    REQUIRE(card.body["reply_markup"]["inline_keyboard"][0].size() == 3);
    auto approve = data_of_button(card, 0);
    CHECK(approve == "a:" + std::to_string(id_of(draft)) + ":1");

    auto message_id = world.card_message_id(id_of(draft), "ddg-std");
    CHECK(world.press(ddg_std, approve, message_id) == 200);
    CHECK(world.telegram.wait_for_calls("answerCallbackQuery", 1));
    CHECK(world.item(id_of(draft))["status"] == "approved");
    // The card loses its buttons and says who decided.
    REQUIRE(world.telegram.wait_for_calls("editMessageText", 1));
    auto edit = world.telegram.calls("editMessageText")[0];
    CHECK(edit.body["message_id"] == message_id);
    CHECK_FALSE(edit.body.contains("reply_markup"));
    CHECK_THAT(edit.body["text"].get<std::string>(), Catch::Contains("Approved by"));
    auto events = world.item(id_of(draft))["events"];
    CHECK(events.back()["channel"] == "telegram");
    CHECK(events.back()["actor"] == "ddg-std");

    SECTION("the same update delivered twice has one effect") {
        auto before = world.telegram.calls("answerCallbackQuery").size();
        json update = {{"update_id", 42},
                       {"message", {{"message_id", 1}, {"from", {{"id", ddg_std}, {"is_bot", false}, {"first_name", "A"}}},
                                    {"chat", {{"id", ddg_std}, {"type", "private"}}}, {"date", 1}, {"text", "help"}}}};
        CHECK(world.post(update) == 200);
        CHECK(world.post(update) == 200);
        world.wait_message(ddg_std, 2);
        // A second effect would be committed before the second 200; once the outbox holds
        // nothing queued, whatever it would have sent has reached the fake.
        REQUIRE(world.server->wait_outbox_settled());
        CHECK(world.messages_to(ddg_std).size() == 2);
        CHECK(world.telegram.calls("answerCallbackQuery").size() == before);
    }
}

TEST_CASE("Approving by command, by quote-reply, and rejecting with and without a reason", "[integration][telegram]") {
    telegram_world world;
    auto a = world.submit(draft_body("First"));
    auto b = world.submit(draft_body("Second"));
    auto c = world.submit(draft_body("Third"));
    world.wait_message(ddg_std, 3, std::chrono::seconds(15));

    CHECK(world.send_text(ddg_std, "/approve@signoff_bot #" + std::to_string(id_of(a)) + " fine") == 200);
    CHECK(world.item(id_of(a))["status"] == "approved");
    CHECK(world.item(id_of(a))["events"].back()["data"]["text"] == "fine");

    auto card_b = world.card_message_id(id_of(b), "ddg-std");
    CHECK(world.send_text(ddg_std, "ok", card_b) == 200);
    CHECK(world.item(id_of(b))["status"] == "approved");

    CHECK(world.send_text(ddg_std, "reject " + std::to_string(id_of(c))) == 200);
    CHECK(world.item(id_of(c))["status"] == "pending");
    auto prompt = world.wait_message(ddg_std, 6, std::chrono::seconds(15));
    CHECK_THAT(prompt.body["text"].get<std::string>(), Catch::Contains(std::to_string(id_of(c))));
    // The answer to the question, as a quote-reply, is the reason.
    auto prompt_id = world.card_message_id(id_of(c), "ddg-std", "reason_prompt");
    CHECK(world.send_text(ddg_std, "the date is wrong", prompt_id) == 200);
    auto rejected = world.item(id_of(c));
    CHECK(rejected["status"] == "rejected");
    CHECK(rejected["events"].back()["data"]["text"] == "the date is wrong");
}

TEST_CASE("Requested changes: the new revision's card shows the diff and the old button refuses",
          "[integration][telegram]") {
    telegram_world world;
    auto draft = world.submit(draft_body("Standards Day", {{"body", "Join us on 14 October at Manak Bhavan"}}));
    auto first_card = world.wait_message(ddg_std, 1);
    auto old_approve = data_of_button(first_card, 0);
    auto old_message = world.card_message_id(id_of(draft), "ddg-std");
    CHECK(world.send_text(ddg_std, "changes " + std::to_string(id_of(draft)) + " the venue moved") == 200);
    CHECK(world.item(id_of(draft))["status"] == "changes_requested");

    auto revised = world.server->agency.post_json("/api/v1/items/" + std::to_string(id_of(draft)) + "/revisions",
                                                  {{"body", "Join us on 14 October at the BIS auditorium"}});
    REQUIRE(revised.status == 200);
    auto new_card = world.wait_message(ddg_std, 3, std::chrono::seconds(15));
    auto text = new_card.body["text"].get<std::string>();
    CHECK_THAT(text, Catch::Contains("revision 1"));
    CHECK_THAT(text, Catch::Contains("[-Manak Bhavan-]"));
    CHECK_THAT(text, Catch::Contains("{+the BIS auditorium+}"));
    CHECK(data_of_button(new_card, 0) == "a:" + std::to_string(id_of(draft)) + ":2");

    CHECK(world.press(ddg_std, old_approve, old_message) == 200);
    CHECK(world.item(id_of(draft))["status"] == "pending");
    auto refusal = world.wait_message(ddg_std, 4, std::chrono::seconds(15));
    CHECK_THAT(refusal.body["text"].get<std::string>(), Catch::Contains("revision 2"));
}

TEST_CASE("A sensitive draft goes through two approvers in turn", "[integration][telegram]") {
    telegram_world world;
    auto draft = world.submit(draft_body("Sensitive", {{"tier", "sensitive"}}));
    world.wait_message(ddg_std, 1);
    CHECK(world.messages_to(dh_std).empty());
    CHECK(world.send_text(dh_std, "approve " + std::to_string(id_of(draft))) == 200);
    auto refusal = world.wait_message(dh_std, 1);  // not theirs yet: told whom it waits for (in Hindi)
    CHECK_THAT(refusal.body["text"].get<std::string>(), Catch::Contains("#" + std::to_string(id_of(draft))));
    CHECK(world.send_text(ddg_std, "approve " + std::to_string(id_of(draft))) == 200);
    auto second_card = world.wait_message(dh_std, 2, std::chrono::seconds(15));
    CHECK_THAT(second_card.body["text"].get<std::string>(), Catch::Contains("#" + std::to_string(id_of(draft))));
    CHECK(second_card.body.contains("reply_markup"));
    CHECK(world.press(dh_std, data_of_button(second_card, 0), world.card_message_id(id_of(draft), "dh-std")) == 200);
    CHECK(world.item(id_of(draft))["status"] == "approved");
}

TEST_CASE("A head going away sends new drafts to the department head", "[integration][telegram]") {
    telegram_world world;
    CHECK(world.send_text(ddg_std, "away until 2099-01-01") == 200);
    world.wait_message(ddg_std, 1);
    auto draft = world.submit(draft_body("While away"));
    CHECK(draft["assignee"] == "dh-std");
    auto card = world.wait_message(dh_std, 1);
    CHECK(card.body.contains("reply_markup"));
    CHECK(world.send_text(dh_std, "स्वीकृत " + std::to_string(id_of(draft))) == 200);
    auto approved = world.item(id_of(draft));
    CHECK(approved["status"] == "approved");
    CHECK(approved["events"].back()["on_behalf_of"] == "ddg-std");
    CHECK(world.send_text(ddg_std, "back") == 200);
    CHECK(world.submit(draft_body("Back again"))["assignee"] == "ddg-std");
}

TEST_CASE("A complaint is answered with an interim response, then a final one", "[integration][telegram]") {
    telegram_world world;
    auto complaint = world.submit(complaint_body());
    auto card = world.wait_message(ddg_ca, 1);
    CHECK_THAT(card.body["text"].get<std::string>(), Catch::Contains("#" + std::to_string(id_of(complaint))));
    CHECK(world.send_text(ddg_ca, "处理中 " + std::to_string(id_of(complaint)) + " 正在核实") == 200);
    CHECK(world.item(id_of(complaint))["status"] == "acknowledged");
    CHECK(world.send_text(ddg_ca, "回复 " + std::to_string(id_of(complaint)) + " 已解决，谢谢") == 200);
    CHECK(world.item(id_of(complaint))["status"] == "resolved");
}

TEST_CASE("pending, show, history and help answer in English, Chinese and Hindi", "[integration][telegram]") {
    telegram_world world;
    auto draft = world.submit(draft_body("Listed"));
    auto complaint = world.submit(complaint_body());
    world.wait_message(ddg_std, 1);
    world.wait_message(ddg_ca, 1);

    world.send_text(ddg_std, "pending");
    CHECK_THAT(world.wait_message(ddg_std, 2).body["text"].get<std::string>(), Catch::Contains("Listed"));
    world.send_text(ddg_ca, "待办");
    CHECK_THAT(world.wait_message(ddg_ca, 2).body["text"].get<std::string>(),
               Catch::Contains("#" + std::to_string(id_of(complaint))));
    world.send_text(dh_std, "लंबित");
    auto hindi = world.wait_message(dh_std, 1).body["text"].get<std::string>();
    world.send_text(ddg_std, "show " + std::to_string(id_of(draft)));
    CHECK_THAT(world.wait_message(ddg_std, 3).body["text"].get<std::string>(), Catch::Contains("Listed"));
    world.send_text(ddg_ca, "记录 " + std::to_string(id_of(complaint)));
    auto history = world.wait_message(ddg_ca, 3).body["text"].get<std::string>();
    world.send_text(ddg_std, "help");
    auto en_help = world.wait_message(ddg_std, 4).body["text"].get<std::string>();
    world.send_text(ddg_ca, "帮助");
    auto zh_help = world.wait_message(ddg_ca, 4).body["text"].get<std::string>();
    world.send_text(dh_std, "मदद");
    auto hi_help = world.wait_message(dh_std, 2).body["text"].get<std::string>();
    CHECK_THAT(en_help, Catch::Contains("approve"));
    CHECK_THAT(zh_help, Catch::Contains("批准"));
    CHECK_THAT(hi_help, Catch::Contains("स्वीकृत"));
    CHECK(en_help != zh_help);
    CHECK(zh_help != hi_help);
    CHECK(hindi != world.last_text_to(ddg_std));
    CHECK_FALSE(history.empty());
}

TEST_CASE("show N, answered from a reader before the write, shows the state the update saw and answers once",
          "[integration][telegram]") {
    telegram_world world;
    auto draft = world.submit(draft_body("Shown"));
    world.wait_message(ddg_std, 1);
    auto const id = std::to_string(id_of(draft));

    CHECK(world.send_text(ddg_std, "approve " + id) == 200);
    world.wait_message(ddg_std, 2);
    // Rendered on the request's thread, yet after the approval it follows: the answer says so.
    CHECK(world.send_text(ddg_std, "show " + id) == 200);
    auto shown = world.wait_message(ddg_std, 3).body["text"].get<std::string>();
    CHECK_THAT(shown, Catch::Contains("Shown"));
    CHECK_THAT(shown, Catch::Contains("pproved"));

    SECTION("a redelivered show is answered once") {
        json update = {{"update_id", 4242},
                       {"message", {{"message_id", 9}, {"from", {{"id", ddg_std}, {"is_bot", false}, {"first_name", "A"}}},
                                    {"chat", {{"id", ddg_std}, {"type", "private"}}}, {"date", 1},
                                    {"text", "show " + id}}}};
        CHECK(world.post(update) == 200);
        CHECK(world.post(update) == 200);
        world.wait_message(ddg_std, 4);
        REQUIRE(world.server->wait_outbox_settled());
        CHECK(world.messages_to(ddg_std).size() == 4);
    }
    SECTION("an item that does not exist, and a stranger, still get their refusals") {
        CHECK(world.send_text(ddg_std, "show 999999") == 200);
        CHECK_THAT(world.wait_message(ddg_std, 4).body["text"].get<std::string>(), Catch::Contains("999999"));
        CHECK(world.send_text(stranger, "show " + id) == 200);
        auto refusal = world.wait_message(stranger, 1).body["text"].get<std::string>();
        CHECK_THAT(refusal, Catch::Contains("directory"));
        CHECK_THAT(refusal, !Catch::Contains("Shown"));
    }
}

TEST_CASE("Strangers, non-assignees and malformed updates change nothing", "[integration][telegram][bad-input]") {
    telegram_world world;
    auto draft = world.submit(draft_body());
    world.wait_message(ddg_std, 1);
    std::string id = std::to_string(id_of(draft));

    CHECK(world.send_text(stranger, "approve " + id) == 200);
    CHECK_THAT(world.wait_message(stranger, 1).body["text"].get<std::string>(), Catch::Contains("directory"));
    CHECK(world.send_text(ddg_ca, "approve " + id) == 200);
    world.wait_message(ddg_ca, 1);
    CHECK(world.item(id_of(draft))["status"] == "pending");

    auto& client = world.server->agency;
    auto raw = [&](std::string body, std::string secret) {
        return client.request("POST", "/webhook/telegram", std::move(body),
                              {{"Content-Type", "application/json"}, {"X-Telegram-Bot-Api-Secret-Token", secret}})
            .status;
    };
    json approve = {{"update_id", 77},
                    {"message", {{"message_id", 5}, {"from", {{"id", ddg_std}, {"is_bot", false}, {"first_name", "A"}}},
                                 {"chat", {{"id", ddg_std}, {"type", "private"}}}, {"date", 1}, {"text", "approve " + id}}}};
    CHECK(raw(approve.dump(), "wrong-secret") == 401);
    CHECK(client.request("POST", "/webhook/telegram", approve.dump(), {{"Content-Type", "application/json"}}).status == 401);
    CHECK(raw("{not json", telegram_secret) == 400);
    CHECK(raw(R"({"message":{}})", telegram_secret) == 400);
    CHECK(raw(R"({"update_id":78,"edited_message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"approve 1"}})",
              telegram_secret) == 200);
    CHECK(raw(R"({"update_id":79,"message":{"message_id":2,"from":{"id":100000004,"is_bot":false,"first_name":"A"},"chat":{"id":100000004,"type":"private"},"date":1,"sticker":{"file_id":"x"}}})",
              telegram_secret) == 200);
    CHECK(world.send_text(ddg_std, "approve 99999") == 200);
    CHECK(world.send_text(ddg_std, "approve") == 200);
    CHECK(world.send_text(ddg_std, "what is this") == 200);
    CHECK(world.press(ddg_std, "a:" + id + ":9", 1) == 200);
    CHECK(world.press(ddg_std, "garbage", 1) == 200);
    CHECK(world.item(id_of(draft))["status"] == "pending");
    CHECK(world.item(id_of(draft))["events"].size() == 1);
    world.wait_message(ddg_std, 4, std::chrono::seconds(15));  // each command is answered
    CHECK(client.get("/healthz").status == 200);
}

TEST_CASE("429 and 500 from Telegram delay messages but deliver each exactly once", "[integration][telegram][outbox]") {
    telegram_world world;
    world.telegram.fail_next_with_429(1, 1);
    world.telegram.fail_next_with_500(1);
    auto draft = world.submit(draft_body());
    auto card = world.wait_message(ddg_std, 1, std::chrono::seconds(20));
    CHECK_THAT(card.body["text"].get<std::string>(), Catch::Contains("#" + std::to_string(id_of(draft))));
    auto attempts = world.telegram.calls("sendMessage");
    REQUIRE(attempts.size() == 3);
    CHECK(attempts[0].status == 429);
    CHECK(attempts[1].status == 500);
    CHECK(attempts[1].at - attempts[0].at >= std::chrono::milliseconds(900));  // retry_after honoured
    REQUIRE(world.server->wait_outbox_settled());  // the row is recorded sent: no attempt is left
    CHECK(world.messages_to(ddg_std).size() == 1);
    CHECK(world.telegram.calls("sendMessage").size() == 3);
}

TEST_CASE("Messages queued while Telegram was down are delivered after a restart", "[integration][telegram][outbox]") {
    telegram_world world;
    world.telegram.hang_next(1, std::chrono::seconds(30));
    auto draft = world.submit(draft_body());
    world.telegram.wait_for_calls("sendMessage", 1);
    world.server->kill_and_restart();
    auto card = world.wait_message(ddg_std, 1, std::chrono::seconds(20));
    CHECK_THAT(card.body["text"].get<std::string>(), Catch::Contains("#" + std::to_string(id_of(draft))));
}

TEST_CASE("Decisions reach the agency as signed callbacks, retried until accepted", "[integration][callback][outbox]") {
    recording_server agency;
    agency.answer_next({503});
    telegram_world world([&](json& cfg) {
        cfg["api"]["callback"] = {{"url", agency.url("/hooks/signoff")}, {"secret", "callback-secret"}};
    });
    auto draft = world.submit(draft_body());
    world.wait_message(ddg_std, 1);
    CHECK(world.send_text(ddg_std, "approve " + std::to_string(id_of(draft))) == 200);
    REQUIRE(agency.wait_for(2, std::chrono::seconds(20)));
    auto requests = agency.requests();
    CHECK(requests[0].answered == 503);
    auto const& delivered = requests[1];
    CHECK(delivered.method == "POST");
    CHECK(delivered.target == "/hooks/signoff");
    CHECK(delivered.body == requests[0].body);
    auto body = json::parse(delivered.body);
    CHECK(body["event"] == "item.approved");
    CHECK(body["item"]["id"] == id_of(draft));
    CHECK(body["item"]["status"] == "approved");
    CHECK(delivered.header("X-Signoff-Signature") ==
          "sha256=" + signoff::crypto::hmac_sha256_hex("callback-secret", delivered.body));
    REQUIRE(world.server->wait_outbox_settled());  // the callback is recorded delivered: nothing is left to send
    CHECK(agency.requests().size() == 2);
}

TEST_CASE("A message Telegram refuses for good is recorded dead, with an event, not dropped", "[integration][telegram][outbox]") {
    telegram_world world({}, "999:WRONG-TOKEN");  // every send is refused with 401 Unauthorized
    auto draft = world.submit(draft_body());
    nlohmann::json events;
    for (int i = 0; i < 100; ++i) {
        events = world.server->agency.get("/api/v1/audit").json()["events"];
        if (events.back()["type"] == "message_dead") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(events.back()["type"] == "message_dead");
    CHECK(events.back()["item"] == id_of(draft));
    CHECK(events.back()["data"]["recipient"] == "ddg-std");
    CHECK_THAT(events.back()["data"]["error"].get<std::string>(), Catch::Contains("Unauthorized"));
    auto metrics = http_client(world.server->process->port()).get("/metrics").body;
    CHECK_THAT(metrics, Catch::Contains("signoff_outbox_dead_total 1"));
}

TEST_CASE("A wrong Telegram secret is refused before the update's body is read", "[integration][telegram][bad-input]") {
    telegram_world world;
    auto started = std::chrono::steady_clock::now();
    auto answer = raw_exchange(world.server->process->port(),
                               "POST /webhook/telegram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                               "X-Telegram-Bot-Api-Secret-Token: not-the-secret\r\nContent-Length: 500000\r\n\r\n",
                               std::chrono::seconds(20));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    CHECK(answer.rfind("HTTP/1.1 401", 0) == 0);
}
