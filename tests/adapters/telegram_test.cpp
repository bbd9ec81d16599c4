#include "adapters/telegram.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

using namespace signoff;
using namespace std::chrono_literals;
using outcome = chat::send_result::outcome;

namespace {

// platforms.md §1.3.1
constexpr std::string_view text_update = R"({
  "update_id": 123456789,
  "message": {
    "message_id": 42,
    "from": {"id": 111111111, "is_bot": false, "first_name": "Alice", "username": "alice", "language_code": "en"},
    "chat": {"id": 111111111, "first_name": "Alice", "username": "alice", "type": "private"},
    "date": 1700000000,
    "text": "/start hello",
    "entities": [{"type": "bot_command", "offset": 0, "length": 6}]
  }
})";

// platforms.md §1.3.2
constexpr std::string_view reply_update = R"({
  "update_id": 123456790,
  "message": {
    "message_id": 43,
    "from": {"id": 111111111, "is_bot": false, "first_name": "Alice"},
    "chat": {"id": 111111111, "first_name": "Alice", "type": "private"},
    "date": 1700000010,
    "text": "yes, that one",
    "reply_to_message": {
      "message_id": 40,
      "from": {"id": 7000000001, "is_bot": true, "first_name": "MyBot", "username": "my_bot"},
      "chat": {"id": 111111111, "first_name": "Alice", "type": "private"},
      "date": 1699999990,
      "text": "Which order?"
    }
  }
})";

// platforms.md §1.3.3
constexpr std::string_view callback_update = R"({
  "update_id": 123456791,
  "callback_query": {
    "id": "4382bfdwdsb323b2d9",
    "from": {"id": 111111111, "is_bot": false, "first_name": "Alice"},
    "message": {
      "message_id": 44,
      "from": {"id": 7000000001, "is_bot": true, "first_name": "MyBot", "username": "my_bot"},
      "chat": {"id": 111111111, "first_name": "Alice", "type": "private"},
      "date": 1700000020,
      "text": "Approve deployment?",
      "reply_markup": {"inline_keyboard": [[
        {"text": "Approve", "callback_data": "dep:17:ok"},
        {"text": "Reject",  "callback_data": "dep:17:no"}
      ]]}
    },
    "chat_instance": "-8912345678901234567",
    "data": "dep:17:ok"
  }
})";

// InaccessibleMessage: the button's message is older than 48 h; only chat, message_id, date 0.
constexpr std::string_view inaccessible_callback_update = R"({
  "update_id": 123456792,
  "callback_query": {
    "id": "4382bfdwdsb323b2da",
    "from": {"id": 111111111, "is_bot": false, "first_name": "Alice", "language_code": "hi"},
    "message": {"chat": {"id": 111111111, "first_name": "Alice", "type": "private"}, "message_id": 12, "date": 0},
    "chat_instance": "-8912345678901234567",
    "data": "a:42:3"
  }
})";

constexpr std::string_view group_update = R"({
  "update_id": 123456793,
  "message": {
    "message_id": 7,
    "from": {"id": 111111111, "is_bot": false, "first_name": "Alice", "language_code": "zh-hans"},
    "chat": {"id": -1001234567890, "title": "PR desk", "type": "supergroup"},
    "date": 1700000030,
    "text": "pending"
  }
})";

// 2^52 - 1: Telegram's largest user and chat ids.
constexpr std::string_view big_ids_update = R"({
  "update_id": 987654321,
  "message": {
    "message_id": 2147483648,
    "from": {"id": 4503599627370495, "is_bot": false, "first_name": "Bob"},
    "chat": {"id": 4503599627370495, "first_name": "Bob", "type": "private"},
    "date": 1700000040,
    "text": "approve 42"
  }
})";

constexpr std::string_view edited_update = R"({
  "update_id": 123456794,
  "edited_message": {
    "message_id": 42,
    "from": {"id": 111111111, "is_bot": false, "first_name": "Alice"},
    "chat": {"id": 111111111, "first_name": "Alice", "type": "private"},
    "date": 1700000000,
    "edit_date": 1700000100,
    "text": "/start hello again"
  }
})";

constexpr std::string_view sticker_update = R"({
  "update_id": 123456795,
  "message": {
    "message_id": 45,
    "from": {"id": 111111111, "is_bot": false, "first_name": "Alice"},
    "chat": {"id": 111111111, "first_name": "Alice", "type": "private"},
    "date": 1700000050,
    "sticker": {"file_id": "CAACAgIAAxkBAAIB", "file_unique_id": "AgADBAADb", "type": "regular",
                "width": 512, "height": 512, "is_animated": false, "is_video": false, "emoji": "👍"}
  }
})";

constexpr std::string_view photo_update = R"({
  "update_id": 123456796,
  "message": {
    "message_id": 46,
    "from": {"id": 111111111, "is_bot": false, "first_name": "Alice"},
    "chat": {"id": 111111111, "first_name": "Alice", "type": "private"},
    "date": 1700000060,
    "photo": [{"file_id": "AgACAgIAAxkBAAIC", "file_unique_id": "AQADy", "width": 90, "height": 90}],
    "caption": "approve 42"
  }
})";

constexpr std::string_view my_chat_member_update = R"({
  "update_id": 123456797,
  "my_chat_member": {
    "chat": {"id": 111111111, "first_name": "Alice", "type": "private"},
    "from": {"id": 111111111, "is_bot": false, "first_name": "Alice"},
    "date": 1700000070,
    "old_chat_member": {"status": "member", "user": {"id": 7000000001, "is_bot": true, "first_name": "MyBot"}},
    "new_chat_member": {"status": "kicked", "until_date": 0, "user": {"id": 7000000001, "is_bot": true, "first_name": "MyBot"}}
  }
})";

constexpr std::string_view bot_sender_update = R"({
  "update_id": 123456798,
  "message": {
    "message_id": 47,
    "from": {"id": 7000000002, "is_bot": true, "first_name": "OtherBot"},
    "chat": {"id": -1001234567890, "title": "PR desk", "type": "supergroup"},
    "date": 1700000080,
    "text": "approve 42"
  }
})";

config::telegram_config const cfg{
    .bot_token = "123456:ABC-DEF", .secret_token = "s3cr3t_T0ken-x", .api_base = "https://api.telegram.org"};

template <class T>
T as(chat::inbound_event const& e) {
    REQUIRE(std::holds_alternative<T>(e));
    return std::get<T>(e);
}

std::string why(std::string_view body) { return as<chat::ignored_update>(telegram::parse_update(body)).why; }

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

std::size_t utf16_units(std::string_view s) {
    std::size_t units = 0;
    for (unsigned char c : s) {
        if ((c & 0xC0) != 0x80) ++units;  // one per code point…
        if (c >= 0xF0) ++units;           // …two above U+FFFF
    }
    return units;
}

http_request webhook(header_list headers) {
    return {.method = "POST", .target = "/webhook/telegram", .headers = std::move(headers), .body = "{}", .remote = ""};
}

}  // namespace

TEST_CASE("A Telegram text message becomes an inbound message", "[adapters][telegram]") {
    SECTION("a private text message") {
        auto const m = as<chat::inbound_message>(telegram::parse_update(text_update));
        CHECK(m.channel == "telegram");
        CHECK(m.dedupe_key == "update:123456789");
        CHECK(m.sender == "111111111");
        CHECK(m.chat == "111111111");
        CHECK(m.message_id == "42");
        CHECK(m.text == "/start hello");
        CHECK_FALSE(m.reply_to);
        CHECK(m.private_chat);
        CHECK(m.language == "en");
    }
    SECTION("a reply carries the quoted message id") {
        auto const m = as<chat::inbound_message>(telegram::parse_update(reply_update));
        CHECK(m.dedupe_key == "update:123456790");
        CHECK(m.message_id == "43");
        CHECK(m.text == "yes, that one");
        CHECK(m.reply_to == "40");
        CHECK_FALSE(m.language);
    }
    SECTION("a supergroup message keeps its negative -100… id and is not private") {
        auto const m = as<chat::inbound_message>(telegram::parse_update(group_update));
        CHECK(m.chat == "-1001234567890");
        CHECK(m.sender == "111111111");
        CHECK_FALSE(m.private_chat);
        CHECK(m.language == "zh-hans");
    }
    SECTION("52-bit user and chat ids and ids past 2^31 survive as decimal strings") {
        auto const m = as<chat::inbound_message>(telegram::parse_update(big_ids_update));
        CHECK(m.sender == "4503599627370495");
        CHECK(m.chat == "4503599627370495");
        CHECK(m.message_id == "2147483648");
        CHECK(m.dedupe_key == "update:987654321");
    }
    SECTION("non-ASCII text is passed through unchanged") {
        auto const m = as<chat::inbound_message>(telegram::parse_update(
            R"({"update_id":5,"message":{"message_id":1,"from":{"id":9,"is_bot":false,"first_name":"李"},)"
            R"("chat":{"id":9,"type":"private"},"date":1,"text":"批准 #42 \ud83d\udc4d"}})"));
        CHECK(m.text == "批准 #42 👍");
    }
}

TEST_CASE("A Telegram callback query becomes a button press", "[adapters][telegram]") {
    SECTION("a press on a button of an accessible message") {
        auto const p = as<chat::button_press>(telegram::parse_update(callback_update));
        CHECK(p.channel == "telegram");
        CHECK(p.dedupe_key == "update:123456791");
        CHECK(p.sender == "111111111");
        CHECK(p.chat == "111111111");
        CHECK(p.callback_id == "4382bfdwdsb323b2d9");
        CHECK(p.message_id == "44");
        CHECK(p.data == "dep:17:ok");
        CHECK_FALSE(p.language);
    }
    SECTION("a press on an InaccessibleMessage (date 0) still names chat and message") {
        auto const p = as<chat::button_press>(telegram::parse_update(inaccessible_callback_update));
        CHECK(p.chat == "111111111");
        CHECK(p.message_id == "12");
        CHECK(p.callback_id == "4382bfdwdsb323b2da");
        CHECK(p.data == "a:42:3");
        CHECK(p.language == "hi");
    }
    SECTION("a game button (no data) is ignored") {
        CHECK(why(R"({"update_id":8,"callback_query":{"id":"q1","from":{"id":1,"is_bot":false,"first_name":"A"},)"
                  R"("message":{"message_id":3,"chat":{"id":1,"type":"private"},"date":1},)"
                  R"("chat_instance":"-1","game_short_name":"tetris"}})") == "callback_game");
        CHECK(why(R"({"update_id":8,"callback_query":{"id":"q1","from":{"id":1,"is_bot":false,"first_name":"A"},)"
                  R"("message":{"message_id":3,"chat":{"id":1,"type":"private"},"date":1},"chat_instance":"-1"}})") ==
              "callback_without_data");
    }
    SECTION("an inline-mode press (inline_message_id, no message) is ignored") {
        CHECK(why(R"({"update_id":9,"callback_query":{"id":"q2","from":{"id":1,"is_bot":false,"first_name":"A"},)"
                  R"("inline_message_id":"AAAAAQ","chat_instance":"-1","data":"a:1:1"}})") == "inline_message");
    }
}

TEST_CASE("Authentic updates the bot does not act on are ignored with a reason", "[adapters][telegram]") {
    SECTION("an edited message") {
        auto const e = as<chat::ignored_update>(telegram::parse_update(edited_update));
        CHECK(e.channel == "telegram");
        CHECK(e.dedupe_key == "update:123456794");
        CHECK(e.why == "edited_message");
    }
    SECTION("a sticker and a photo (even with a caption)") {
        CHECK(why(sticker_update) == "sticker");
        CHECK(why(photo_update) == "photo");
    }
    SECTION("a message with neither text nor known content") {
        CHECK(why(R"({"update_id":10,"message":{"message_id":1,"from":{"id":1,"is_bot":false,"first_name":"A"},)"
                  R"("chat":{"id":1,"type":"private"},"date":1,"web_app_data":{"data":"x","button_text":"y"}}})") ==
              "no_text");
    }
    SECTION("membership changes and channel posts") {
        CHECK(why(my_chat_member_update) == "my_chat_member");
        CHECK(why(R"({"update_id":11,"chat_member":{"chat":{"id":-100,"type":"group"}}})") == "chat_member");
        CHECK(why(R"({"update_id":12,"channel_post":{"message_id":1,"chat":{"id":-100,"type":"channel"},)"
                  R"("date":1,"text":"news"}})") == "channel_post");
    }
    SECTION("an update kind this adapter has never heard of") {
        CHECK(why(R"({"update_id":13,"brand_new_thing":{"x":1}})") == "unknown_update");
        CHECK(why(R"({"update_id":14})") == "unknown_update");
    }
    SECTION("a message sent by a bot") {
        auto const e = as<chat::ignored_update>(telegram::parse_update(bot_sender_update));
        CHECK(e.why == "from_bot");
        CHECK(e.dedupe_key == "update:123456798");
    }
    SECTION("a message without a sender (anonymous group admin)") {
        CHECK(why(R"({"update_id":15,"message":{"message_id":1,"sender_chat":{"id":-100,"type":"supergroup"},)"
                  R"("chat":{"id":-100,"type":"supergroup"},"date":1,"text":"hi"}})") == "no_sender");
    }
}

TEST_CASE("Malformed Telegram updates are parse errors, never zeros", "[adapters][telegram]") {
    auto const rejects = [](std::string_view body) {
        CHECK_THROWS_AS(telegram::parse_update(body), telegram::parse_error);
    };
    SECTION("the envelope") {
        rejects(R"({"message":{"message_id":1,"from":{"id":1,"is_bot":false},"chat":{"id":1,"type":"private"},"date":1,"text":"x"}})");
        rejects(R"({"update_id":"123456789","message":{}})");
        rejects(R"({"update_id":1.5})");
        rejects(R"({"update_id":18446744073709551615})");
        rejects(R"({"update_id":null})");
        rejects(R"([{"update_id":1}])");
        rejects("");
    }
    SECTION("malformed JSON") {
        rejects(R"({"update_id": 1, "message": {)");
        rejects(R"({"update_id": 1,})");
        rejects("update_id=1");
    }
    SECTION("a number too large for a double (found by tests/fuzz/telegram_fuzz.cpp)") {
        rejects(R"({"update_id": 1, "message": {"message_id": 9e999990}})");
        rejects(R"({"update_id": -1e400})");
    }
    SECTION("invalid UTF-8 inside a JSON string") {
        rejects("{\"update_id\":16,\"message\":{\"message_id\":1,\"from\":{\"id\":1,\"is_bot\":false},"
                "\"chat\":{\"id\":1,\"type\":\"private\"},\"date\":1,\"text\":\"ok \xC3\x28\"}}");
        rejects(R"({"update_id":16,"message":{"message_id":1,"from":{"id":1,"is_bot":false},)"
                R"("chat":{"id":1,"type":"private"},"date":1,"text":"\ud800"}})");
    }
    SECTION("missing or mistyped fields of a message") {
        rejects(R"({"update_id":17,"message":"hello"})");
        rejects(R"({"update_id":17,"message":{"from":{"id":1,"is_bot":false},"chat":{"id":1,"type":"private"},"date":1,"text":"x"}})");
        rejects(R"({"update_id":17,"message":{"message_id":1,"from":{"id":1,"is_bot":false},"date":1,"text":"x"}})");
        rejects(R"({"update_id":17,"message":{"message_id":1,"from":{"id":1,"is_bot":false},"chat":{"id":"1","type":"private"},"date":1,"text":"x"}})");
        rejects(R"({"update_id":17,"message":{"message_id":1,"from":{"id":1,"is_bot":false},"chat":{"id":1},"date":1,"text":"x"}})");
        rejects(R"({"update_id":17,"message":{"message_id":1,"from":{"id":1,"is_bot":false},"chat":{"id":1,"type":"private"},"text":"x"}})");
        rejects(R"({"update_id":17,"message":{"message_id":1,"from":{"is_bot":false},"chat":{"id":1,"type":"private"},"date":1,"text":"x"}})");
        rejects(R"({"update_id":17,"message":{"message_id":1,"from":{"id":1},"chat":{"id":1,"type":"private"},"date":1,"text":"x"}})");
        rejects(R"({"update_id":17,"message":{"message_id":1,"from":{"id":1,"is_bot":"no"},"chat":{"id":1,"type":"private"},"date":1,"text":"x"}})");
        rejects(R"({"update_id":17,"message":{"message_id":1,"from":{"id":1,"is_bot":false},"chat":{"id":1,"type":"private"},"date":1,"text":42}})");
        rejects(R"({"update_id":17,"message":{"message_id":1,"from":{"id":1,"is_bot":false},"chat":{"id":1,"type":"private"},"date":1,"text":"x","reply_to_message":{"text":"y"}}})");
    }
    SECTION("missing or mistyped fields of a callback query") {
        rejects(R"({"update_id":18,"callback_query":{"from":{"id":1,"is_bot":false},"chat_instance":"1","data":"x"}})");
        rejects(R"({"update_id":18,"callback_query":{"id":"q","chat_instance":"1","data":"x"}})");
        rejects(R"({"update_id":18,"callback_query":{"id":7,"from":{"id":1,"is_bot":false},"chat_instance":"1","data":"x"}})");
        rejects(R"({"update_id":18,"callback_query":{"id":"q","from":{"id":1,"is_bot":false},"chat_instance":"1","data":5}})");
        rejects(R"({"update_id":18,"callback_query":{"id":"q","from":{"id":1,"is_bot":false},"message":{"message_id":3,"date":0},"data":"x"}})");
    }
    SECTION("the error names the place, never the body's bytes") {
        try {
            telegram::parse_update("{\"update_id\":1,\"x\":\"\xC3\x28\"}");
            FAIL("no exception");
        } catch (telegram::parse_error const& e) {
            std::string const what = e.what();
            CHECK(what.starts_with("telegram update: malformed JSON at byte "));
            CHECK(what.find('\xC3') == std::string::npos);
        }
    }
    SECTION("the error names the field") {
        try {
            telegram::parse_update(R"({"update_id":19,"message":{"message_id":1,"chat":{"id":"x","type":"private"},"date":1}})");
            FAIL("no exception");
        } catch (telegram::parse_error const& e) {
            CHECK(std::string(e.what()).find("message.chat.id") != std::string::npos);
        }
    }
}

TEST_CASE("The webhook secret token is checked in constant time", "[adapters][telegram]") {
    SECTION("the right token, in any header-name case") {
        CHECK(telegram::verify(webhook({{"X-Telegram-Bot-Api-Secret-Token", "s3cr3t_T0ken-x"}}), cfg));
        CHECK(telegram::verify(webhook({{"x-telegram-bot-api-secret-token", "s3cr3t_T0ken-x"}}), cfg));
    }
    SECTION("a wrong token of the same length") {
        CHECK_FALSE(telegram::verify(webhook({{"X-Telegram-Bot-Api-Secret-Token", "s3cr3t_T0ken-y"}}), cfg));
    }
    SECTION("a token of a different length, or a prefix of the right one") {
        CHECK_FALSE(telegram::verify(webhook({{"X-Telegram-Bot-Api-Secret-Token", "s3cr3t_T0ken-xx"}}), cfg));
        CHECK_FALSE(telegram::verify(webhook({{"X-Telegram-Bot-Api-Secret-Token", "s3cr3t"}}), cfg));
        CHECK_FALSE(telegram::verify(webhook({{"X-Telegram-Bot-Api-Secret-Token", ""}}), cfg));
    }
    SECTION("a missing header") {
        CHECK_FALSE(telegram::verify(webhook({}), cfg));
        CHECK_FALSE(telegram::verify(webhook({{"Content-Type", "application/json"}}), cfg));
    }
    SECTION("no secret configured accepts nothing, not even an empty header") {
        auto open = cfg;
        open.secret_token = "";
        CHECK_FALSE(telegram::verify(webhook({{"X-Telegram-Bot-Api-Secret-Token", ""}}), open));
        CHECK_FALSE(telegram::verify(webhook({}), open));
    }
}

TEST_CASE("Outbound messages render as Bot API calls", "[adapters][telegram]") {
    SECTION("a plain message") {
        auto const r = telegram::render_message({.to = "111111111", .text = "Got it"}, cfg);
        CHECK(r.method == "POST");
        CHECK(r.url == "https://api.telegram.org/bot123456:ABC-DEF/sendMessage");
        CHECK(r.headers == header_list{{"Content-Type", "application/json"}});
        CHECK(r.body == R"({"chat_id":111111111,"text":"Got it"})");
    }
    SECTION("a draft with two rows of buttons, quoting a message") {
        auto const r = telegram::render_message({.to = "111111111",
                                                 .text = "📝 Draft #42",
                                                 .buttons = {{{"Approve", "a:42:3"}, {"Reject", "r:42:3"}},
                                                             {{"Request changes", "c:42:3"}}},
                                                 .reply_to = "43"},
                                                cfg);
        CHECK(r.url == "https://api.telegram.org/bot123456:ABC-DEF/sendMessage");
        CHECK(r.body ==
              R"({"chat_id":111111111,"text":"📝 Draft #42",)"
              R"("reply_parameters":{"message_id":43,"allow_sending_without_reply":true},)"
              R"("reply_markup":{"inline_keyboard":[[{"text":"Approve","callback_data":"a:42:3"},)"
              R"({"text":"Reject","callback_data":"r:42:3"}],[{"text":"Request changes","callback_data":"c:42:3"}]]}})");
    }
    SECTION("group ids, channel usernames and another API base") {
        auto local = cfg;
        local.api_base = "http://127.0.0.1:4711/";
        auto const r = telegram::render_message({.to = "-1001234567890", .text = "hi"}, local);
        CHECK(r.url == "http://127.0.0.1:4711/bot123456:ABC-DEF/sendMessage");
        CHECK(r.body == R"({"chat_id":-1001234567890,"text":"hi"})");
        CHECK(telegram::render_message({.to = "@prdesk", .text = "hi"}, cfg).body ==
              R"({"chat_id":"@prdesk","text":"hi"})");
    }
    SECTION("an edit keeping new buttons") {
        auto const r = telegram::render_message(
            {.to = "111111111", .text = "✅ Approved", .buttons = {{{"Undo", "u:42:3"}}}, .edit_message_id = "44"}, cfg);
        CHECK(r.url == "https://api.telegram.org/bot123456:ABC-DEF/editMessageText");
        CHECK(r.body == R"({"chat_id":111111111,"message_id":44,"text":"✅ Approved",)"
                        R"("reply_markup":{"inline_keyboard":[[{"text":"Undo","callback_data":"u:42:3"}]]}})");
    }
    SECTION("an edit removing the buttons carries no reply_markup") {
        auto const removed = telegram::render_message({.to = "111111111",
                                                       .text = "✅ Approved",
                                                       .buttons = {{{"Undo", "u:42:3"}}},
                                                       .edit_message_id = "44",
                                                       .remove_buttons = true},
                                                      cfg);
        CHECK(removed.url == "https://api.telegram.org/bot123456:ABC-DEF/editMessageText");
        CHECK(removed.body == R"({"chat_id":111111111,"message_id":44,"text":"✅ Approved"})");
        auto const plain =
            telegram::render_message({.to = "111111111", .text = "✅ Approved", .edit_message_id = "44"}, cfg);
        CHECK(plain.body == removed.body);
    }
    SECTION("an edit without text changes only the keyboard") {
        auto const r = telegram::render_message(
            {.to = "111111111", .text = "", .edit_message_id = "44", .remove_buttons = true}, cfg);
        CHECK(r.url == "https://api.telegram.org/bot123456:ABC-DEF/editMessageReplyMarkup");
        CHECK(r.body == R"({"chat_id":111111111,"message_id":44})");
    }
    SECTION("callback data is 1-64 bytes, counted in UTF-8") {
        auto const with = [](std::string data) {
            return telegram::render_message({.to = "1", .text = "x", .buttons = {{{"B", std::move(data)}}}}, cfg);
        };
        CHECK_NOTHROW(with(std::string(64, 'd')));
        CHECK_NOTHROW(with(repeat("👍", 16)));  // 64 bytes
        CHECK_THROWS_AS(with(std::string(65, 'd')), std::invalid_argument);
        CHECK_THROWS_AS(with(repeat("👍", 16) + "d"), std::invalid_argument);
        CHECK_THROWS_AS(with(""), std::invalid_argument);
    }
    SECTION("inputs that cannot become a valid call") {
        CHECK_THROWS_AS(telegram::render_message({.to = "1", .text = ""}, cfg), std::invalid_argument);
        CHECK_THROWS_AS(telegram::render_message({.to = "1", .text = "ok \xC3\x28"}, cfg), std::invalid_argument);
        CHECK_THROWS_AS(telegram::render_message({.to = "1", .text = "x", .reply_to = "abc"}, cfg),
                        std::invalid_argument);
        CHECK_THROWS_AS(telegram::render_message({.to = "1", .text = "x", .edit_message_id = "4x"}, cfg),
                        std::invalid_argument);
    }
}

TEST_CASE("Long texts are cut to 4096 UTF-16 code units with an ellipsis", "[adapters][telegram]") {
    auto const text_of = [](http_call const& r) {
        return nlohmann::json::parse(r.body).at("text").get<std::string>();
    };
    SECTION("10 000 ASCII characters") {
        auto const t = text_of(telegram::render_message({.to = "1", .text = std::string(10000, 'x')}, cfg));
        CHECK(t == std::string(4095, 'x') + "…");
        CHECK(utf16_units(t) == 4096);
    }
    SECTION("emoji count two units each and are never split") {
        auto const t = text_of(telegram::render_message({.to = "1", .text = repeat("👍", 3000)}, cfg));
        CHECK(t == repeat("👍", 2047) + "…");
        CHECK(utf16_units(t) == 4095);
        auto const odd = text_of(telegram::render_message({.to = "1", .text = "a" + repeat("👍", 2048)}, cfg));
        CHECK(odd == "a" + repeat("👍", 2047) + "…");
        CHECK(utf16_units(odd) == 4096);
    }
    SECTION("flags (regional-indicator pairs) are kept whole") {
        auto const t = text_of(telegram::render_message({.to = "1", .text = repeat("🇮🇳", 1500)}, cfg));
        CHECK(t == repeat("🇮🇳", 1023) + "…");
    }
    SECTION("CJK text counts one unit per character") {
        auto const t = text_of(telegram::render_message({.to = "1", .text = repeat("批", 5000)}, cfg));
        CHECK(t == repeat("批", 4095) + "…");
    }
    SECTION("exactly 4096 units is left alone") {
        auto const full = repeat("👍", 2048);
        CHECK(text_of(telegram::render_message({.to = "1", .text = full}, cfg)) == full);
        CHECK(text_of(telegram::render_message({.to = "1", .text = std::string(4096, 'y')}, cfg)) ==
              std::string(4096, 'y'));
    }
    SECTION("edits are cut the same way") {
        auto const t =
            text_of(telegram::render_message({.to = "1", .text = std::string(5000, 'z'), .edit_message_id = "9"}, cfg));
        CHECK(t == std::string(4095, 'z') + "…");
    }
}

TEST_CASE("Button presses are acknowledged with answerCallbackQuery", "[adapters][telegram]") {
    SECTION("with a notice") {
        auto const r = telegram::render_press_answer({.callback_id = "4382bfdwdsb323b2d9", .text = "Approved"}, cfg);
        CHECK(r.method == "POST");
        CHECK(r.url == "https://api.telegram.org/bot123456:ABC-DEF/answerCallbackQuery");
        CHECK(r.headers == header_list{{"Content-Type", "application/json"}});
        CHECK(r.body == R"({"callback_query_id":"4382bfdwdsb323b2d9","text":"Approved"})");
    }
    SECTION("without a notice the text is left out") {
        CHECK(telegram::render_press_answer({.callback_id = "q1", .text = ""}, cfg).body ==
              R"({"callback_query_id":"q1"})");
    }
    SECTION("a long notice is cut to 200 units") {
        auto const r = telegram::render_press_answer({.callback_id = "q1", .text = std::string(250, 'n')}, cfg);
        CHECK(nlohmann::json::parse(r.body).at("text") == std::string(199, 'n') + "…");
    }
}

TEST_CASE("Bot API answers are read as sent, retry or give up", "[adapters][telegram]") {
    SECTION("a sent message returns its id") {
        auto const r = telegram::read_send_result(
            200, R"({"ok":true,"result":{"message_id":4711,"from":{"id":7000000001,"is_bot":true,"first_name":"MyBot"},)"
                 R"("chat":{"id":111111111,"first_name":"Alice","type":"private"},"date":1700000100,"text":"Got it"}})");
        CHECK(r.result == outcome::sent);
        CHECK(r.message_id == "4711");
        CHECK_FALSE(r.retry_after);
    }
    SECTION("an edit or answerCallbackQuery returning true") {
        auto const r = telegram::read_send_result(200, R"({"ok":true,"result":true})");
        CHECK(r.result == outcome::sent);
        CHECK_FALSE(r.message_id);
    }
    SECTION("flood control: 429 with retry_after") {
        auto const r = telegram::read_send_result(
            429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 8","parameters":{"retry_after":8}})");
        CHECK(r.result == outcome::retry);
        CHECK(r.retry_after == 8s);
        CHECK(r.error == "Too Many Requests: retry after 8");
    }
    SECTION("ok:false with parameters.retry_after under another status") {
        auto const r = telegram::read_send_result(
            400, R"({"ok":false,"error_code":400,"description":"Bad Request: slow down","parameters":{"retry_after":3}})");
        CHECK(r.result == outcome::retry);
        CHECK(r.retry_after == 3s);
    }
    SECTION("429 without parameters") {
        auto const r = telegram::read_send_result(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests"})");
        CHECK(r.result == outcome::retry);
        CHECK_FALSE(r.retry_after);
    }
    SECTION("server errors, with or without a JSON body") {
        auto const json = telegram::read_send_result(
            500, R"({"ok":false,"error_code":500,"description":"Internal Server Error"})");
        CHECK(json.result == outcome::retry);
        CHECK(json.error == "Internal Server Error");
        CHECK_FALSE(json.retry_after);
        auto const html = telegram::read_send_result(502, "<html><body>502 Bad Gateway</body></html>");
        CHECK(html.result == outcome::retry);
        CHECK(html.error == "HTTP 502 with an unreadable body");
    }
    SECTION("an edit with unchanged content is benign") {
        auto const r = telegram::read_send_result(
            400, R"({"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new )"
                 R"(message content and reply markup are exactly the same as a current content and reply markup of the message"})");
        CHECK(r.result == outcome::sent);
        CHECK_FALSE(r.message_id);
    }
    SECTION("permanent failures keep Telegram's description") {
        auto const check = [](int status, std::string_view body, std::string_view description) {
            auto const r = telegram::read_send_result(status, body);
            CHECK(r.result == outcome::give_up);
            CHECK(r.error == description);
            CHECK_FALSE(r.retry_after);
        };
        check(400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})",
              "Bad Request: chat not found");
        check(403, R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})",
              "Forbidden: bot was blocked by the user");
        check(400, R"({"ok":false,"error_code":400,"description":"Bad Request: BUTTON_DATA_INVALID"})",
              "Bad Request: BUTTON_DATA_INVALID");
        check(401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})", "Unauthorized");
        check(400, R"({"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat",)"
                   R"("parameters":{"migrate_to_chat_id":-1001234567890}})",
              "Bad Request: group chat was upgraded to a supergroup chat");
        check(404, "<html>Not Found</html>", "HTTP 404 with an unreadable body");
        check(400, R"({"ok":false})", "HTTP 400");
    }
    SECTION("a 2xx that is not a successful Bot API answer") {
        auto const garbage = telegram::read_send_result(200, "<html>captive portal</html>");
        CHECK(garbage.result == outcome::give_up);
        CHECK(garbage.error == "HTTP 200 with an unreadable body");
        CHECK(telegram::read_send_result(200, "").result == outcome::give_up);
        auto const not_ok =
            telegram::read_send_result(200, R"({"ok":false,"error_code":400,"description":"Bad Request: text is empty"})");
        CHECK(not_ok.result == outcome::give_up);
        CHECK(not_ok.error == "Bad Request: text is empty");
    }
}
