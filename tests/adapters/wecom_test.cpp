#include "adapters/wecom.hpp"

#include "adapters/wecom_crypto.hpp"
#include "bot/core/text.hpp"

#include "adapters/wecom_vectors.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

using namespace signoff;
using namespace signoff::test::wecom_vectors;
using outcome = chat::send_result::outcome;
using json = nlohmann::json;

namespace {

// platforms.md §3.5 Set A (Tencent official) and the D vectors made with its keys.
config::wecom_config const set_a{.corp_id = "wx5823bf96d3bd56c7",
                                 .corp_secret = "corp-s3cret&=",
                                 .agent_id = 1000002,
                                 .token = "QDG6eK",
                                 .encoding_aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
                                 .api_base = "https://qyapi.weixin.qq.com/"};

// A1 — URL verification, as WeCom sends it (percent-encoded echostr).
constexpr std::string_view a1_target =
    "/webhook/wecom?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780"
    "&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D";

// A2 — message callback (§3.3 POST, §3.5 A2).
constexpr std::string_view a2_target =
    "/webhook/wecom?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149";

std::string envelope(std::string_view encrypt) {
    return "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[" + std::string(encrypt) +
           "]]></Encrypt>\n<AgentID><![CDATA[218]]></AgentID>\n</xml>";
}

// B2 — the WeCom team's sample POST, byte for byte, under Set B's keys.
config::wecom_config const set_b{.corp_id = "ww1436e0e65a779aee",
                                 .corp_secret = "x",
                                 .agent_id = 1000002,
                                 .token = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo",
                                 .encoding_aes_key = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"};
constexpr std::string_view b2_target =
    "/webhook/wecom?msg_signature=0c3914025cb4b4d68103f6bfc8db550f79dcf48e&timestamp=1476422779&nonce=1597212914";
constexpr std::string_view b2_body =
    "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></"
    "ToUserName>\n<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3"
    "bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+"
    "NcT3mu87Ha3d"
    "z1pSDi6GaUA6A0sqfde0VJPQbZ9U+"
    "3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qA"
    "RR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/"
    "oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]>"
    "</Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>";

// D1 — template_card_event under Set A, timestamp 1700000000, nonce 123456.

// §3.6 event examples (official, via WxJava's test).
constexpr std::string_view enter_agent =
    "<xml><ToUserName><![CDATA[toUser]]></ToUserName>\n"
    "<FromUserName><![CDATA[FromUser]]></FromUserName>\n"
    "<CreateTime>1408091189</CreateTime>\n"
    "<MsgType><![CDATA[event]]></MsgType>\n"
    "<Event><![CDATA[enter_agent]]></Event>\n"
    "<EventKey><![CDATA[]]></EventKey>\n"
    "<AgentID>1</AgentID>\n"
    "</xml>";
constexpr std::string_view template_card_event = R"(<xml>
<ToUserName><![CDATA[toUser]]></ToUserName>
<FromUserName><![CDATA[FromUser]]></FromUserName>
<CreateTime>123456789</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[template_card_event]]></Event>
<EventKey><![CDATA[key111]]></EventKey>
<TaskId><![CDATA[taskid111]]></TaskId>
<CardType><![CDATA[text_notice]]></CardType>
<ResponseCode><![CDATA[ResponseCode]]></ResponseCode>
<AgentID>1</AgentID>
<SelectedItems>
    <SelectedItem>
        <QuestionKey><![CDATA[QuestionKey1]]></QuestionKey>
        <OptionIds>
            <OptionId><![CDATA[OptionId1]]></OptionId>
            <OptionId><![CDATA[OptionId2]]></OptionId>
        </OptionIds>
    </SelectedItem>
    <SelectedItem>
        <QuestionKey><![CDATA[QuestionKey2]]></QuestionKey>
        <OptionIds>
            <OptionId><![CDATA[OptionId3]]></OptionId>
            <OptionId><![CDATA[OptionId4]]></OptionId>
        </OptionIds>
    </SelectedItem>
</SelectedItems>
</xml>)";

// Hostile documents.
constexpr std::string_view billion_laughs = R"(<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<xml><ToUserName>a</ToUserName><Encrypt>&lol3;</Encrypt><Content>&lol3;</Content></xml>)";
constexpr std::string_view external_entity = R"(<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><Encrypt>&xxe;</Encrypt><Content>&xxe;</Content></xml>)";
constexpr std::string_view entity_without_doctype = "<xml><!ENTITY x \"y\"><Encrypt>a</Encrypt></xml>";

std::string nested(std::size_t depth) {
    std::string s = "<xml><Encrypt>QUFB</Encrypt>";
    for (std::size_t i = 1; i < depth; ++i) s += "<a>";
    for (std::size_t i = 1; i < depth; ++i) s += "</a>";
    return s + "</xml>";
}

http_request get(std::string_view target) { return {.method = "GET", .target = std::string(target)}; }

http_request post(std::string_view target, std::string body) {
    return {.method = "POST", .target = std::string(target), .body = std::move(body)};
}

constexpr std::string_view ts = "1700000000";
constexpr std::string_view nonce = "123456";

// A POST carrying `encrypt` with a valid signature under Set A's token.
http_request signed_post(std::string_view encrypt, std::string body) {
    return post("/webhook/wecom?msg_signature=" + wecom::signature(set_a.token, ts, nonce, encrypt) +
                    "&timestamp=" + std::string(ts) + "&nonce=" + std::string(nonce),
                std::move(body));
}
http_request signed_post(std::string_view encrypt) { return signed_post(encrypt, envelope(encrypt)); }

std::string sealed(std::string_view message, std::string_view receive_id = set_a.corp_id) {
    return wecom::encrypt(message, receive_id, set_a.encoding_aes_key, std::string(16, 'k'));
}

// Set A's AES key (platforms.md §3.5 aes_key_hex); its first 16 bytes are the IV.
constexpr unsigned char a_aes_key[32] = {0x8d, 0x69, 0x98, 0x9b, 0xba, 0xab, 0xe6, 0x73, 0x28, 0x01, 0x4c,
                                         0x19, 0x46, 0x31, 0xad, 0x07, 0x19, 0xb3, 0xdc, 0xa0, 0x35, 0xb6,
                                         0x40, 0x23, 0xdf, 0x29, 0x24, 0x47, 0xaa, 0xb6, 0x07, 0x60};

// Whole blocks encrypted under Set A's key with no padding added, as Base64: envelopes that
// encrypt() never produces.
std::string seal_raw(std::string_view plain) {
    REQUIRE(plain.size() % 16 == 0);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    REQUIRE(ctx);
    std::string cipher(plain.size() + 16, '\0');
    int n = 0;
    int tail = 0;
    bool const ok =
        EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, a_aes_key, a_aes_key) == 1 &&
        EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
        EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(cipher.data()), &n,
                          reinterpret_cast<unsigned char const*>(plain.data()), static_cast<int>(plain.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(cipher.data()) + n, &tail) == 1;
    EVP_CIPHER_CTX_free(ctx);
    REQUIRE(ok);
    cipher.resize(static_cast<std::size_t>(n + tail));
    std::string out(4 * ((cipher.size() + 2) / 3) + 1, '\0');
    out.resize(static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                                        reinterpret_cast<unsigned char const*>(cipher.data()),
                                                        static_cast<int>(cipher.size()))));
    return out;
}

// random16 | uint32 big-endian `declared` | body | `pad` bytes of `pad_value`.
std::string layout(std::uint32_t declared, std::string_view body, std::size_t pad, unsigned char pad_value) {
    std::string plain(16, 'r');
    for (int shift : {24, 16, 8, 0}) plain.push_back(static_cast<char>((declared >> shift) & 0xff));
    plain += body;
    plain.append(pad, static_cast<char>(pad_value));
    return plain;
}

std::string parse_failure(std::string_view xml) {
    try {
        wecom::parse_message(xml);
    } catch (wecom::parse_error const& e) {
        return e.what();
    }
    return "(accepted)";
}

std::string open_failure(http_request const& req, config::wecom_config const& cfg = set_a) {
    try {
        wecom::open_callback(req, cfg);
    } catch (wecom::parse_error const& e) {
        return std::string("parse_error: ") + e.what();
    } catch (wecom::unauthorised const& e) {
        return std::string("unauthorised: ") + e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("WeCom URL verification echoes the decrypted echostr", "[adapters][wecom]") {
    CHECK(wecom::verify_url(get(a1_target), set_a) == "1616140317555161061");

    SECTION("an echostr whose '+' arrived unescaped (decoded as a space)") {
        std::string raw(a1_target);
        for (auto const& [from, to] : {std::pair{"%2F", "/"}, std::pair{"%2B", "+"}, std::pair{"%3D", "="}})
            for (auto at = raw.find(from); at != std::string::npos; at = raw.find(from)) raw.replace(at, 3, to);
        REQUIRE(raw.find('+') != std::string::npos);
        CHECK(wecom::verify_url(get(raw), set_a) == "1616140317555161061");
    }
    SECTION("Set B, B1") {
        auto const b1 =
            "/webhook/wecom?msg_signature=012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb&timestamp=1476416373&"
            "nonce=47744683&echostr=fsi1xnbH4yQh0%2BPJxcOdhhK6TDXkjMyhEPA7xB2TGz6b%2Bg7xyAbEkRxN%2F3cNXW9qdq"
            "jnoVzEtpbhnFyq6SVHyA%3D%3D";
        CHECK(wecom::verify_url(get(b1), set_b) == "1288432023552776189");
        CHECK_FALSE(wecom::verify_url(get(b1), set_a));
    }
    SECTION("forged, incomplete or misdirected requests get nullopt") {
        std::string forged(a1_target);
        forged[forged.find("5c45ff") + 2] = 'f';
        CHECK_FALSE(wecom::verify_url(get(forged), set_a));
        std::string other_time(a1_target);
        other_time.replace(other_time.find("1409659589"), 10, "1409659590");
        CHECK_FALSE(wecom::verify_url(get(other_time), set_a));
        CHECK_FALSE(
            wecom::verify_url(get(std::string(a1_target).substr(0, std::string(a1_target).find("&echostr"))), set_a));
        CHECK_FALSE(wecom::verify_url(get("/webhook/wecom"), set_a));

        auto other_corp = set_a;
        other_corp.corp_id = "wwsomeoneelse";
        CHECK_FALSE(wecom::verify_url(get(a1_target), other_corp));
        auto no_token = set_a;
        no_token.token.clear();
        CHECK_FALSE(wecom::verify_url(get(a1_target), no_token));
        auto bad_key = set_a;
        bad_key.encoding_aes_key = set_b.encoding_aes_key;
        CHECK_FALSE(wecom::verify_url(get(a1_target), bad_key));
        bad_key.encoding_aes_key = "short";
        CHECK_FALSE(wecom::verify_url(get(a1_target), bad_key));
    }
    SECTION("a correctly signed echostr that does not decrypt") {
        for (std::string_view echo : {"AAAA", "not base64!", "", "QUFBQUFBQUFBQUFBQUFBQQ=="}) {
            auto const target = "/webhook/wecom?msg_signature=" + wecom::signature(set_a.token, ts, nonce, echo) +
                                "&timestamp=" + std::string(ts) + "&nonce=" + std::string(nonce) +
                                "&echostr=" + std::string(echo);
            CHECK_FALSE(wecom::verify_url(get(target), set_a));
        }
    }
}

TEST_CASE("WeCom callbacks open to the decrypted message", "[adapters][wecom]") {
    SECTION("A2, the official POST") {
        auto const inner = wecom::open_callback(post(a2_target, envelope(a2_encrypt)), set_a);
        CHECK(inner == a2_plaintext);
    }
    SECTION("B2, the WeCom team's sample body byte for byte") {
        CHECK(wecom::open_callback(post(b2_target, std::string(b2_body)), set_b) == b2_plaintext);
    }
    SECTION("D1, a card press, with the envelope's unsigned fields changed or absent") {
        auto const e = wecom::encrypt(d1_plaintext, set_a.corp_id, set_a.encoding_aes_key, std::string(16, 'a'));
        CHECK(wecom::open_callback(signed_post(e), set_a) == d1_plaintext);
        CHECK(wecom::open_callback(signed_post(e, "<xml><Encrypt>" + e + "</Encrypt></xml>"), set_a) == d1_plaintext);
        CHECK(wecom::open_callback(
                  signed_post(e, "<xml><ToUserName>ax5823bf96d3bd56c7</ToUserName><Encrypt>" + e + "</Encrypt></xml>"),
                  set_a) == d1_plaintext);
    }
}

TEST_CASE("WeCom callbacks that fail authentication are unauthorised", "[adapters][wecom]") {
    auto const body = envelope(a2_encrypt);
    SECTION("forged signature, other timestamp or nonce, missing parameters") {
        std::string forged(a2_target);
        forged[forged.find("477715") + 2] = '8';
        CHECK(open_failure(post(forged, body)) == "unauthorised: wecom callback: msg_signature does not match");
        std::string replayed(a2_target);
        replayed.replace(replayed.find("1372623149"), 10, "1372623150");
        CHECK(open_failure(post(replayed, body)).starts_with("unauthorised:"));
        CHECK(open_failure(post("/webhook/wecom", body)) ==
              "unauthorised: wecom callback: msg_signature, timestamp and nonce are required");
        CHECK(open_failure(
                  post("/webhook/wecom?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813",
                       body))
                  .starts_with("unauthorised:"));
    }
    SECTION("a signature over another Encrypt") {
        auto const other = sealed("<xml/>");
        CHECK(open_failure(post(a2_target, envelope(other))) ==
              "unauthorised: wecom callback: msg_signature does not match");
    }
    SECTION("wrong receive id, wrong key, no secrets configured") {
        CHECK(open_failure(signed_post(sealed("<xml/>", "wwsomeoneelse"))) ==
              "unauthorised: wecom callback: receive id is not the configured corp id");
        CHECK(open_failure(signed_post(sealed("<xml/>", ""))).starts_with("unauthorised:"));
        auto other_key = set_a;
        other_key.encoding_aes_key = set_b.encoding_aes_key;
        CHECK(open_failure(post(a2_target, body), other_key).starts_with("unauthorised:"));
        auto no_token = set_a;
        no_token.token.clear();
        CHECK(open_failure(post(a2_target, body), no_token) ==
              "unauthorised: wecom callback: no token or corp id configured");
        auto no_corp = set_a;
        no_corp.corp_id.clear();
        CHECK(open_failure(post(a2_target, body), no_corp).starts_with("unauthorised:"));
    }
    SECTION("signed ciphertexts that do not decrypt: truncated, not Base64, bad padding, length beyond buffer") {
        auto const cannot =
            "unauthorised: wecom callback: Encrypt does not decrypt under the configured EncodingAESKey";
        CHECK(open_failure(signed_post(std::string(a2_encrypt).substr(0, 64))) == cannot);  // 48 bytes: cut blocks
        CHECK(open_failure(signed_post(std::string(a2_encrypt).substr(0, 63))) == cannot);  // not a multiple of 4
        CHECK(open_failure(signed_post("this is not base64")) == cannot);
        CHECK(open_failure(signed_post("QUFB")) == cannot);  // 3 bytes
        // Layouts sealed under the right key by the test itself: bad padding, length beyond the buffer.
        CHECK(open_failure(signed_post(seal_raw(layout(5, "hello", 7, 0)))) == cannot);
        CHECK(open_failure(signed_post(seal_raw(layout(5, "hello", 39, 33)))) == cannot);
        CHECK(open_failure(signed_post(seal_raw(layout(0x7fffffff, "hello", 7, 7)))) == cannot);
        CHECK(open_failure(signed_post(seal_raw(layout(6, "hello", 7, 7)))) == cannot);
        CHECK(open_failure(signed_post(seal_raw(layout(5, "hello", 7, 7)))) ==  // the control: decrypts, no corp id
              "unauthorised: wecom callback: receive id is not the configured corp id");
    }
}

TEST_CASE("WeCom envelopes that are not strict, safe XML are parse errors", "[adapters][wecom]") {
    auto const fails = [](std::string body) { return open_failure(signed_post("QUFB", std::move(body))); };

    CHECK(fails(std::string(billion_laughs)) == "parse_error: wecom envelope: DOCTYPE refused");
    CHECK(fails(std::string(external_entity)) == "parse_error: wecom envelope: DOCTYPE refused");
    CHECK(fails(std::string(entity_without_doctype)) == "parse_error: wecom envelope: ENTITY declaration refused");
    CHECK(fails("<!doctype xml><xml><Encrypt>QUFB</Encrypt></xml>") ==
          "parse_error: wecom envelope: markup declaration or comment refused");
    CHECK(fails(nested(1000)) == "parse_error: wecom envelope: nested deeper than 16 elements");
    CHECK(fails(nested(17)) == "parse_error: wecom envelope: nested deeper than 16 elements");
    CHECK(fails(nested(16)) ==
          "unauthorised: wecom callback: Encrypt does not decrypt under the configured EncodingAESKey");
    std::string huge = "<xml><Encrypt>" + std::string(1024 * 1024, 'A') + "</Encrypt></xml>";
    CHECK(fails(huge) == "parse_error: wecom envelope: larger than 64 KiB");
    CHECK(fails("<xml><Encrypt>QUFB\xff</Encrypt></xml>") == "parse_error: wecom envelope: not valid UTF-8");
    CHECK(fails("<xml><Encrypt>QUFB\xe4\xbd</Encrypt></xml>") == "parse_error: wecom envelope: not valid UTF-8");
    CHECK(fails(std::string("<xml><Encrypt>QU\0FB</Encrypt></xml>", 32)) ==
          "parse_error: wecom envelope: contains a NUL byte");
    CHECK(fails("") == "parse_error: wecom envelope: not exactly one root element");
    CHECK(fails("QUFB") == "parse_error: wecom envelope: not exactly one root element");
    CHECK(fails("<xml><Encrypt>QUFB</Encrypt>").starts_with("parse_error: wecom envelope: malformed XML at byte"));
    CHECK(fails("<xml><Encrypt>QUFB</Encrypt></xml><xml/>") ==
          "parse_error: wecom envelope: not exactly one root element");
    CHECK(fails("<xml><Encrypt>QUFB</Encrypt></xml>junk") ==
          "parse_error: wecom envelope: not exactly one root element");
    CHECK(fails("<root><Encrypt>QUFB</Encrypt></root>") == "parse_error: wecom envelope: root element is not <xml>");
    CHECK(fails("<xml><ToUserName>x</ToUserName></xml>") == "parse_error: wecom envelope: Encrypt: missing");
    CHECK(fails("<xml><Encrypt></Encrypt></xml>") == "parse_error: wecom envelope: Encrypt: empty");
    CHECK(fails("<xml><Encrypt>QUFB</Encrypt><Encrypt>QUFB</Encrypt></xml>") ==
          "parse_error: wecom envelope: Encrypt: repeated");
    CHECK(fails("<xml><Encrypt><b>QUFB</b></Encrypt></xml>") == "parse_error: wecom envelope: Encrypt: holds elements");
    CHECK(fails("<xml><!-- hi --><Encrypt>QUFB</Encrypt></xml>") ==
          "parse_error: wecom envelope: markup declaration or comment refused");
    CHECK(fails("<xml><?pi x?><Encrypt>QUFB</Encrypt></xml>") ==
          "parse_error: wecom envelope: processing instruction refused");
    CHECK(fails("<xml><Encrypt>&xxe;</Encrypt></xml>") ==
          "parse_error: wecom envelope: entity reference refused at byte 14");
    CHECK(fails("<xml><Encrypt><![CDATA[QUFB</Encrypt></xml>") ==
          "parse_error: wecom envelope: unterminated CDATA section");

    SECTION("what is accepted: a declaration, a BOM, escapes, CDATA in pieces") {
        auto const e = sealed("<xml/>");
        CHECK(wecom::open_callback(
                  signed_post(e, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml><Encrypt>" + e + "</Encrypt></xml>"),
                  set_a) == "<xml/>");
        CHECK(wecom::open_callback(signed_post(e, "\xEF\xBB\xBF<xml><Encrypt>" + e + "</Encrypt></xml>"), set_a) ==
              "<xml/>");
        CHECK(wecom::open_callback(signed_post(e, "<xml><Encrypt>" + e.substr(0, 4) + "<![CDATA[" + e.substr(4, 4) +
                                                      "]]>" + e.substr(8) + "</Encrypt></xml>"),
                                   set_a) == "<xml/>");
    }
}

TEST_CASE("WeCom messages become chat events", "[adapters][wecom]") {
    SECTION("A2 text") {
        auto const event = wecom::parse_message(a2_plaintext);
        auto const* m = std::get_if<chat::inbound_message>(&event);
        REQUIRE(m);
        CHECK(m->channel == "wecom");
        CHECK(m->dedupe_key == "msg:4561255354251345929");
        CHECK(m->sender == "mycreate");
        CHECK(m->chat == "mycreate");
        CHECK(m->message_id == "4561255354251345929");
        CHECK(m->text == "hello");
        CHECK_FALSE(m->reply_to);
        CHECK(m->private_chat);
        CHECK_FALSE(m->language);
    }
    SECTION("B2 and D2: UTF-8 text, with and without CDATA") {
        auto const b2 = std::get<chat::inbound_message>(wecom::parse_message(b2_plaintext));
        CHECK(b2.text == "你好");
        CHECK(b2.sender == "ChenJiaShun");
        CHECK(b2.dedupe_key == "msg:1456453720");
        auto const d2 = std::get<chat::inbound_message>(wecom::parse_message(d2_plaintext));
        CHECK(d2.text == "你好, world");
        CHECK(d2.message_id == "7000000000000000001");
    }
    SECTION("a string MsgId and escaped content") {
        auto const m = std::get<chat::inbound_message>(wecom::parse_message(
            "<xml><FromUserName>lisi</FromUserName><CreateTime>1700000000</CreateTime><MsgType>text</MsgType>"
            "<Content>a &lt;b&gt; &amp; &#x4F60;&#22909; <![CDATA[<raw> & <!DOCTYPE x>]]></Content>"
            "<MsgId>CAIQg/PKxgYY2sC9tpuAgAMg9/zKaw==</MsgId></xml>"));
        CHECK(m.dedupe_key == "msg:CAIQg/PKxgYY2sC9tpuAgAMg9/zKaw==");
        CHECK(m.text == "a <b> & 你好 <raw> & <!DOCTYPE x>");
    }
    SECTION("D1: a button press on a card") {
        auto const p = std::get<chat::button_press>(wecom::parse_message(d1_plaintext));
        CHECK(p.channel == "wecom");
        CHECK(p.dedupe_key == "event:zhangsan:1700000000:task_001:button_key_1");
        CHECK(p.sender == "zhangsan");
        CHECK(p.chat == "zhangsan");
        CHECK(p.callback_id == "RESPONSE_CODE_1");
        CHECK(p.message_id == "task_001");
        CHECK(p.data == "button_key_1");
    }
    SECTION("the official template_card_event example, with its selection items") {
        auto const p = std::get<chat::button_press>(wecom::parse_message(template_card_event));
        CHECK(p.dedupe_key == "event:FromUser:123456789:taskid111:key111");
        CHECK(p.data == "key111");
        CHECK(p.callback_id == "ResponseCode");
        CHECK(p.message_id == "taskid111");
    }
    SECTION("button data with colons stays whole") {
        std::string xml(d1_plaintext);
        xml.replace(xml.find("button_key_1"), 12, "a:42:3");
        auto const p = std::get<chat::button_press>(wecom::parse_message(xml));
        CHECK(p.data == "a:42:3");
        CHECK(p.dedupe_key == "event:zhangsan:1700000000:task_001:a:42:3");
    }
    SECTION("other events and message types are ignored") {
        auto const enter = std::get<chat::ignored_update>(wecom::parse_message(enter_agent));
        CHECK(enter.channel == "wecom");
        CHECK(enter.why == "enter_agent");
        CHECK(enter.dedupe_key == "event:FromUser:1408091189:enter_agent");

        auto const image = std::get<chat::ignored_update>(wecom::parse_message(
            "<xml><FromUserName>lisi</FromUserName><CreateTime>1</CreateTime><MsgType>image</MsgType>"
            "<PicUrl>http://x</PicUrl><MediaId>m</MediaId><MsgId>77</MsgId></xml>"));
        CHECK(image.why == "image");
        CHECK(image.dedupe_key == "msg:77");

        std::string menu(template_card_event);
        menu.replace(menu.find("template_card_event"), 19, "template_card_menu_event");
        CHECK(std::get<chat::ignored_update>(wecom::parse_message(menu)).why == "template_card_menu_event");

        std::string keyless(d1_plaintext);
        keyless.replace(keyless.find("button_key_1"), 12, "");
        auto const no_key = std::get<chat::ignored_update>(wecom::parse_message(keyless));
        CHECK(no_key.why == "card_event_without_key");
        CHECK(no_key.dedupe_key == "event:zhangsan:1700000000:task_001:");

        auto const odd = std::get<chat::ignored_update>(
            wecom::parse_message("<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType>"
                                 "<Event>bad name\nwith lines</Event></xml>"));
        CHECK(odd.why == "unknown_event");
        CHECK(odd.dedupe_key == "event:u:1:unknown_event");
    }
}

TEST_CASE("WeCom messages that are malformed or unsafe are parse errors", "[adapters][wecom]") {
    auto const text_with = [](std::string const& fields) {
        return "<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>" + fields +
               "</xml>";
    };
    CHECK(parse_failure(billion_laughs) == "wecom message: DOCTYPE refused");
    CHECK(parse_failure(external_entity) == "wecom message: DOCTYPE refused");
    CHECK(parse_failure(nested(1000)) == "wecom message: nested deeper than 16 elements");
    CHECK(parse_failure(std::string(1024 * 1024, '<')) == "wecom message: larger than 64 KiB");
    CHECK(parse_failure(text_with("<Content>\xc0\xaf</Content><MsgId>1</MsgId>")) == "wecom message: not valid UTF-8");
    CHECK(parse_failure(text_with("<Content>\xed\xa0\x80</Content><MsgId>1</MsgId>")) ==
          "wecom message: not valid UTF-8");
    auto const nul_ref = text_with("<Content>a&#0;b</Content><MsgId>1</MsgId>");
    CHECK(parse_failure(nul_ref) ==
          "wecom message: entity reference refused at byte " + std::to_string(nul_ref.find('&')));
    CHECK(parse_failure(text_with("<Content>&#xD800;</Content><MsgId>1</MsgId>"))
              .starts_with("wecom message: entity reference refused"));
    CHECK(parse_failure(text_with("<Content>&#x110000;</Content><MsgId>1</MsgId>"))
              .starts_with("wecom message: entity reference refused"));
    CHECK(parse_failure(text_with("<Content>&#1234567890123;</Content><MsgId>1</MsgId>"))
              .starts_with("wecom message: entity reference refused"));
    CHECK(parse_failure(text_with("<Content>a & b</Content><MsgId>1</MsgId>"))
              .starts_with("wecom message: entity reference refused"));
    CHECK(parse_failure(text_with("<Content>&nbsp;</Content><MsgId>1</MsgId>"))
              .starts_with("wecom message: entity reference refused"));

    CHECK(parse_failure(text_with("<Content>x</Content>")) == "wecom message: MsgId: missing");
    CHECK(parse_failure(text_with("<MsgId>1</MsgId>")) == "wecom message: Content: missing");
    CHECK(parse_failure(text_with("<Content>x</Content><MsgId></MsgId>")) == "wecom message: MsgId: empty");
    CHECK(parse_failure(text_with("<Content>x</Content><MsgId>1</MsgId><MsgId>2</MsgId>")) ==
          "wecom message: MsgId: repeated");
    CHECK(parse_failure(text_with("<Content>x<b/></Content><MsgId>1</MsgId>")) ==
          "wecom message: Content: holds elements");
    CHECK(parse_failure("<xml><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>") ==
          "wecom message: FromUserName: missing");
    CHECK(
        parse_failure("<xml><FromUserName>u</FromUserName><CreateTime>12a</CreateTime><MsgType>text</MsgType></xml>") ==
        "wecom message: CreateTime: not a decimal number");
    CHECK(parse_failure("<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime></xml>") ==
          "wecom message: MsgType: missing");
    CHECK(
        parse_failure("<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType></xml>") ==
        "wecom message: Event: missing");
    std::string no_code(d1_plaintext);
    no_code.erase(no_code.find("<ResponseCode>"), no_code.find("<AgentID>") - no_code.find("<ResponseCode>"));
    CHECK(parse_failure(no_code) == "wecom message: ResponseCode: missing");
    CHECK(parse_failure("<Xml/>") == "wecom message: root element is not <xml>");
    CHECK(parse_failure("").starts_with("wecom message: not exactly one root element"));

    SECTION("the messages never quote the input") {
        auto const secret_looking = text_with("<Content>SECRET&foo;</Content><MsgId>1</MsgId>");
        CHECK(parse_failure(secret_looking).find("SECRET") == std::string::npos);
    }
}

TEST_CASE("WeCom server API requests render exactly", "[adapters][wecom]") {
    std::string const token = "ACCESS+TOKEN/with=odd&chars";
    std::string const encoded_token = "ACCESS%2BTOKEN%2Fwith%3Dodd%26chars";

    SECTION("gettoken") {
        auto const r = wecom::render_gettoken(set_a);
        CHECK(r.method == "GET");
        CHECK(r.url ==
              "https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=wx5823bf96d3bd56c7&corpsecret=corp-s3cret%26%3D");
        CHECK(r.body.empty());
        CHECK(r.headers.empty());
    }
    SECTION("text") {
        auto const r = wecom::render_message({.to = "zhangsan", .text = "Item 42 was approved.", .reply_to = "x"},
                                             set_a, token, "unused");
        CHECK(r.method == "POST");
        CHECK(r.url == "https://qyapi.weixin.qq.com/cgi-bin/message/send?access_token=" + encoded_token);
        CHECK(r.headers == header_list{{"Content-Type", "application/json"}});
        CHECK(r.body ==
              R"({"touser":"zhangsan","msgtype":"text","agentid":1000002,"text":{"content":"Item 42 was approved."}})");
    }
    SECTION("text over 2048 bytes is cut between characters") {
        std::string cjk;
        for (int i = 0; i < 1000; ++i) cjk += "你";  // 3000 bytes
        auto const content =
            json::parse(wecom::render_message({.to = "u", .text = cjk}, set_a, token, "s").body)["text"]["content"]
                .get<std::string>();
        CHECK(content.size() == 681 * 3 + 3);  // 681 whole characters and "…"
        CHECK(content.ends_with("你…"));
        CHECK(text::is_valid_utf8(content));

        std::string family;
        for (int i = 0; i < 200; ++i) family += "👨‍👩‍👧";  // 18 bytes per cluster
        auto const cut =
            json::parse(wecom::render_message({.to = "u", .text = family}, set_a, token, "s").body)["text"]["content"]
                .get<std::string>();
        CHECK(cut.size() == 113 * 18 + 3);
        CHECK(cut.ends_with("👨‍👩‍👧…"));

        std::string exact(2048, 'x');
        CHECK(
            json::parse(wecom::render_message({.to = "u", .text = exact}, set_a, token, "s").body)["text"]["content"] ==
            exact);
        CHECK(json::parse(
                  wecom::render_message({.to = "u", .text = exact + "y"}, set_a, token, "s").body)["text"]["content"] ==
              std::string(2045, 'x') + "…");
    }
    SECTION("a button_interaction card") {
        auto const r =
            wecom::render_message({.to = "zhangsan",
                                   .text = "Approve deploy 17?\nRequested by Alice\nRisk: low",
                                   .buttons = {{{"Approve", "a:17:1"}, {"Reject", "r:17:1"}}, {{"Details", "d:17"}}}},
                                  set_a, token, "outbox-991");
        CHECK(r.url == "https://qyapi.weixin.qq.com/cgi-bin/message/send?access_token=" + encoded_token);
        CHECK(
            r.body ==
            R"({"touser":"zhangsan","msgtype":"template_card","agentid":1000002,"template_card":{"card_type":)"
            R"("button_interaction","main_title":{"title":"Approve deploy 17?"},"sub_title_text":"Requested by Alice\nRisk: low",)"
            R"("task_id":"a_17_1-outbox-991","button_list":[{"text":"Approve","style":1,"key":"a:17:1"},)"
            R"({"text":"Reject","style":2,"key":"r:17:1"},{"text":"Details","style":2,"key":"d:17"}]}})");
    }
    SECTION("card titles and bodies are cut with an ellipsis") {
        std::string const long_line(40, 't');
        auto const card =
            json::parse(wecom::render_message({.to = "u", .text = long_line + "\nbody", .buttons = {{{"OK", "k"}}}},
                                              set_a, token, "1")
                            .body)["template_card"];
        CHECK(card["main_title"]["title"] == std::string(35, 't') + "…");
        CHECK(card["sub_title_text"] == long_line + "\nbody");  // the whole text when the title lost words

        std::string body;
        for (int i = 0; i < 200; ++i) body += "审";
        auto const cut =
            json::parse(wecom::render_message({.to = "u", .text = "\n\nTitle\r\n" + body, .buttons = {{{"OK", "k"}}}},
                                              set_a, token, "1")
                            .body)["template_card"];
        CHECK(cut["main_title"]["title"] == "Title");
        auto const sub = cut["sub_title_text"].get<std::string>();
        CHECK(sub == body.substr(0, 159 * 3) + "…");

        auto const only_title = json::parse(
            wecom::render_message({.to = "u", .text = "Just a title", .buttons = {{{"OK", "k"}}}}, set_a, token, "1")
                .body)["template_card"];
        CHECK_FALSE(only_title.contains("sub_title_text"));
    }
    SECTION("task ids") {
        chat::outbound_message const m{.to = "u", .text = "x", .buttons = {{{"Go", "ok:42/é"}}}};
        CHECK(wecom::task_id_for(m, "s1") == "ok_42___-s1");  // é is two bytes
        chat::outbound_message const long_data{.to = "u", .text = "x", .buttons = {{{"Go", std::string(300, 'd')}}}};
        auto const id = wecom::task_id_for(long_data, std::string(64, 's'));
        CHECK(id.size() == 128);
        CHECK(id == std::string(63, 'd') + "-" + std::string(64, 's'));
        CHECK_THROWS_AS(wecom::task_id_for(m, ""), std::invalid_argument);
        CHECK_THROWS_AS(wecom::task_id_for(m, std::string(65, 's')), std::invalid_argument);
        CHECK_THROWS_AS(wecom::task_id_for(m, "a:b"), std::invalid_argument);
        CHECK_THROWS_AS(wecom::task_id_for({.to = "u", .text = "x"}, "s"), std::invalid_argument);
        CHECK(wecom::task_id_for(m, "Ab_-@9") == "ok_42___-Ab_-@9");
    }
    SECTION("card update") {
        auto const r = wecom::render_card_update("zhangsan", "RESPONSE_CODE_1", "已批准 ✓", set_a, token);
        CHECK(r.method == "POST");
        CHECK(r.url ==
              "https://qyapi.weixin.qq.com/cgi-bin/message/update_template_card?access_token=" + encoded_token);
        CHECK(
            r.body ==
            R"({"userids":["zhangsan"],"agentid":1000002,"response_code":"RESPONSE_CODE_1","button":{"replace_name":"已批准 ✓"}})");
    }
    SECTION("what cannot be rendered, without the token in any message") {
        auto const refused = [&](auto&& render) {
            try {
                render();
            } catch (std::invalid_argument const& e) {
                CHECK(std::string(e.what()).find(token) == std::string::npos);
                CHECK(std::string(e.what()).find("ACCESS") == std::string::npos);
                return true;
            }
            return false;
        };
        auto const send = [&](chat::outbound_message const& m) {
            return refused([&] { wecom::render_message(m, set_a, token, "s"); });
        };
        std::vector<chat::button> seven;
        for (int i = 0; i < 7; ++i) seven.push_back({"B", "k" + std::to_string(i)});
        CHECK(send({.to = "u", .text = "x", .edit_message_id = "5"}));
        CHECK(send({.to = "", .text = "x"}));
        CHECK(send({.to = "u", .text = ""}));
        CHECK(send({.to = "u", .text = "\n\r\n"}));
        CHECK(send({.to = "u", .text = "bad \xff"}));
        CHECK(send({.to = "u", .text = "x", .buttons = {seven}}));
        CHECK(send({.to = "u", .text = "x", .buttons = {{{"A", std::string(1025, 'k')}}}}));
        CHECK(send({.to = "u", .text = "x", .buttons = {{{"A", ""}}}}));
        CHECK(send({.to = "u", .text = "x", .buttons = {{{"", "k"}}}}));
        CHECK(send({.to = "u", .text = "x", .buttons = {{{"A", "k"}}, {{"B", "k"}}}}));
        CHECK(refused([&] {
            wecom::render_message({.to = "u", .text = "x", .buttons = {{{"A", "k"}}}}, set_a, token, "a b");
        }));
        CHECK_FALSE(send({.to = "u", .text = "x", .buttons = {{seven.begin(), seven.begin() + 6}}}));
        CHECK_FALSE(send({.to = "u", .text = "x", .buttons = {{{"A", std::string(1024, 'k')}}}}));
        CHECK(refused([&] { wecom::render_card_update("", "c", "Done", set_a, token); }));
        CHECK(refused([&] { wecom::render_card_update("u", "", "Done", set_a, token); }));
        CHECK(refused([&] { wecom::render_card_update("u", "c", "", set_a, token); }));
        CHECK(refused([&] { wecom::render_card_update("u", "c", "\xff", set_a, token); }));
    }
}

TEST_CASE("WeCom token answers are read strictly", "[adapters][wecom]") {
    auto const ok =
        wecom::read_token(200, R"({"errcode":0,"errmsg":"ok","access_token":"accesstoken000001","expires_in":7200})");
    CHECK(ok.token == "accesstoken000001");
    CHECK(ok.expires_in == 7200);
    CHECK(ok.error.empty());
    CHECK_FALSE(ok.retry);

    auto const bad_secret = wecom::read_token(200, R"({"errcode":40001,"errmsg":"invalid credential"})");
    CHECK_FALSE(bad_secret.token);
    CHECK(bad_secret.error == "errcode 40001: invalid credential");
    CHECK_FALSE(bad_secret.retry);

    CHECK(wecom::read_token(200, R"({"errcode":-1,"errmsg":"system busy"})").retry);
    CHECK(wecom::read_token(200, R"({"errcode":45009,"errmsg":"api freq out of limit"})").retry);
    CHECK(wecom::read_token(502, "<html>Bad Gateway</html>").retry);
    CHECK(wecom::read_token(502, "<html>Bad Gateway</html>").error == "HTTP 502");
    CHECK(wecom::read_token(429, "").retry);
    CHECK_FALSE(wecom::read_token(403, "").retry);
    auto const unreadable = wecom::read_token(200, "not json");
    CHECK_FALSE(unreadable.token);
    CHECK(unreadable.error == "HTTP 200 with an unreadable body");
    for (auto body :
         {R"({"errcode":0,"errmsg":"ok","expires_in":7200})", R"({"errcode":0,"access_token":"","expires_in":7200})",
          R"({"errcode":0,"access_token":"t","expires_in":"7200"})",
          R"({"errcode":0,"access_token":"t","expires_in":0})", R"({"errcode":0,"access_token":"t"})",
          R"({"errcode":"0","access_token":"t","expires_in":7200})"}) {
        INFO(body);
        CHECK_FALSE(wecom::read_token(200, body).token);
    }
}

TEST_CASE("WeCom send answers map to outbox outcomes", "[adapters][wecom]") {
    auto const read = [](std::string_view body, int status = 200) { return wecom::read_send_result(status, body); };

    auto const sent = read(R"({"errcode":0,"errmsg":"ok","invaliduser":"","msgid":"MSGID1","response_code":"xyzxyz"})");
    CHECK(sent.result == outcome::sent);
    CHECK(sent.message_id == "MSGID1");
    CHECK(sent.error.empty());
    CHECK(read(R"({"errcode":0,"errmsg":"ok"})").result == outcome::sent);
    CHECK_FALSE(read(R"({"errcode":0,"errmsg":"ok"})").message_id);
    CHECK(read(R"({"errcode":0,"errmsg":"ok","msgid":12})").message_id == "12");

    for (int code : {-1, 45009, 45033}) {
        auto const r = read(R"({"errcode":)" + std::to_string(code) + R"(,"errmsg":"busy"})");
        CHECK(r.result == outcome::retry);
        CHECK(r.error == "errcode " + std::to_string(code) + ": busy");
        CHECK_FALSE(r.retry_after);
    }
    for (int code : {40014, 42001, 41001}) {
        auto const r =
            read(R"({"errcode":)" + std::to_string(code) + R"(,"errmsg":"invalid access_token, hint: [x]"})");
        CHECK(r.result == outcome::give_up);
        CHECK(r.error == "token:" + std::to_string(code));
        CHECK(r.credential_rejected);  // the outbox fetches a new token and sends once more
    }
    auto const nobody = read(R"({"errcode":81013,"errmsg":"user & party & tag all invalid"})");
    CHECK(nobody.result == outcome::give_up);
    CHECK_FALSE(nobody.credential_rejected);
    CHECK(nobody.error == "errcode 81013: user & party & tag all invalid");
    CHECK(read(R"({"errcode":40003})").error == "errcode 40003");
    CHECK(read(R"({"errcode":40058,"errmsg":")" + std::string(500, 'e') + R"("})").error.size() == 8 + 5 + 2 + 197 + 3);

    CHECK(read("<html/>", 500).result == outcome::retry);
    CHECK(read("", 503).result == outcome::retry);
    CHECK(read("", 429).result == outcome::retry);
    CHECK(read("", 404).result == outcome::give_up);
    CHECK(read("", 404).error == "HTTP 404");
    CHECK(read("not json").result == outcome::give_up);
    CHECK(read("not json").error == "HTTP 200 with an unreadable body");
    CHECK(read(R"({"errmsg":"ok"})").result == outcome::give_up);
    CHECK(read(R"([0])").result == outcome::give_up);
}
