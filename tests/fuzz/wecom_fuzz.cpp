// libFuzzer target for the WeCom callback path: the input bytes go in as a POST body, as the
// decrypted inner XML, as an echostr and as an encrypted message, under a fixed config (Set A
// of platforms.md §3.5). Only wecom::parse_error and wecom::unauthorised may escape the adapter;
// anything else (another exception, a crash, a sanitizer report) is a finding.
//
// Build with -DWECOM_FUZZ_SEED_WRITER instead of -fsanitize=fuzzer to get a program that writes
// the seed corpus (valid envelopes made by wecom::encrypt, plaintexts, hostile XML) to argv[1].

#include "adapters/wecom.hpp"
#include "adapters/wecom_crypto.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using namespace signoff;

config::wecom_config const& fixed_config() {
    static config::wecom_config const cfg{.corp_id = "wx5823bf96d3bd56c7",
                                          .corp_secret = "unused",
                                          .agent_id = 218,
                                          .token = "QDG6eK",
                                          .encoding_aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
                                          .api_base = "http://127.0.0.1:1"};
    return cfg;
}

constexpr std::string_view timestamp = "1700000000";
constexpr std::string_view nonce = "123456";

std::string percent_encode(std::string_view s) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        out += '%';
        out += digits[c >> 4];
        out += digits[c & 0xf];
    }
    return out;
}

std::string signed_query(std::string_view encrypted) {
    return "/webhook/wecom?msg_signature=" + wecom::signature(fixed_config().token, timestamp, nonce, encrypted) +
           "&timestamp=" + std::string(timestamp) + "&nonce=" + std::string(nonce);
}

// What the envelope most likely signs, found without an XML parser, so that mutated envelopes
// still pass the signature check and reach decryption.
std::string_view naive_encrypt(std::string_view body) {
    for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"<Encrypt><![CDATA[", "]]>"},
                               std::pair<std::string_view, std::string_view>{"<Encrypt>", "</Encrypt>"}}) {
        auto const start = body.find(open);
        if (start == std::string_view::npos) continue;
        auto const from = start + open.size();
        auto const end = body.find(close, from);
        if (end != std::string_view::npos) return body.substr(from, end - from);
    }
    return body;
}

std::string envelope(std::string_view encrypted) {
    return "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[" + std::string(encrypted) +
           "]]></Encrypt>\n<AgentID><![CDATA[218]]></AgentID>\n</xml>";
}

void parse(std::string_view inner) {
    try {
        wecom::parse_message(inner);
    } catch (wecom::parse_error const&) {
    }
}

void open_and_parse(http_request const& req) {
    try {
        parse(wecom::open_callback(req, fixed_config()));
    } catch (wecom::parse_error const&) {
    } catch (wecom::unauthorised const&) {
    }
}

}  // namespace

#ifndef WECOM_FUZZ_SEED_WRITER

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const input(reinterpret_cast<char const*>(data), size);
    auto const& cfg = fixed_config();

    open_and_parse({.method = "POST", .target = signed_query(naive_encrypt(input)), .body = std::string(input)});
    parse(input);
    wecom::verify_url({.method = "GET", .target = signed_query(input) + "&echostr=" + percent_encode(input)}, cfg);
    wecom::decrypt(input, cfg.encoding_aes_key);

    auto const sealed = wecom::encrypt(input, cfg.corp_id, cfg.encoding_aes_key, std::string(16, 'f'));
    open_and_parse({.method = "POST", .target = signed_query(sealed), .body = envelope(sealed)});
    return 0;
}

#else  // the seed writer

#include <fstream>
#include <iostream>

namespace {

constexpr std::string_view text_message =
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n"
    "<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n"
    "<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";
constexpr std::string_view escaped_text =
    "<xml><ToUserName>wx5823bf96d3bd56c7</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779"
    "</CreateTime><MsgType>text</MsgType><Content>你好 &lt;&amp;&#x4F60;</Content><MsgId>1456453720</MsgId>"
    "<AgentID>1000002</AgentID></xml>";
constexpr std::string_view card_event =
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]>"
    "</Event><EventKey><![CDATA[a:42:3]]></EventKey><TaskId><![CDATA[a_42_3-17]]></TaskId><CardType><![CDATA["
    "button_interaction]]></CardType><ResponseCode><![CDATA[RESPONSE_CODE_1]]></ResponseCode><AgentID>1000002"
    "</AgentID><SelectedItems><SelectedItem><QuestionKey>q</QuestionKey><OptionIds><OptionId>o</OptionId></OptionIds>"
    "</SelectedItem></SelectedItems></xml>";
constexpr std::string_view enter_agent =
    "<xml><ToUserName><![CDATA[toUser]]></ToUserName>\n<FromUserName><![CDATA[FromUser]]></FromUserName>\n"
    "<CreateTime>1408091189</CreateTime>\n<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[enter_agent]]></"
    "Event>\n"
    "<EventKey><![CDATA[]]></EventKey>\n<AgentID>1</AgentID>\n</xml>";
constexpr std::string_view billion_laughs =
    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;\">]>"
    "<xml><Encrypt>&lol1;</Encrypt></xml>";
constexpr std::string_view a1_echostr =
    "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

void write(std::string const& dir, std::string const& name, std::string_view bytes) {
    std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " <corpus directory>\n";
        return 2;
    }
    std::string const dir = argv[1];
    auto const& cfg = fixed_config();
    auto const seal = [&](std::string_view m) {
        return wecom::encrypt(m, cfg.corp_id, cfg.encoding_aes_key, std::string(16, 's'));
    };
    write(dir, "envelope_text.xml", envelope(seal(text_message)));
    write(dir, "envelope_escaped_text.xml", envelope(seal(escaped_text)));
    write(dir, "envelope_card_event.xml", envelope(seal(card_event)));
    write(dir, "envelope_enter_agent.xml", envelope(seal(enter_agent)));
    write(dir, "envelope_plain_encrypt.xml", "<xml><Encrypt>" + seal(text_message) + "</Encrypt></xml>");
    write(dir, "inner_text.xml", text_message);
    write(dir, "inner_escaped_text.xml", escaped_text);
    write(dir, "inner_card_event.xml", card_event);
    write(dir, "inner_enter_agent.xml", enter_agent);
    write(dir, "billion_laughs.xml", billion_laughs);
    write(dir, "echostr.txt", a1_echostr);
    return 0;
}

#endif
