#include "adapters/sms.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

using namespace signoff;
using outcome = chat::send_result::outcome;

namespace {

config::sms_config twilio() {
    config::sms_config cfg;
    cfg.api_base = "https://api.twilio.com";
    cfg.account_sid = "AC0123456789abcdef0123456789abcdef";
    cfg.auth_token = "s3cr3t-t0ken";
    cfg.from = "+15550000000";
    return cfg;
}

std::string repeat(std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

// The answers of Twilio's Messages API (POST …/Messages.json).
constexpr std::string_view created =
    R"({"account_sid": "AC0123456789abcdef0123456789abcdef", "api_version": "2010-04-01",
  "body": "Urgent #42", "date_created": "Thu, 19 Nov 2026 10:00:00 +0000", "date_sent": null,
  "direction": "outbound-api", "error_code": null, "error_message": null, "from": "+15550000000",
  "num_segments": "1", "price": null, "sid": "SM1f0e8ae6ade43cb3c0ce4525424e404f", "status": "queued",
  "to": "+919800000001", "uri": "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/SM1f0e8ae6ade43cb3c0ce4525424e404f.json"})";
constexpr std::string_view invalid_to =
    R"({"code": 21211, "message": "The 'To' number +1555 is not a valid phone number.",
  "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400})";
constexpr std::string_view unauthenticated =
    R"({"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401})";
constexpr std::string_view too_many =
    R"({"code": 20429, "message": "Too Many Requests", "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429})";

}  // namespace

TEST_CASE("An SMS becomes one form-encoded POST to the Messages resource", "[adapters][sms]") {
    auto const cfg = twilio();
    auto const req = sms::render_sms("+919800000001",
                                     "Urgent #42 (due 14:00): approve? Reply \"a 42\" on Telegram + 你好 & more", cfg);

    CHECK(req.method == "POST");
    CHECK(req.url == "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json");
    CHECK(find_header(req.headers, "Authorization") ==
          "Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjpzM2NyM3QtdDBrZW4=");
    CHECK(find_header(req.headers, "Content-Type") == "application/x-www-form-urlencoded");
    CHECK(req.body ==
          "To=%2B919800000001&From=%2B15550000000&Body=Urgent%20%2342%20%28due%2014%3A00%29%3A%20approve%3F%20Reply%20"
          "%22a%2042%22%20on%20Telegram%20%2B%20%E4%BD%A0%E5%A5%BD%20%26%20more");

    SECTION("a trailing slash on api_base is not doubled") {
        auto c = cfg;
        c.api_base = "http://127.0.0.1:8088/";
        CHECK(sms::render_sms("+919800000001", "hi", c).url ==
              "http://127.0.0.1:8088/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json");
    }
    SECTION("text beyond three segments is cut") {
        auto const long_req = sms::render_sms("+919800000001", repeat("a", 1000), cfg);
        CHECK(long_req.body.ends_with("&Body=" + repeat("a", 456) + "..."));
    }
    SECTION("no recipient, no text or invalid UTF-8 is a programming error") {
        CHECK_THROWS_AS(sms::render_sms("", "hi", cfg), std::invalid_argument);
        CHECK_THROWS_AS(sms::render_sms("+919800000001", "", cfg), std::invalid_argument);
        CHECK_THROWS_AS(sms::render_sms("+919800000001", "bad \xC3\x28", cfg), std::invalid_argument);
    }
}

TEST_CASE("GSM-7 text counts septets, 160 in one segment and 153 per concatenated one", "[adapters][sms]") {
    CHECK(sms::segments_of("") == 0);
    CHECK(sms::segments_of("a") == 1);
    CHECK(sms::segments_of(repeat("a", 160)) == 1);
    CHECK(sms::segments_of(repeat("a", 161)) == 2);
    CHECK(sms::segments_of(repeat("a", 306)) == 2);
    CHECK(sms::segments_of(repeat("a", 307)) == 3);
    CHECK(sms::segments_of(repeat("a", 459)) == 3);
    CHECK(sms::segments_of(repeat("a", 460)) == 4);

    SECTION("the basic set's non-ASCII letters count one, and keep the text GSM") {
        CHECK(sms::segments_of(repeat("é", 160)) == 1);
        CHECK(sms::segments_of(repeat("Δ", 80) + repeat("£", 40) + repeat("ü", 40)) == 1);
        CHECK(sms::segments_of("@$_!\"#%&'()*+,-./:;<=>?¡¿§¤\n\r" + repeat("a", 130)) == 1);
    }
    SECTION("extension characters such as € { } [ ] ~ \\ | ^ count two") {
        CHECK(sms::segments_of(repeat("a", 158) + "€") == 1);
        CHECK(sms::segments_of(repeat("a", 159) + "€") == 2);
        CHECK(sms::segments_of(repeat("{", 80)) == 1);
        CHECK(sms::segments_of(repeat("}", 81)) == 2);
        CHECK(sms::segments_of(repeat("[]~\\|^", 13) + "ab") == 1);  // 156 + 2
        CHECK(sms::segments_of("\f" + repeat("a", 159)) == 2);
    }
    SECTION("an escape pair is never split between segments") {
        CHECK(sms::segments_of(repeat("a", 152) + "€" + repeat("a", 151)) == 2);  // 152 | 2 + 151
        CHECK(sms::segments_of(repeat("a", 152) + "€" + repeat("a", 152)) == 3);  // 306 septets, yet 3
    }
}

TEST_CASE("Any character outside GSM-7 makes the text UCS-2: 70 UTF-16 units, or 67 per segment", "[adapters][sms]") {
    CHECK(sms::segments_of(repeat("你", 70)) == 1);
    CHECK(sms::segments_of(repeat("你", 71)) == 2);
    CHECK(sms::segments_of(repeat("你", 134)) == 2);
    CHECK(sms::segments_of(repeat("你", 135)) == 3);
    SECTION("one such character switches the whole text") {
        CHECK(sms::segments_of(repeat("a", 69) + "你") == 1);
        CHECK(sms::segments_of(repeat("a", 70) + "你") == 2);
        CHECK(sms::segments_of(repeat("a", 100) + "`") == 2);       // the backtick is not GSM
        CHECK(sms::segments_of(repeat("a", 100) + "\u201C") == 2);  // nor a curly quote
        CHECK(sms::segments_of(repeat("a", 100) + "ç") == 2);       // only capital Ç is
        CHECK(sms::segments_of(repeat("a", 69) + "€你") == 2);      // € is one UTF-16 unit: 71
    }
    SECTION("characters beyond the BMP take two units, never split") {
        CHECK(sms::segments_of(repeat("😀", 35)) == 1);
        CHECK(sms::segments_of(repeat("😀", 36)) == 2);
        CHECK(sms::segments_of(repeat("你", 66) + "😀" + repeat("你", 65)) == 2);  // 66 | 2 + 65
        CHECK(sms::segments_of(repeat("你", 66) + "😀" + repeat("你", 66)) == 3);  // 134 units, yet 3
    }
    SECTION("invalid UTF-8 is refused") { CHECK_THROWS_AS(sms::segments_of("\xFF"), std::invalid_argument); }
}

TEST_CASE("Long text is fitted to a number of segments and marked as cut", "[adapters][sms]") {
    SECTION("text that fits is unchanged") {
        CHECK(sms::fit_segments("Urgent #42", 1) == "Urgent #42");
        CHECK(sms::fit_segments(repeat("a", 160), 1) == repeat("a", 160));
        CHECK(sms::fit_segments(repeat("你", 201), 3) == repeat("你", 201));
        CHECK(sms::fit_segments("", 1).empty());
    }
    SECTION("GSM-7 text ends with three dots, so it stays GSM-7") {
        CHECK(sms::fit_segments(repeat("a", 161), 1) == repeat("a", 157) + "...");
        CHECK(sms::fit_segments(repeat("a", 1000), 3) == repeat("a", 456) + "...");
        CHECK(sms::fit_segments(repeat("a", 1000)) == repeat("a", 456) + "...");
        CHECK(sms::segments_of(sms::fit_segments(repeat("€", 500), 3)) == 3);
        CHECK(sms::fit_segments(repeat("€", 100), 1) == repeat("€", 78) + "...");  // 156 + 3 septets
    }
    SECTION("UCS-2 text ends with one ellipsis character") {
        CHECK(sms::fit_segments(repeat("你", 71), 1) == repeat("你", 69) + "…");
        CHECK(sms::fit_segments(repeat("你", 300), 3) == repeat("你", 200) + "…");
        CHECK(sms::segments_of(sms::fit_segments(repeat("你", 300), 3)) == 3);
    }
    SECTION("never mid-character: a surrogate pair, a combining mark or a flag stays whole") {
        CHECK(sms::fit_segments(repeat("你", 68) + "😀" + repeat("你", 10), 1) == repeat("你", 68) + "…");
        CHECK(sms::fit_segments(repeat("a", 68) + "e\u0301" + repeat("b", 10), 1) == repeat("a", 68) + "…");
        CHECK(sms::fit_segments(repeat("a", 66) + "🇮🇳" + repeat("b", 10), 1) == repeat("a", 66) + "…");
    }
    SECTION("white space before the dots is dropped") {
        CHECK(sms::fit_segments(repeat("a", 156) + " " + repeat("b", 50), 1) == repeat("a", 156) + "...");
    }
    SECTION("a bad segment count is a programming error") {
        CHECK_THROWS_AS(sms::fit_segments("a", 0), std::invalid_argument);
    }
}

TEST_CASE("A tail with the item id and the command survives the cut", "[adapters][sms]") {
    std::string const tail = "\nAnswer: approve 42";  // 19 septets
    SECTION("text and tail that fit are joined unchanged") {
        CHECK(sms::fit_segments_with_tail("Urgent #42", tail, 1) == "Urgent #42" + tail);
    }
    SECTION("the head is cut, the tail kept") {
        auto const fitted = sms::fit_segments_with_tail(repeat("a", 300), tail, 1);
        CHECK(fitted == repeat("a", 138) + "..." + tail);
        CHECK(sms::segments_of(fitted) == 1);
        CHECK(sms::fit_segments_with_tail(repeat("a", 1000), tail) == repeat("a", 459 - 3 - 19) + "..." + tail);
        CHECK(sms::fit_segments_with_tail(repeat("a", 137) + "   " + repeat("b", 100), tail, 1) ==
              repeat("a", 137) + "..." + tail);
    }
    SECTION("one non-GSM character on either side makes the whole UCS-2") {
        CHECK(sms::fit_segments_with_tail(repeat("你", 100), tail, 1) == repeat("你", 70 - 1 - 19) + "…" + tail);
        CHECK(sms::fit_segments_with_tail(repeat("a", 100), "\n答复: approve 42", 1) ==
              repeat("a", 70 - 1 - 15) + "…" + "\n答复: approve 42");
    }
    SECTION("a tail that leaves no room is cut with the rest") {
        CHECK(sms::fit_segments_with_tail("abc", repeat("b", 200), 1) == "abc" + repeat("b", 154) + "...");
    }
}

TEST_CASE("Messages API answers become send results", "[adapters][sms]") {
    SECTION("201 queued: sent, with the message sid") {
        auto const r = sms::read_send_result(201, created);
        CHECK(r.result == outcome::sent);
        CHECK(r.message_id == "SM1f0e8ae6ade43cb3c0ce4525424e404f");
        CHECK(r.error.empty());
    }
    SECTION("a 2xx without a readable body still counts as sent, so it is never sent twice") {
        auto const r = sms::read_send_result(200, "OK");
        CHECK(r.result == outcome::sent);
        CHECK_FALSE(r.message_id);
    }
    SECTION("an invalid number is given up with Twilio's code and message") {
        auto const r = sms::read_send_result(400, invalid_to);
        CHECK(r.result == outcome::give_up);
        CHECK(r.error == "21211: The 'To' number +1555 is not a valid phone number.");
    }
    SECTION("bad credentials are given up, and name no credential") {
        auto const r = sms::read_send_result(401, unauthenticated);
        CHECK(r.result == outcome::give_up);
        CHECK(r.error == "20003: Authenticate");
    }
    SECTION("429 and 5xx are retried") {
        auto const r = sms::read_send_result(429, too_many);
        CHECK(r.result == outcome::retry);
        CHECK(r.error == "20429: Too Many Requests");
        CHECK(sms::read_send_result(500, "").result == outcome::retry);
        CHECK(sms::read_send_result(500, "").error == "HTTP 500 with an unreadable body");
        CHECK(sms::read_send_result(503, "<html>Service Unavailable</html>").result == outcome::retry);
    }
    SECTION("other failures without Twilio's fields") {
        auto const r = sms::read_send_result(404, R"({"message": "The requested resource was not found"})");
        CHECK(r.result == outcome::give_up);
        CHECK(r.error == "HTTP 404: The requested resource was not found");
        CHECK(sms::read_send_result(403, "[]").error == "HTTP 403 with an unreadable body");
        CHECK(sms::read_send_result(302, "").result == outcome::give_up);
    }
}
