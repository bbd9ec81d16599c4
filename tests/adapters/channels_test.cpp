// The outbound channels as the outbox sees them (adapters/channel.hpp): each platform's rules
// behind one interface, exercised without any I/O.

#include "adapters/sms.hpp"
#include "adapters/telegram.hpp"
#include "adapters/wecom.hpp"
#include "adapters/whatsapp.hpp"
#include "bot/core/time.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace signoff;
using nlohmann::json;

namespace {

chat::outbound_message card_text(std::string text, bool with_buttons = true) {
    chat::outbound_message m{.text = std::move(text)};
    if (with_buttons) m.buttons = {{{"Approve", "a:42:3"}, {"Reject", "r:42:3"}, {"Request changes", "c:42:3"}}};
    return m;
}

channels::delivery card_for(std::string address) {
    return {.purpose = "item_card", .address = std::move(address), .row_id = "17", .item = 42, .revision = 3,
            .item_title = "World Standards Day", .awaits_recipient = true,
            .message = card_text("📝 Draft #42\nWorld Standards Day")};
}

}  // namespace

TEST_CASE("The Telegram channel edits without counting per chat and answers presses", "[adapters][channels]") {
    config::telegram_config cfg{.bot_token = "123:ABC", .secret_token = "s", .api_base = "http://127.0.0.1:9"};
    auto ch = telegram::make_channel(cfg);
    CHECK(ch->name() == "telegram");
    CHECK(ch->active());
    CHECK(ch->counts_per_chat("item_card"));
    CHECK_FALSE(ch->counts_per_chat("card_update"));
    CHECK_FALSE(ch->counts_per_chat("press_answer"));
    CHECK_FALSE(ch->service_window());
    CHECK_FALSE(ch->credential_request(0));

    auto card = ch->render(card_for("111"));
    REQUIRE(card.requests.size() == 1);
    CHECK(card.requests[0].url == "http://127.0.0.1:9/bot123:ABC/sendMessage");
    CHECK(json::parse(card.requests[0].body)["chat_id"] == 111);

    auto press = ch->render({.purpose = "press_answer", .address = "111", .press = chat::press_answer{"cb-1", "Approved"}});
    REQUIRE(press.requests.size() == 1);
    CHECK(press.requests[0].url.ends_with("/answerCallbackQuery"));

    auto gone = ch->render({.purpose = "reminder", .address = "111", .item = 9});
    CHECK(gone.requests.empty());
    CHECK(gone.why == "item #9 cannot be shown");
}

TEST_CASE("The WhatsApp channel sends the template outside the window and skips what it cannot edit",
          "[adapters][channels]") {
    config::whatsapp_config cfg{.access_token = "t", .app_secret = "s", .phone_number_id = "555",
                                .api_base = "http://127.0.0.1:9", .message_template = {"approval_request", "en"}};
    auto ch = whatsapp::make_channel(cfg);
    REQUIRE(ch->service_window());
    CHECK(*ch->service_window() == 24 * ms_per_hour);
    CHECK(ch->counts_per_chat("card_update"));  // an update is a new message on WhatsApp

    auto inside = ch->render(card_for("919800000001"));
    REQUIRE_FALSE(inside.requests.empty());
    CHECK(json::parse(inside.requests.back().body)["type"] == "interactive");
    CHECK_FALSE(inside.as_template);

    auto outside_delivery = card_for("919800000001");
    outside_delivery.window_open = false;
    auto outside = ch->render(outside_delivery);
    REQUIRE(outside.requests.size() == 1);
    CHECK(outside.as_template);
    auto const body = json::parse(outside.requests[0].body);
    CHECK(body["template"]["name"] == "approval_request");
    CHECK(body.dump().find("#42") != std::string::npos);
    CHECK(body.dump().find("a:42:3") != std::string::npos);  // the card's buttons as quick replies
    CHECK(body.dump().find("c:42:3") != std::string::npos);

    outside_delivery.awaits_recipient = false;  // a copy: no buttons
    CHECK(json::parse(ch->render(outside_delivery).requests[0].body).dump().find("a:42:3") == std::string::npos);

    CHECK(ch->render({.purpose = "press_answer", .address = "1", .press = chat::press_answer{"", "x"}}).skip);
    CHECK(ch->render({.purpose = "card_update", .address = "1", .decided_by_recipient = true}).skip);

    config::whatsapp_config no_template = cfg;
    no_template.message_template.name.clear();
    auto refused = whatsapp::make_channel(no_template)->render(outside_delivery);
    CHECK(refused.requests.empty());
    CHECK_THAT(refused.why, Catch::Contains("no template"));
}

TEST_CASE("The WeCom channel holds its access token, renews it early and puts it in encoded",
          "[adapters][channels][wecom]") {
    config::wecom_config cfg{.corp_id = "ww1", .corp_secret = "sec", .agent_id = 1000002, .token = "t",
                             .encoding_aes_key = std::string(43, 'a'), .api_base = "http://127.0.0.1:9"};
    auto ch = wecom::make_channel(cfg);
    millis const now = 1'000'000;
    auto first = ch->credential_request(now);
    REQUIRE(first);
    CHECK_THAT(first->url, Catch::Contains("/cgi-bin/gettoken?corpid=ww1"));

    std::string error;
    CHECK_FALSE(ch->accept_credential(200, R"({"errcode":40013,"errmsg":"invalid corpid"})", now, error));
    CHECK_THAT(error, Catch::Contains("40013"));
    REQUIRE(ch->accept_credential(200, R"({"errcode":0,"access_token":"a+b&c=d","expires_in":7200})", now, error));
    CHECK_FALSE(ch->credential_request(now));
    CHECK_FALSE(ch->credential_request(now + (7200 - 301) * ms_per_second));
    CHECK(ch->credential_request(now + (7200 - 299) * ms_per_second));  // renewed 5 minutes early

    auto card = ch->render(card_for("ddgstd"));
    REQUIRE(card.requests.size() == 1);
    CHECK(card.requests[0].url.find("a+b") == std::string::npos);  // never sent before authorise
    auto request = card.requests[0];
    ch->authorise(request);
    CHECK_THAT(request.url, Catch::EndsWith("?access_token=a%2Bb%26c%3Dd"));

    ch->drop_credential();
    CHECK(ch->credential_request(now));

    auto press = ch->render({.purpose = "press_answer", .address = "ddgstd", .row_id = "18",
                             .press = chat::press_answer{"RESPONSE-CODE", "Approved #42"}});
    REQUIRE(press.requests.size() == 1);
    CHECK_THAT(press.requests[0].url, Catch::Contains("update_template_card"));
    REQUIRE(press.fallback.size() == 1);  // a text when the response code is spent
    CHECK_THAT(press.fallback[0].url, Catch::Contains("message/send"));
    CHECK(ch->render({.purpose = "press_answer", .address = "ddgstd", .press = chat::press_answer{"R", ""}}).skip);

    auto refused = ch->read_result(200, R"({"errcode":42001,"errmsg":"access_token expired"})");
    CHECK(refused.credential_rejected);
}

TEST_CASE("The SMS channel keeps the command to answer with whole", "[adapters][channels]") {
    config::sms_config cfg{.api_base = "http://127.0.0.1:9", .account_sid = "AC1", .auth_token = "t", .from = "+1555"};
    auto ch = sms::make_channel(cfg);
    auto d = card_for("+919800000001");
    d.message = card_text("🚨 Urgent draft #42 · due 22 Nov 15:30\n" + std::string(600, 'x') + "\nmore lines", false);
    d.message->short_answer = "Answer in chat: approve 42 / reject 42 reason";  // in the person's language
    auto sms = ch->render(d);
    REQUIRE(sms.requests.size() == 1);
    CHECK_THAT(sms.requests[0].body, Catch::Contains("Answer%20in%20chat") &&
                                         Catch::Contains("approve%2042%20%2F%20reject%2042%20reason"));
    CHECK(sms.requests[0].body.find("more%20lines") == std::string::npos);  // header and title only

    d.message->short_answer = "Atsakykite pokalbyje: patvirtinti 42 / atmesti 42 priežastis";
    CHECK_THAT(ch->render(d).requests.at(0).body, Catch::Contains("patvirtinti%2042"));
}

TEST_CASE("A request takes a field of the previous answer into its body", "[adapters][channels][creatives]") {
    signoff::http_call call{.method = "POST", .url = "https://x/messages", .headers = {},
                            .body = R"({"image":{"id":"@media@"}})", .from_previous = {{"id", "@media@"}}};
    std::string error;
    SECTION("the field is put in, JSON-escaped") {
        REQUIRE(signoff::channels::fill_from_previous(call, R"({"id":"12\"34"})", error));
        CHECK(call.body == R"({"image":{"id":"12\"34"}})");
        CHECK_FALSE(call.from_previous);
    }
    SECTION("an answer without it is refused with a reason") {
        CHECK_FALSE(signoff::channels::fill_from_previous(call, R"({"error":{}})", error));
        CHECK_THAT(error, Catch::Contains("\"id\""));
        CHECK_FALSE(signoff::channels::fill_from_previous(call, "not json", error));
    }
    SECTION("a request that needs nothing is left as it is") {
        signoff::http_call plain{.method = "POST", .url = "u", .headers = {}, .body = "b"};
        CHECK(signoff::channels::fill_from_previous(plain, "", error));
        CHECK(plain.body == "b");
    }
}
