// The messages that carry a card's creatives on WhatsApp and WeCom, rendered without I/O.

#include "adapters/wecom.hpp"
#include "adapters/whatsapp.hpp"
#include "fakes/multipart_form.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace signoff;
using nlohmann::json;

namespace {

channels::creative uploaded(std::string type, std::string name, std::string bytes) {
    return {.type = std::move(type), .name = std::move(name), .bytes = std::move(bytes), .url = {}};
}

using test::parts_of;

}  // namespace

TEST_CASE("WhatsApp media messages go by link, or by the id of an upload just before", "[adapters][whatsapp][creatives]") {
    config::whatsapp_config const cfg{.access_token = "T", .app_secret = "s", .verify_token = "v",
                                      .phone_number_id = "555", .api_base = "https://graph.example/v21.0/"};
    SECTION("a creative with a link is one message naming it") {
        channels::creative pdf{.type = "application/pdf", .name = "creative-1.pdf", .bytes = "%PDF", .url = "https://s/m?sig=1"};
        auto calls = whatsapp::render_media("919800000004", {pdf}, cfg);
        REQUIRE(calls.size() == 1);
        CHECK(calls[0].url == "https://graph.example/v21.0/555/messages");
        CHECK(json::parse(calls[0].body) == json::parse(R"({"messaging_product":"whatsapp","recipient_type":"individual",
            "to":"919800000004","type":"document","document":{"link":"https://s/m?sig=1","filename":"creative-1.pdf"}})"));
        CHECK_FALSE(calls[0].from_previous);
    }
    SECTION("without a link the bytes are uploaded and the message takes the answered id") {
        auto calls = whatsapp::render_media("919800000004", {uploaded("image/png", "creative-1.png", "\x89PNG\r\n")}, cfg);
        REQUIRE(calls.size() == 2);
        CHECK(calls[0].url == "https://graph.example/v21.0/555/media");
        CHECK(find_header(calls[0].headers, "Authorization") == "Bearer T");
        auto parts = parts_of(calls[0]);
        CHECK(test::find_part(parts, "messaging_product")->value == "whatsapp");
        CHECK(test::find_part(parts, "type")->value == "image/png");
        CHECK(test::find_part(parts, "file")->value == "\x89PNG\r\n");
        REQUIRE(calls[1].from_previous);
        std::string error;
        REQUIRE(channels::fill_from_previous(calls[1], R"({"id":"1166"})", error));
        CHECK(json::parse(calls[1].body)["image"] == json({{"id", "1166"}}));
    }
}

TEST_CASE("WeCom creatives are uploaded as temporary media, then sent by media_id", "[adapters][wecom][creatives]") {
    config::wecom_config const cfg{.corp_id = "ww1", .corp_secret = "s", .agent_id = 1000002, .token = "t",
                                   .encoding_aes_key = std::string(43, 'a'), .api_base = "https://qy.example"};
    auto calls = wecom::render_media("ddgstd", {uploaded("image/jpeg", "creative-1.jpg", "jpeg bytes")}, cfg, "TOK");
    REQUIRE(calls.size() == 2);
    CHECK(calls[0].url == "https://qy.example/cgi-bin/media/upload?access_token=TOK&type=image");
    CHECK(test::find_part(parts_of(calls[0]), "media")->value == "jpeg bytes");
    CHECK(test::find_part(parts_of(calls[0]), "media")->filename == "creative-1.jpg");
    REQUIRE(calls[1].from_previous);
    std::string error;
    REQUIRE(channels::fill_from_previous(calls[1], R"({"errcode":0,"type":"image","media_id":"M-1"})", error));
    CHECK(json::parse(calls[1].body) ==
          json::parse(R"({"touser":"ddgstd","agentid":1000002,"msgtype":"image","image":{"media_id":"M-1"}})"));
    SECTION("a creative with only a link goes as a news article") {
        channels::creative big{.type = "video/mp4", .name = "creative-1.mp4", .bytes = std::nullopt, .url = "https://s/v"};
        auto news = wecom::render_media("ddgstd", {big}, cfg, "TOK");
        REQUIRE(news.size() == 1);
        CHECK(json::parse(news[0].body)["news"]["articles"][0]["url"] == "https://s/v");
    }
}
