#include "adapters/whatsapp.hpp"

#include "bot/core/text.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

using namespace signoff;
using outcome = chat::send_result::outcome;
using json = nlohmann::json;

namespace {

// platforms.md §2.3.1 (official example)
constexpr std::string_view text_notification = R"({
  "object": "whatsapp_business_account",
  "entry": [{
    "id": "102290129340398",
    "changes": [{
      "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}],
        "messages": [{
          "from": "16505551234",
          "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
          "timestamp": "1749416383",
          "type": "text",
          "text": {"body": "Does it come in another color?"}
        }]
      },
      "field": "messages"
    }]
  }]
})";

// platforms.md §2.3.2, in the §2.3 envelope
constexpr std::string_view reply_notification = R"({"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
  "messaging_product": "whatsapp",
  "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
  "contacts": [{"profile": {"name": "Test"}, "wa_id": "972987654321"}],
  "messages": [{
    "context": {"from": "972123456789", "id": "wamid.xyzxyz=="},
    "from": "972987654321",
    "id": "wamid.xyzxyz",
    "timestamp": "1697044746",
    "text": {"body": "replied text"},
    "type": "text"
  }]},"field":"messages"}]}]})";

// platforms.md §2.3.3
constexpr std::string_view button_reply_notification = R"({"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
  "messaging_product": "whatsapp",
  "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
  "contacts": [{"profile": {"name": "Test"}, "wa_id": "972987654321"}],
  "messages": [{
    "context": {"from": "1122334455667", "id": "wamid.xyzxyz"},
    "from": "972987654321",
    "id": "wamid.xyzxyz",
    "timestamp": "1698266730",
    "type": "interactive",
    "interactive": {"type": "button_reply", "button_reply": {"id": "callback_data", "title": "title"}}
  }]},"field":"messages"}]}]})";

constexpr std::string_view list_reply_notification = R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{
  "messaging_product": "whatsapp",
  "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
  "messages": [{
    "context": {"from": "15550783881", "id": "wamid.LIST"},
    "from": "972987654321",
    "id": "wamid.LISTREPLY",
    "timestamp": "1698266731",
    "type": "interactive",
    "interactive": {"type": "list_reply", "list_reply": {"id": "r:42:3", "title": "Reject", "description": "Draft 42"}}
  }]},"field":"messages"}]}]})";

// platforms.md §2.3.3: a template quick-reply button
constexpr std::string_view quick_reply_notification = R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{
  "messaging_product": "whatsapp",
  "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
  "contacts": [{"profile": {"name": "Test"}, "wa_id": "972987654321"}],
  "messages": [{
    "context": {"from": "15550783881", "id": "wamid.TEMPLATE"},
    "from": "972987654321",
    "id": "wamid.QUICKREPLY",
    "timestamp": "1698266732",
    "type": "button",
    "button": {"payload": "callback_data", "text": "title"}
  }]},"field":"messages"}]}]})";

// platforms.md §2.3.4
constexpr std::string_view sent_status_notification = R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{
  "messaging_product": "whatsapp",
  "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
  "statuses": [{
    "id": "wamid.xyzxyz",
    "status": "sent",
    "timestamp": "1698266945",
    "recipient_id": "972987654321",
    "conversation": {"id": "7270432eae37498234f4444b35ffc5", "expiration_timestamp": "1698339900", "origin": {"type": "service"}},
    "pricing": {"billable": true, "pricing_model": "CBP", "category": "service"}
  }]},"field":"messages"}]}]})";

// platforms.md §2.3.4 (failed), with a delivered and a read status in the same change
constexpr std::string_view mixed_status_notification = R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{
  "messaging_product": "whatsapp",
  "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
  "statuses": [
    {"id":"wamid.A","status":"delivered","timestamp":"1698266946","recipient_id":"972987654321"},
    {"id":"wamid.A","status":"read","timestamp":"1698266950","recipient_id":"972987654321"},
    {"id":"wamid.xyzxyz","status":"failed","timestamp":"1689380458","recipient_id":"972987654321",
     "errors":[{"code":130472,"title":"User's number is part of an experiment",
                "message":"User's number is part of an experiment",
                "error_data":{"details":"Failed to send message because this user's phone number is part of an experiment"},
                "href":"https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]}
  ]},"field":"messages"}]}]})";

// platforms.md §2.3.5
constexpr std::string_view system_error_notification = R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{
  "messaging_product": "whatsapp",
  "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
  "errors": [{"code": 130429, "title": "Rate limit hit", "message": "Rate limit hit",
              "error_data": {"details": "Cloud API message throughput has been reached."},
              "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]
  },"field":"messages"}]}]})";

// Two entries; the first has two changes (messages, then a non-messages field), the second a
// message, a status and an error in one value.
constexpr std::string_view batch_notification = R"({"object":"whatsapp_business_account","entry":[
  {"id":"1","changes":[
    {"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"2"},
      "messages":[
        {"from":"911111111111","id":"wamid.M1","timestamp":"1","type":"text","text":{"body":"pending"}},
        {"from":"911111111111","id":"wamid.M2","timestamp":"2","type":"image","image":{"id":"1","mime_type":"image/jpeg","sha256":"x"}}
      ]},"field":"messages"},
    {"value":{"event":"FLAGGED","current_limit":"TIER_1K"},"field":"phone_number_quality_update"}
  ]},
  {"id":"3","changes":[
    {"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"2"},
      "messages":[{"from":"922222222222","id":"wamid.M3","timestamp":"3","type":"text","text":{"body":"approve 42"}}],
      "statuses":[{"id":"wamid.OUT","status":"delivered","timestamp":"4","recipient_id":"922222222222"}],
      "errors":[{"code":131000,"title":"Something went wrong","message":"Something went wrong"}]
    },"field":"messages"}
  ]}
]})";

// platforms.md §2.2: the pywa capture (511 bytes, no trailing newline)
constexpr std::string_view pywa_secret = "1222e786b144d0e85b9f365372d93676";
constexpr std::string_view pywa_body =
    R"({"object":"whatsapp_business_account","entry":[{"id":"264937493375603","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550953877","phone_number_id":"277321005464405"},"contacts":[{"profile":{"name":"PyWa Tests"},"wa_id":"972544401243"}],"messages":[{"from":"972544401243","id":"wamid.HBgMOTcyNTQ0NDAxMjQzFQIAEhggM0RFQTNCMEEwRTY3QzUwODYzMDc4NjQ4QzM4ODAxM0YA","timestamp":"1730231903","text":{"body":"Hey there! I am using PyWa."},"type":"text"}]},"field":"messages"}]}]})";
constexpr std::string_view pywa_signature = "sha256=54edfa1d7259e0eb13c677cc7d73d1b5c86cfa12433d19156e058ab9251bc441";

config::whatsapp_config const cfg{.access_token = "EAAG-test-token",
                                  .app_secret = "app-secret",
                                  .verify_token = "verify-me",
                                  .phone_number_id = "106540352242922",
                                  .api_base = "https://graph.facebook.com/v21.0",
                                  .message_template = {.name = "signoff_pending", .language = "en_US"}};

template <class T>
T as(chat::inbound_event const& e) {
    REQUIRE(std::holds_alternative<T>(e));
    return std::get<T>(e);
}

chat::inbound_event only(std::string_view body) {
    auto const events = whatsapp::parse_notification(body);
    REQUIRE(events.size() == 1);
    return events.front();
}

// One message of the given JSON inside the §2.3 envelope.
std::string with_message(std::string_view message) {
    return R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp",)"
           R"("metadata":{"display_phone_number":"1","phone_number_id":"2"},"messages":[)" +
           std::string(message) + R"(]},"field":"messages"}]}]})";
}

std::string with_status(std::string_view status) {
    return R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp",)"
           R"("metadata":{"display_phone_number":"1","phone_number_id":"2"},"statuses":[)" +
           std::string(status) + R"(]},"field":"messages"}]}]})";
}

std::string why(std::string_view message) { return as<chat::ignored_update>(only(with_message(message))).why; }

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

std::size_t utf16_units(std::string_view s) {
    std::size_t units = 0;
    for (unsigned char c : s) units += ((c & 0xC0) != 0x80) + (c >= 0xF0);
    return units;
}

http_request signed_post(std::string body, std::optional<std::string> signature) {
    http_request r{.method = "POST", .target = "/webhook/whatsapp", .headers = {}, .body = std::move(body), .remote = ""};
    if (signature) r.headers.emplace_back("X-Hub-Signature-256", *signature);
    return r;
}

http_request get(std::string target) {
    return {.method = "GET", .target = std::move(target), .headers = {}, .body = "", .remote = ""};
}

json body_of(http_call const& r) { return json::parse(r.body); }

std::string text_of(http_call const& r) {
    auto const b = body_of(r);
    return b["type"] == "text" ? b["text"]["body"].get<std::string>() : b["interactive"]["body"]["text"].get<std::string>();
}

std::vector<chat::button> row(std::initializer_list<std::pair<char const*, char const*>> buttons) {
    std::vector<chat::button> out;
    for (auto const& [label, data] : buttons) out.push_back({.label = label, .data = data});
    return out;
}

}  // namespace

// ---- parse_notification ----------------------------------------------------------------------

TEST_CASE("A WhatsApp text message becomes an inbound message", "[adapters][whatsapp]") {
    SECTION("the official example") {
        auto const m = as<chat::inbound_message>(only(text_notification));
        CHECK(m.channel == "whatsapp");
        CHECK(m.dedupe_key == "message:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=");
        CHECK(m.sender == "16505551234");
        CHECK(m.chat == "16505551234");
        CHECK(m.message_id == "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=");
        CHECK(m.text == "Does it come in another color?");
        CHECK_FALSE(m.reply_to);
        CHECK(m.private_chat);
        CHECK_FALSE(m.language);
    }
    SECTION("a reply carries context.id") {
        auto const m = as<chat::inbound_message>(only(reply_notification));
        CHECK(m.dedupe_key == "message:wamid.xyzxyz");
        CHECK(m.sender == "972987654321");
        CHECK(m.text == "replied text");
        CHECK(m.reply_to == "wamid.xyzxyz==");
    }
    SECTION("a forwarded message has a context without id") {
        auto const m = as<chat::inbound_message>(only(with_message(
            R"({"context":{"forwarded":true},"from":"1","id":"wamid.F","timestamp":"1","type":"text","text":{"body":"fwd"}})")));
        CHECK_FALSE(m.reply_to);
        CHECK(m.text == "fwd");
    }
    SECTION("non-ASCII text, escaped or not, is passed through") {
        auto const m = as<chat::inbound_message>(only(with_message(
            R"({"from":"919999999999","id":"wamid.U","timestamp":"1","type":"text","text":{"body":"批准 #42 \ud83d\udc4d स्वीकृत"}})")));
        CHECK(m.text == "批准 #42 👍 स्वीकृत");
    }
}

TEST_CASE("WhatsApp button and list replies become button presses", "[adapters][whatsapp]") {
    SECTION("an interactive reply button") {
        auto const p = as<chat::button_press>(only(button_reply_notification));
        CHECK(p.channel == "whatsapp");
        CHECK(p.dedupe_key == "message:wamid.xyzxyz");
        CHECK(p.sender == "972987654321");
        CHECK(p.chat == "972987654321");
        CHECK(p.callback_id.empty());
        CHECK(p.message_id == "wamid.xyzxyz");
        CHECK(p.data == "callback_data");
        CHECK_FALSE(p.language);
    }
    SECTION("a list row") {
        auto const p = as<chat::button_press>(only(list_reply_notification));
        CHECK(p.dedupe_key == "message:wamid.LISTREPLY");
        CHECK(p.message_id == "wamid.LIST");
        CHECK(p.data == "r:42:3");
    }
    SECTION("a template quick-reply button carries its payload") {
        auto const p = as<chat::button_press>(only(quick_reply_notification));
        CHECK(p.dedupe_key == "message:wamid.QUICKREPLY");
        CHECK(p.message_id == "wamid.TEMPLATE");
        CHECK(p.data == "callback_data");
        CHECK(p.callback_id.empty());
    }
    SECTION("a press without context has no message id") {
        auto const p = as<chat::button_press>(only(with_message(
            R"({"from":"1","id":"wamid.B","timestamp":"1","type":"button","button":{"payload":"a:1:1","text":"Approve"}})")));
        CHECK_FALSE(p.message_id);
        CHECK(p.data == "a:1:1");
    }
}

TEST_CASE("WhatsApp statuses become delivery statuses", "[adapters][whatsapp]") {
    SECTION("sent") {
        auto const s = as<chat::delivery_status>(only(sent_status_notification));
        CHECK(s.channel == "whatsapp");
        CHECK(s.dedupe_key == "status:wamid.xyzxyz:sent");
        CHECK(s.platform_message_id == "wamid.xyzxyz");
        CHECK(s.status == "sent");
        CHECK(s.recipient == "972987654321");
        CHECK_FALSE(s.error);
    }
    SECTION("delivered, read and failed, in order") {
        auto const events = whatsapp::parse_notification(mixed_status_notification);
        REQUIRE(events.size() == 3);
        auto const delivered = as<chat::delivery_status>(events[0]);
        auto const read = as<chat::delivery_status>(events[1]);
        auto const failed = as<chat::delivery_status>(events[2]);
        CHECK(delivered.dedupe_key == "status:wamid.A:delivered");
        CHECK(read.dedupe_key == "status:wamid.A:read");
        CHECK(read.status == "read");
        CHECK(failed.dedupe_key == "status:wamid.xyzxyz:failed");
        CHECK(failed.status == "failed");
        CHECK(failed.error == "130472: User's number is part of an experiment");
    }
    SECTION("a failure without a title is described by its message, or its code alone") {
        auto const a = as<chat::delivery_status>(only(with_status(
            R"({"id":"wamid.W","status":"failed","timestamp":"1","recipient_id":"1","errors":[{"code":131047,"message":"Re-engagement message"}]})")));
        CHECK(a.error == "131047: Re-engagement message");
        CHECK(a.closes_window);  // free text is refused until the person writes again
        auto const b = as<chat::delivery_status>(only(with_status(
            R"({"id":"wamid.W","status":"failed","timestamp":"1","recipient_id":"1","errors":[{"code":131026}]})")));
        CHECK(b.error == "131026");
        CHECK_FALSE(b.closes_window);
    }
}

TEST_CASE("Only changes for the configured phone number yield events", "[adapters][whatsapp][bad-input]") {
    CHECK(whatsapp::parse_notification(text_notification, "106540352242922").size() == 1);
    CHECK(whatsapp::parse_notification(text_notification, "999").empty());
    auto without_metadata = nlohmann::json::parse(text_notification);
    without_metadata["entry"][0]["changes"][0]["value"].erase("metadata");
    CHECK(whatsapp::parse_notification(without_metadata.dump(), "106540352242922").empty());
    CHECK(whatsapp::parse_notification(without_metadata.dump()).size() == 1);  // no number to check against
}

TEST_CASE("WhatsApp updates the bot does not act on are ignored with a reason", "[adapters][whatsapp]") {
    SECTION("media, reactions, locations, contacts, unsupported and system messages") {
        CHECK(why(R"({"from":"1","id":"wamid.1","timestamp":"1","type":"image","image":{"id":"2","mime_type":"image/jpeg","sha256":"x","caption":"approve 42"}})") == "image");
        CHECK(why(R"({"from":"1","id":"wamid.2","timestamp":"1","type":"audio","audio":{"id":"2","mime_type":"audio/ogg","voice":true}})") == "audio");
        CHECK(why(R"({"from":"1","id":"wamid.3","timestamp":"1","type":"video","video":{"id":"2"}})") == "video");
        CHECK(why(R"({"from":"1","id":"wamid.4","timestamp":"1","type":"document","document":{"id":"2","filename":"a.pdf"}})") == "document");
        CHECK(why(R"({"from":"1","id":"wamid.5","timestamp":"1","type":"sticker","sticker":{"id":"2","animated":false}})") == "sticker");
        CHECK(why(R"({"from":"1","id":"wamid.6","timestamp":"1","type":"reaction","reaction":{"message_id":"wamid.X","emoji":"👍"}})") == "reaction");
        CHECK(why(R"({"from":"1","id":"wamid.7","timestamp":"1","type":"location","location":{"latitude":1.5,"longitude":2.5}})") == "location");
        CHECK(why(R"({"from":"1","id":"wamid.8","timestamp":"1","type":"contacts","contacts":[{"name":{"formatted_name":"A"}}]})") == "contacts");
        CHECK(why(R"({"from":"1","id":"wamid.9","timestamp":"1","type":"unsupported","errors":[{"code":131051,"title":"Message type unknown"}]})") == "unsupported");
        CHECK(why(R"({"from":"1","id":"wamid.10","timestamp":"1","type":"system","system":{"body":"changed number","type":"user_changed_number"}})") == "system");
        CHECK(why(R"({"from":"1","id":"wamid.11","timestamp":"1","type":"brand_new_type"})") == "brand_new_type");
        CHECK(why(R"({"from":"1","id":"wamid.12","timestamp":"1","type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{"response_json":"{}"}}})") == "interactive.nfm_reply");
    }
    SECTION("the ignored message keeps its dedupe key") {
        auto const e = as<chat::ignored_update>(only(with_message(
            R"({"from":"1","id":"wamid.R","timestamp":"1","type":"reaction","reaction":{"message_id":"wamid.X","emoji":"👍"}})")));
        CHECK(e.channel == "whatsapp");
        CHECK(e.dedupe_key == "message:wamid.R");
    }
    SECTION("system-level errors, keyed by their content") {
        auto const e = as<chat::ignored_update>(only(system_error_notification));
        CHECK(e.why == "error:130429");
        CHECK(e.dedupe_key.starts_with("error:130429:"));
        CHECK(e.dedupe_key.size() == std::string("error:130429:").size() + 16);
        auto const again = as<chat::ignored_update>(only(system_error_notification));
        CHECK(again.dedupe_key == e.dedupe_key);
    }
    SECTION("another `object` yields no events; other fields are skipped") {
        CHECK(whatsapp::parse_notification(R"({"object":"page","entry":[{"id":"1","messaging":[]}]})").empty());
        CHECK(whatsapp::parse_notification(R"({"object":"instagram","whatever":1})").empty());
        CHECK(whatsapp::parse_notification(
                  R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"message_template_status_update",)"
                  R"("value":{"event":"APPROVED","message_template_id":1,"message_template_name":"x"}}]}]})")
                  .empty());
        CHECK(whatsapp::parse_notification(R"({"object":"whatsapp_business_account","entry":[]})").empty());
        CHECK(whatsapp::parse_notification(
                  R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp"}}]}]})")
                  .empty());
    }
}

TEST_CASE("One WhatsApp POST with several entries, changes and messages yields every event in order",
          "[adapters][whatsapp]") {
    auto const events = whatsapp::parse_notification(batch_notification);
    REQUIRE(events.size() == 5);
    CHECK(as<chat::inbound_message>(events[0]).dedupe_key == "message:wamid.M1");
    CHECK(as<chat::inbound_message>(events[0]).text == "pending");
    CHECK(as<chat::ignored_update>(events[1]).why == "image");
    CHECK(as<chat::inbound_message>(events[2]).sender == "922222222222");
    CHECK(as<chat::inbound_message>(events[2]).text == "approve 42");
    CHECK(as<chat::delivery_status>(events[3]).dedupe_key == "status:wamid.OUT:delivered");
    CHECK(as<chat::ignored_update>(events[4]).why == "error:131000");
}

TEST_CASE("Malformed WhatsApp notifications are parse errors, never empty strings", "[adapters][whatsapp]") {
    auto const rejects = [](std::string_view body) {
        CHECK_THROWS_AS(whatsapp::parse_notification(body), whatsapp::parse_error);
    };
    SECTION("malformed JSON and invalid UTF-8") {
        rejects("");
        rejects(R"({"object":"whatsapp_business_account","entry":[)");
        rejects(R"({"object":"whatsapp_business_account",})");
        rejects("object=whatsapp_business_account");
        rejects(with_message("{\"from\":\"1\",\"id\":\"wamid.1\",\"type\":\"text\",\"text\":{\"body\":\"ok \xC3\x28\"}}"));
        rejects(with_message(R"({"from":"1","id":"wamid.1","type":"text","text":{"body":"\ud800"}})"));
    }
    SECTION("the envelope") {
        rejects(R"([{"object":"whatsapp_business_account"}])");
        rejects(R"({"entry":[]})");
        rejects(R"({"object":42,"entry":[]})");
        rejects(R"({"object":"whatsapp_business_account"})");
        rejects(R"({"object":"whatsapp_business_account","entry":{}})");
        rejects(R"({"object":"whatsapp_business_account","entry":[{"id":"1"}]})");
        rejects(R"({"object":"whatsapp_business_account","entry":["x"]})");
        rejects(R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{}}]}]})");
        rejects(R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages"}]}]})");
        rejects(R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":[]}]}]})");
        rejects(R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":{}}}]}]})");
    }
    SECTION("messages") {
        rejects(with_message(R"("wamid.1")"));
        rejects(with_message(R"({"from":"1","timestamp":"1","type":"text","text":{"body":"x"}})"));            // no id
        rejects(with_message(R"({"id":"wamid.1","timestamp":"1","type":"text","text":{"body":"x"}})"));        // no from
        rejects(with_message(R"({"from":"1","id":"","timestamp":"1","type":"text","text":{"body":"x"}})"));    // empty id
        rejects(with_message(R"({"from":1,"id":"wamid.1","timestamp":"1","type":"text","text":{"body":"x"}})"));
        rejects(with_message(R"({"from":"1","id":"wamid.1","timestamp":"1","text":{"body":"x"}})"));          // no type
        rejects(with_message(R"({"from":"1","id":"wamid.1","timestamp":"1","type":"text"})"));                 // no text
        rejects(with_message(R"({"from":"1","id":"wamid.1","timestamp":"1","type":"text","text":{}})"));
        rejects(with_message(R"({"from":"1","id":"wamid.1","timestamp":"1","type":"text","text":{"body":7}})"));
        rejects(with_message(R"({"context":"wamid.0","from":"1","id":"wamid.1","type":"text","text":{"body":"x"}})"));
        rejects(with_message(R"({"context":{"id":5},"from":"1","id":"wamid.1","type":"text","text":{"body":"x"}})"));
    }
    SECTION("button replies") {
        rejects(with_message(R"({"from":"1","id":"wamid.1","type":"interactive"})"));
        rejects(with_message(R"({"from":"1","id":"wamid.1","type":"interactive","interactive":{"button_reply":{"id":"x"}}})"));
        rejects(with_message(R"({"from":"1","id":"wamid.1","type":"interactive","interactive":{"type":"button_reply"}})"));
        rejects(with_message(R"({"from":"1","id":"wamid.1","type":"interactive","interactive":{"type":"button_reply","button_reply":{"title":"t"}}})"));
        rejects(with_message(R"({"from":"1","id":"wamid.1","type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":""}}})"));
        rejects(with_message(R"({"from":"1","id":"wamid.1","type":"button","button":{"text":"Approve"}})"));
        rejects(with_message(R"({"from":"1","id":"wamid.1","type":"button"})"));
    }
    SECTION("statuses and errors") {
        rejects(with_status(R"({"status":"sent","timestamp":"1","recipient_id":"1"})"));
        rejects(with_status(R"({"id":"wamid.1","timestamp":"1","recipient_id":"1"})"));
        rejects(with_status(R"({"id":"wamid.1","status":"sent","timestamp":"1"})"));
        rejects(with_status(R"({"id":"wamid.1","status":"failed","recipient_id":"1","errors":[{"title":"no code"}]})"));
        rejects(with_status(R"({"id":"wamid.1","status":"failed","recipient_id":"1","errors":[{"code":"131047"}]})"));
        rejects(with_status(R"({"id":"wamid.1","status":"failed","recipient_id":"1","errors":{"code":1}})"));
        rejects(R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"errors":[{"title":"x"}]}}]}]})");
    }
    SECTION("the error names the JSON path, not the body") {
        try {
            whatsapp::parse_notification(with_message(R"({"from":"1","type":"text","text":{"body":"secret words"}})"));
            FAIL("no parse_error");
        } catch (whatsapp::parse_error const& e) {
            CHECK(std::string(e.what()) == "whatsapp notification: entry[0].changes[0].value.messages[0].id: missing");
        }
    }
}

// ---- verification ----------------------------------------------------------------------------

TEST_CASE("WhatsApp webhook signatures are HMAC-SHA256 of the raw body under the app secret", "[adapters][whatsapp]") {
    config::whatsapp_config pywa = cfg;
    pywa.app_secret = std::string(pywa_secret);
    SECTION("the pywa capture") {
        CHECK(pywa_body.size() == 511);
        CHECK(whatsapp::verify_signature(signed_post(std::string(pywa_body), std::string(pywa_signature)), pywa));
    }
    SECTION("the sanity vector HMAC(\"secret\", \"test\")") {
        config::whatsapp_config c = cfg;
        c.app_secret = "secret";
        CHECK(whatsapp::verify_signature(
            signed_post("test", "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"), c));
    }
    SECTION("upper-case hex and any header-name case are accepted") {
        auto req = signed_post(std::string(pywa_body), std::nullopt);
        req.headers.emplace_back("x-hub-signature-256",
                                 "sha256=54EDFA1D7259E0EB13C677CC7D73D1B5C86CFA12433D19156E058AB9251BC441");
        CHECK(whatsapp::verify_signature(req, pywa));
    }
    SECTION("anything else is refused") {
        auto const refused = [&](std::string body, std::optional<std::string> sig, config::whatsapp_config const& c) {
            CHECK_FALSE(whatsapp::verify_signature(signed_post(std::move(body), std::move(sig)), c));
        };
        std::string const good(pywa_signature);
        refused(std::string(pywa_body) + "\n", good, pywa);                                    // one byte more
        refused(json::parse(pywa_body).dump(), good, pywa);                                    // re-serialised
        refused(std::string(pywa_body), good, cfg);                                            // another secret
        refused(std::string(pywa_body), std::nullopt, pywa);                                   // missing
        refused(std::string(pywa_body), "", pywa);                                             // empty
        refused(std::string(pywa_body), good.substr(7), pywa);                                 // no prefix
        refused(std::string(pywa_body), "SHA256=" + good.substr(7), pywa);                     // prefix case
        refused(std::string(pywa_body), "sha1=" + good.substr(7), pywa);                       // other algorithm
        refused(std::string(pywa_body), good.substr(0, good.size() - 1), pywa);                // short
        refused(std::string(pywa_body), good + "0", pywa);                                     // long
        refused(std::string(pywa_body), good.substr(0, good.size() - 1) + "g", pywa);          // not hex
        refused(std::string(pywa_body), good.substr(0, good.size() - 1) + "0", pywa);          // wrong digit
        refused(std::string(pywa_body), "sha256= " + good.substr(7, 63), pywa);                // space
        config::whatsapp_config no_secret = pywa;
        no_secret.app_secret.clear();
        refused(std::string(pywa_body), good, no_secret);
        refused("", "sha256=" + std::string(64, '0'), no_secret);
    }
}

TEST_CASE("The WhatsApp subscription handshake echoes hub.challenge only for the right token", "[adapters][whatsapp]") {
    SECTION("right mode and token") {
        CHECK(whatsapp::verify_subscription(
                  get("/webhook/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verify-me"), cfg) ==
              "1158201444");
        CHECK(whatsapp::verify_subscription(
                  get("/webhook/whatsapp?hub.verify_token=verify%2Dme&hub.challenge=a%20b&hub.mode=subscribe"), cfg) ==
              "a b");
    }
    SECTION("anything else is refused") {
        auto const refused = [](std::string target, config::whatsapp_config const& c = cfg) {
            CHECK_FALSE(whatsapp::verify_subscription(get(std::move(target)), c));
        };
        refused("/webhook/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verify-mE");
        refused("/webhook/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verify-me2");
        refused("/webhook/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=");
        refused("/webhook/whatsapp?hub.mode=subscribe&hub.challenge=1158201444");
        refused("/webhook/whatsapp?hub.mode=unsubscribe&hub.challenge=1158201444&hub.verify_token=verify-me");
        refused("/webhook/whatsapp?hub.challenge=1158201444&hub.verify_token=verify-me");
        refused("/webhook/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me");
        refused("/webhook/whatsapp?hub.mode=subscribe&hub.challenge=&hub.verify_token=verify-me");
        refused("/webhook/whatsapp");
        config::whatsapp_config no_token = cfg;
        no_token.verify_token.clear();
        refused("/webhook/whatsapp?hub.mode=subscribe&hub.challenge=1&hub.verify_token=", no_token);
    }
}

// ---- render_message --------------------------------------------------------------------------

TEST_CASE("A WhatsApp text message renders as one Graph call", "[adapters][whatsapp]") {
    SECTION("the exact request") {
        auto const rs = whatsapp::render_message({.to = "16505551234", .text = "Here's the info you requested!"}, cfg);
        REQUIRE(rs.size() == 1);
        auto const& r = rs.front();
        CHECK(r.method == "POST");
        CHECK(r.url == "https://graph.facebook.com/v21.0/106540352242922/messages");
        CHECK(r.headers == header_list{{"Authorization", "Bearer EAAG-test-token"}, {"Content-Type", "application/json"}});
        CHECK(r.body ==
              R"({"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234","type":"text",)"
              R"("text":{"preview_url":false,"body":"Here's the info you requested!"}})");
    }
    SECTION("a reply carries context.message_id") {
        auto const rs = whatsapp::render_message(
            {.to = "16505551234",
             .text = "Approved ✅",
             .reply_to = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="},
            cfg);
        REQUIRE(rs.size() == 1);
        CHECK(rs[0].body ==
              R"({"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234",)"
              R"("context":{"message_id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="},"type":"text",)"
              R"("text":{"preview_url":false,"body":"Approved ✅"}})");
    }
    SECTION("a trailing slash on api_base does not double") {
        config::whatsapp_config c = cfg;
        c.api_base = "http://127.0.0.1:8080/v21.0/";
        CHECK(whatsapp::render_message({.to = "1", .text = "x"}, c)[0].url ==
              "http://127.0.0.1:8080/v21.0/106540352242922/messages");
    }
    SECTION("bad input is refused") {
        CHECK_THROWS_AS(whatsapp::render_message({.to = "1", .text = ""}, cfg), std::invalid_argument);
        CHECK_THROWS_AS(whatsapp::render_message({.to = "", .text = "x"}, cfg), std::invalid_argument);
        CHECK_THROWS_AS(whatsapp::render_message({.to = "1", .text = "ok \xC3\x28"}, cfg), std::invalid_argument);
    }
}

TEST_CASE("A WhatsApp message with buttons renders as interactive reply buttons", "[adapters][whatsapp]") {
    SECTION("the exact request") {
        auto const rs = whatsapp::render_message(
            {.to = "919999999999",
             .text = "Approve deployment 17?",
             .buttons = {row({{"Approve", "dep:17:ok"}, {"Reject", "dep:17:no"}})}},
            cfg);
        REQUIRE(rs.size() == 1);
        CHECK(rs[0].body ==
              R"({"messaging_product":"whatsapp","recipient_type":"individual","to":"919999999999","type":"interactive",)"
              R"("interactive":{"type":"button","body":{"text":"Approve deployment 17?"},"action":{"buttons":[)"
              R"({"type":"reply","reply":{"id":"dep:17:ok","title":"Approve"}},)"
              R"({"type":"reply","reply":{"id":"dep:17:no","title":"Reject"}}]}}})");
    }
    SECTION("at most three buttons, taken row by row") {
        auto const rs = whatsapp::render_message(
            {.to = "1",
             .text = "Draft #42",
             .buttons = {row({{"Approve", "a:42:3"}}), row({{"Reject", "r:42:3"}, {"Request changes", "c:42:3"}}),
                         row({{"Show", "s:42"}})}},
            cfg);
        REQUIRE(rs.size() == 1);
        auto const buttons = body_of(rs[0])["interactive"]["action"]["buttons"];
        REQUIRE(buttons.size() == 3);
        CHECK(buttons[0]["reply"]["id"] == "a:42:3");
        CHECK(buttons[1]["reply"]["id"] == "r:42:3");
        CHECK(buttons[2]["reply"]["id"] == "c:42:3");
        CHECK(buttons[2]["reply"]["title"] == "Request changes");
    }
    SECTION("a reply with buttons carries context too") {
        auto const b = body_of(whatsapp::render_message(
            {.to = "1", .text = "Reason?", .buttons = {row({{"Cancel", "x"}})}, .reply_to = "wamid.Q"}, cfg)[0]);
        CHECK(b["context"]["message_id"] == "wamid.Q");
        CHECK(b["type"] == "interactive");
    }
    SECTION("titles are cut to 20 UTF-16 units between grapheme clusters, with …") {
        auto const title = [](std::string label) {
            auto const rs =
                whatsapp::render_message({.to = "1", .text = "x", .buttons = {{{.label = label, .data = "d"}}}}, cfg);
            return body_of(rs.at(0))["interactive"]["action"]["buttons"][0]["reply"]["title"].get<std::string>();
        };
        CHECK(title("Request changes") == "Request changes");
        CHECK(title("12345678901234567890") == "12345678901234567890");
        CHECK(title("Request changes right now") == "Request changes rig…");
        CHECK(title("Request changes now please") == "Request changes now…");
        CHECK(title("要求修改要求修改要求修改要求修改要求修改要求修改") == "要求修改要求修改要求修改要求修改要求修…");
        CHECK(title("संशोधन माँगें") == "संशोधन माँगें");
        CHECK(title(repeat("👍", 10)) == repeat("👍", 10));  // exactly 20 units
        CHECK(title(repeat("👍", 11)) == repeat("👍", 9) + "…");
        CHECK(title("Approve 👨‍👩‍👧‍👦 now") == "Approve 👨‍👩‍👧‍👦…");  // 8 + 11 units
        CHECK(title("Approve it 👨‍👩‍👧‍👦") == "Approve it…");      // the family does not fit whole
        CHECK(title("🇮🇳🇮🇳🇮🇳🇮🇳🇮🇳🇮🇳") == "🇮🇳🇮🇳🇮🇳🇮🇳…");            // flags stay pairs
        auto const cut = title("e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301");
        CHECK(cut == "e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301…");  // 18 + 1
        CHECK(utf16_units(title(repeat("字", 30))) == 20);
    }
    SECTION("bad buttons are refused") {
        auto const refused = [](std::vector<std::vector<chat::button>> buttons) {
            CHECK_THROWS_AS(whatsapp::render_message({.to = "1", .text = "x", .buttons = std::move(buttons)}, cfg),
                            std::invalid_argument);
        };
        refused({row({{"Approve", ""}})});
        refused({{{.label = "Approve", .data = std::string(257, 'a')}}});
        refused({row({{"", "a"}})});
        refused({row({{"Approve", "a"}, {"Approve", "b"}})});
        refused({{{.label = "Request changes right now", .data = "a"}, {.label = "Request changes right then", .data = "b"}}});
        refused({row({{"Approve", "a"}, {"Reject", "a"}})});
        refused({{{.label = "ok \xC3\x28", .data = "a"}}});
        CHECK(whatsapp::render_message({.to = "1", .text = "x", .buttons = {{{.label = "A", .data = std::string(256, 'a')}}}},
                                       cfg)
                  .size() == 1);
    }
}

TEST_CASE("Long WhatsApp texts are split, never mid-character", "[adapters][whatsapp]") {
    auto const send = [](std::string text, std::optional<std::string> reply_to = std::nullopt) {
        return whatsapp::render_message({.to = "1", .text = std::move(text), .reply_to = std::move(reply_to)}, cfg);
    };
    SECTION("exactly 4096 units is one message") {
        CHECK(send(repeat("字", 4096)).size() == 1);
        CHECK(send(repeat("👍", 2048)).size() == 1);
    }
    SECTION("CJK without spaces is cut at 4096") {
        auto const rs = send(repeat("字", 5000));
        REQUIRE(rs.size() == 2);
        CHECK(text_of(rs[0]) == repeat("字", 4096));
        CHECK(text_of(rs[1]) == repeat("字", 904));
    }
    SECTION("emoji count two units and are never halved") {
        auto const rs = send("a" + repeat("👍", 2500));
        REQUIRE(rs.size() == 2);
        CHECK(text_of(rs[0]) == "a" + repeat("👍", 2047));
        CHECK(utf16_units(text_of(rs[0])) == 4095);
        CHECK(text_of(rs[0]) + text_of(rs[1]) == "a" + repeat("👍", 2500));
    }
    SECTION("a grapheme cluster is never split") {
        std::string const family = "👨‍👩‍👧‍👦";  // 11 units
        auto const rs = send(repeat("a", 4090) + family + repeat("b", 100));
        REQUIRE(rs.size() == 2);
        CHECK(text_of(rs[0]) == repeat("a", 4090));
        CHECK(text_of(rs[1]) == family + repeat("b", 100));
    }
    SECTION("a line break is preferred, then a space, in the second half") {
        std::string lines;
        for (int i = 0; i < 50; ++i) lines += repeat("x", 49) + " " + repeat("y", 49) + "\n";  // 100 units a line
        lines.pop_back();
        auto const rs = send(lines);
        REQUIRE(rs.size() == 2);
        CHECK(text_of(rs[0]).size() == 40 * 100 - 1);  // 40 whole lines, the break dropped
        CHECK(text_of(rs[0]) + "\n" + text_of(rs[1]) == lines);

        auto const words = "head\n" + repeat("word ", 1000);  // the only break is in the first half
        auto const ws = send(words);
        REQUIRE(ws.size() == 2);
        CHECK(text_of(ws[0]).ends_with("word"));
        CHECK(utf16_units(text_of(ws[0])) <= 4096);
        CHECK(text_of(ws[0]) + " " + text_of(ws[1]) == words);
    }
    SECTION("CRLF is dropped whole") {
        auto const text = repeat("z", 3000) + "\r\n" + repeat("z", 3000);
        auto const rs = send(text);
        REQUIRE(rs.size() == 2);
        CHECK(text_of(rs[0]) == repeat("z", 3000));
        CHECK(text_of(rs[1]) == repeat("z", 3000));
    }
    SECTION("every part is valid UTF-8 within the limit, and only the first replies") {
        auto const rs = send(repeat("स्वीकृत 批准 👍🏽 ", 1500), "wamid.CARD");
        REQUIRE(rs.size() >= 3);
        for (std::size_t i = 0; i < rs.size(); ++i) {
            auto const b = body_of(rs[i]);
            CHECK(text::is_valid_utf8(text_of(rs[i])));
            CHECK(utf16_units(text_of(rs[i])) <= 4096);
            CHECK(b.contains("context") == (i == 0));
        }
        CHECK(body_of(rs[0])["context"]["message_id"] == "wamid.CARD");
    }
}

TEST_CASE("A WhatsApp card longer than an interactive body goes out as text, then buttons", "[adapters][whatsapp]") {
    std::string card = "📝 Draft #42 · general · due 22 Nov 15:30 IST\nWorld Standards Day";
    for (int i = 0; i < 30; ++i) card += "\n" + repeat("Standards make trade work. ", 2);
    card += "\n⚠ weibo: 163 of 140 characters";
    REQUIRE(utf16_units(card) > 1024);
    auto const rs = whatsapp::render_message(
        {.to = "1", .text = card, .buttons = {row({{"Approve", "a:42:3"}, {"Reject", "r:42:3"}})}, .reply_to = "wamid.P"},
        cfg);
    REQUIRE(rs.size() == 2);
    auto const head = body_of(rs[0]);
    auto const tail = body_of(rs[1]);
    CHECK(head["type"] == "text");
    CHECK(head["context"]["message_id"] == "wamid.P");
    CHECK(tail["type"] == "interactive");
    CHECK_FALSE(tail.contains("context"));
    CHECK(tail["interactive"]["action"]["buttons"].size() == 2);
    auto const body = text_of(rs[1]);
    CHECK(utf16_units(body) <= 1024);
    CHECK(utf16_units(body) >= 512);
    CHECK(body.ends_with("⚠ weibo: 163 of 140 characters"));
    CHECK(text_of(rs[0]) + "\n" + body == card);  // cut at a line break, nothing lost

    SECTION("without line breaks it is cut at a space") {
        auto const words = repeat("approve ", 200);  // 1600 units
        auto const ws = whatsapp::render_message({.to = "1", .text = words, .buttons = {row({{"OK", "a"}})}}, cfg);
        REQUIRE(ws.size() == 2);
        CHECK(text_of(ws[0]) + " " + text_of(ws[1]) == words);
        CHECK(utf16_units(text_of(ws[1])) <= 1024);
    }
    SECTION("CJK without spaces at the earliest cluster that fits") {
        auto const cjk = repeat("字", 1500);
        auto const cs = whatsapp::render_message({.to = "1", .text = cjk, .buttons = {row({{"OK", "a"}})}}, cfg);
        REQUIRE(cs.size() == 2);
        CHECK(text_of(cs[0]) == repeat("字", 476));
        CHECK(text_of(cs[1]) == repeat("字", 1024));
    }
    SECTION("exactly 1024 units stays one interactive message") {
        auto const one = whatsapp::render_message({.to = "1", .text = repeat("👍", 512), .buttons = {row({{"OK", "a"}})}}, cfg);
        REQUIRE(one.size() == 1);
        CHECK(body_of(one[0])["type"] == "interactive");
    }
}

TEST_CASE("A WhatsApp edit is sent as a reply to the old message, without buttons", "[adapters][whatsapp]") {
    SECTION("the exact request") {
        auto const rs = whatsapp::render_message({.to = "919999999999",
                                                  .text = "✅ Approved by DDG (Standardisation)",
                                                  .buttons = {row({{"Approve", "a:42:3"}})},
                                                  .reply_to = "wamid.OTHER",
                                                  .edit_message_id = "wamid.CARD",
                                                  .remove_buttons = true},
                                                 cfg);
        REQUIRE(rs.size() == 1);
        CHECK(rs[0].body ==
              R"({"messaging_product":"whatsapp","recipient_type":"individual","to":"919999999999",)"
              R"("context":{"message_id":"wamid.CARD"},"type":"text",)"
              R"j("text":{"preview_url":false,"body":"✅ Approved by DDG (Standardisation)"}})j");
    }
    SECTION("an edit of the buttons alone sends nothing") {
        CHECK(whatsapp::render_message({.to = "1", .text = "", .edit_message_id = "wamid.CARD", .remove_buttons = true}, cfg)
                  .empty());
    }
}

// ---- render_template -------------------------------------------------------------------------

TEST_CASE("A WhatsApp template message renders with body parameters and quick-reply payloads", "[adapters][whatsapp]") {
    SECTION("the exact request") {
        auto const r = whatsapp::render_template({.to = "16505551234",
                                                  .name = "signoff_pending",
                                                  .language = "en_US",
                                                  .body_params = {"#42 World Standards Day", "22 Nov 15:30"},
                                                  .button_payloads = {"a:42:3", "r:42:3"}},
                                                 cfg);
        CHECK(r.method == "POST");
        CHECK(r.url == "https://graph.facebook.com/v21.0/106540352242922/messages");
        CHECK(r.headers == header_list{{"Authorization", "Bearer EAAG-test-token"}, {"Content-Type", "application/json"}});
        CHECK(r.body ==
              R"({"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234","type":"template",)"
              R"("template":{"name":"signoff_pending","language":{"code":"en_US"},"components":[)"
              R"({"type":"body","parameters":[{"type":"text","text":"#42 World Standards Day"},{"type":"text","text":"22 Nov 15:30"}]},)"
              R"({"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"a:42:3"}]},)"
              R"({"type":"button","sub_type":"quick_reply","index":"1","parameters":[{"type":"payload","payload":"r:42:3"}]}]}})");
    }
    SECTION("no parameters, no components; the configured template when none is named") {
        auto const r = whatsapp::render_template({.to = "1", .name = "", .language = "hi"}, cfg);
        CHECK(r.body ==
              R"({"messaging_product":"whatsapp","recipient_type":"individual","to":"1","type":"template",)"
              R"("template":{"name":"signoff_pending","language":{"code":"en_US"}}})");
    }
    SECTION("parameters lose newlines, tabs and long runs of spaces") {
        auto const r = whatsapp::render_template(
            {.to = "1", .name = "t", .body_params = {"line one\nline two\ttab      six spaces 批准"}}, cfg);
        CHECK(body_of(r)["template"]["components"][0]["parameters"][0]["text"] ==
              "line one line two tab    six spaces 批准");
    }
    SECTION("no template or no recipient is refused") {
        config::whatsapp_config none = cfg;
        none.message_template = {};
        CHECK_THROWS_AS(whatsapp::render_template({.to = "1", .name = ""}, none), std::invalid_argument);
        CHECK_THROWS_AS(whatsapp::render_template({.to = "", .name = "t"}, cfg), std::invalid_argument);
        CHECK_THROWS_AS(whatsapp::render_template({.to = "1", .name = "t", .body_params = {"\xff"}}, cfg),
                        std::invalid_argument);
    }
}

// ---- read_send_result ------------------------------------------------------------------------

namespace {

// platforms.md §2.5
constexpr std::string_view success_body =
    R"({"messaging_product":"whatsapp","contacts":[{"input":"16505555555","wa_id":"16505555555"}],)"
    R"("messages":[{"id":"wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"}]})";

// platforms.md §2.7 (Graph envelope)
constexpr std::string_view token_error_body =
    R"({"error":{"message":"Message describing the error","type":"OAuthException","code":190,)"
    R"("error_subcode":460,"error_user_title":"A title","error_user_msg":"A message","fbtrace_id":"EJplcsCHuLu"}})";

// platforms.md §2.7 ([YCLOUD-ERR])
constexpr std::string_view pair_limit_body =
    R"({"error":{"message":"(#131056) (Business Account, Consumer Account) pair rate limit hit","type":"OAuthException",)"
    R"("code":131056,"error_data":{"messaging_product":"whatsapp","details":"Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time."},"fbtrace_id":"A1b2C3"}})";

// platforms.md §2.6
constexpr std::string_view window_body =
    R"({"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,)"
    R"("error_data":{"messaging_product":"whatsapp","details":"More than 24 hours have passed since the recipient last replied to the sender number."},)"
    R"("fbtrace_id":"AbCdEf"}})";

std::string graph_error(int code, std::string_view message) {
    return R"({"error":{"message":")" + std::string(message) + R"(","type":"OAuthException","code":)" +
           std::to_string(code) + R"(,"error_data":{"messaging_product":"whatsapp","details":""},"fbtrace_id":"X"}})";
}

}  // namespace

TEST_CASE("Graph answers to a WhatsApp send are sent, retry or give up", "[adapters][whatsapp]") {
    SECTION("success carries the wamid") {
        auto const r = whatsapp::read_send_result(200, success_body);
        CHECK(r.result == outcome::sent);
        CHECK(r.message_id == "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA");
        CHECK(r.error.empty());
        CHECK_FALSE(r.window_closed);
        auto const template_accepted = whatsapp::read_send_result(
            200, R"({"messaging_product":"whatsapp","contacts":[{"input":"1","wa_id":"1"}],"messages":[{"id":"wamid.T","message_status":"accepted"}]})");
        CHECK(template_accepted.message_id == "wamid.T");
        auto const no_id = whatsapp::read_send_result(200, R"({"messaging_product":"whatsapp"})");
        CHECK(no_id.result == outcome::sent);
        CHECK_FALSE(no_id.message_id);
    }
    SECTION("131047: the window is closed") {
        auto const r = whatsapp::read_send_result(400, window_body);
        CHECK(r.result == outcome::give_up);
        CHECK(r.window_closed);
        CHECK(r.error ==
              "131047: (#131047) Re-engagement message (More than 24 hours have passed since the recipient last replied "
              "to the sender number.)");
    }
    SECTION("rate limits retry") {
        for (auto const& [status, code] : std::vector<std::pair<int, int>>{
                 {429, 130429}, {400, 130429}, {400, 131056}, {400, 80007}, {400, 4}, {400, 613}}) {
            auto const r = whatsapp::read_send_result(status, graph_error(code, "(#" + std::to_string(code) + ") Rate limit hit"));
            INFO(code);
            CHECK(r.result == outcome::retry);
            CHECK_FALSE(r.window_closed);
            CHECK(r.error == std::to_string(code) + ": (#" + std::to_string(code) + ") Rate limit hit");
        }
        auto const pair = whatsapp::read_send_result(400, pair_limit_body);
        CHECK(pair.result == outcome::retry);
        CHECK(pair.error.starts_with("131056: (#131056) (Business Account, Consumer Account) pair rate limit hit (Message"));
        CHECK(whatsapp::read_send_result(429, R"({"error":{"message":"Too many calls","code":99999}})").result ==
              outcome::retry);
    }
    SECTION("temporary failures and 5xx retry") {
        for (int code : {1, 2, 131000, 131016}) {
            INFO(code);
            CHECK(whatsapp::read_send_result(500, graph_error(code, "Something went wrong")).result == outcome::retry);
            CHECK(whatsapp::read_send_result(400, graph_error(code, "Something went wrong")).result == outcome::retry);
        }
        CHECK(whatsapp::read_send_result(503, graph_error(12345, "Service unavailable")).result == outcome::retry);
        CHECK(whatsapp::read_send_result(502, "<html>Bad Gateway</html>").result == outcome::retry);
        CHECK(whatsapp::read_send_result(502, "<html>Bad Gateway</html>").error == "HTTP 502 with an unreadable body");
        CHECK(whatsapp::read_send_result(429, "").result == outcome::retry);
        CHECK(whatsapp::read_send_result(500, "{}").result == outcome::retry);
    }
    SECTION("token errors give up and never quote Graph's message") {
        auto const r = whatsapp::read_send_result(401, token_error_body);
        CHECK(r.result == outcome::give_up);
        CHECK(r.error == "190: the access token was rejected (subcode 460)");
        auto const malformed = whatsapp::read_send_result(
            400, R"({"error":{"message":"Malformed access token EAAG-test-token","type":"OAuthException","code":190,"fbtrace_id":"Y"}})");
        CHECK(malformed.result == outcome::give_up);
        CHECK(malformed.error.find("EAAG") == std::string::npos);
        CHECK(whatsapp::read_send_result(500, graph_error(190, "expired")).result == outcome::give_up);
    }
    SECTION("permanent failures give up") {
        for (int code : {131026, 131051, 100, 131008, 131009, 10, 200}) {
            INFO(code);
            auto const r = whatsapp::read_send_result(400, graph_error(code, "(#" + std::to_string(code) + ") Invalid"));
            CHECK(r.result == outcome::give_up);
            CHECK_FALSE(r.window_closed);
        }
        CHECK(whatsapp::read_send_result(400, graph_error(100, "(#100) Invalid parameter")).error ==
              "100: (#100) Invalid parameter");
        CHECK(whatsapp::read_send_result(404, "Not Found").result == outcome::give_up);
        CHECK(whatsapp::read_send_result(403, "{}").error == "HTTP 403 without an error object");
        CHECK(whatsapp::read_send_result(200, "not json").result == outcome::give_up);
        CHECK(whatsapp::read_send_result(400, R"({"error":{"message":"no code"}})").error == "HTTP 400: no code");
    }
    SECTION("an error with a 2xx status is still an error") {
        CHECK(whatsapp::read_send_result(200, window_body).result == outcome::give_up);
        CHECK(whatsapp::read_send_result(200, window_body).window_closed);
    }
    SECTION("the error text is bounded") {
        auto const r = whatsapp::read_send_result(400, graph_error(100, repeat("批", 1000)));
        CHECK(text::code_points(r.error) == 300);
    }
}
