#include "adapters/telegram.hpp"

#include "fakes/multipart_form.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using namespace signoff;
using nlohmann::json;

namespace {

config::telegram_config const cfg{.bot_token = "123:ABC", .secret_token = "s", .api_base = "https://api.telegram.org"};

chat::outbound_message card(std::string text = "📝 Draft #7\nPoster") {
    return {.to = "42", .text = std::move(text), .buttons = {{{"Approve", "a:7:1"}, {"Reject", "r:7:1"}}}};
}

channels::creative jpeg(std::string bytes = std::string("\xFF\xD8\xFF\xE0jpeg\0bytes\r\n--x", 18)) {
    return {.type = "image/jpeg", .name = "creative-1.jpg", .bytes = std::move(bytes), .url = {}};
}

using test::parts_of;

}  // namespace

TEST_CASE("One uploaded image goes as sendPhoto with the card as caption and the keyboard", "[adapters][telegram][creatives]") {
    auto r = telegram::render_card_with_media(card(), {jpeg()}, cfg);
    REQUIRE(r.requests.size() == 1);
    CHECK(r.sent_as == "caption");
    CHECK(r.requests[0].url == "https://api.telegram.org/bot123:ABC/sendPhoto");
    auto parts = parts_of(r.requests[0]);
    auto const* photo = test::find_part(parts, "photo");
    REQUIRE(photo);
    CHECK(photo->value == jpeg().bytes);  // binary bytes, NUL and CRLF included, as they are
    CHECK(photo->filename == "creative-1.jpg");
    CHECK(photo->content_type == "image/jpeg");
    CHECK(test::find_part(parts, "chat_id")->value == "42");
    CHECK(test::find_part(parts, "caption")->value == card().text);
    auto markup = json::parse(test::find_part(parts, "reply_markup")->value);
    CHECK(markup["inline_keyboard"][0][0]["callback_data"] == "a:7:1");
    // The fallback is the card alone.
    REQUIRE(r.fallback.size() == 1);
    CHECK(r.fallback[0].url.ends_with("/sendMessage"));
}

TEST_CASE("A card too long for a caption follows its creative as a message", "[adapters][telegram][creatives]") {
    auto r = telegram::render_card_with_media(card(std::string(1025, 'x')), {jpeg()}, cfg);
    REQUIRE(r.requests.size() == 2);
    CHECK(r.sent_as.empty());
    CHECK(r.requests[0].url.ends_with("/sendPhoto"));
    CHECK_FALSE(test::find_part(parts_of(r.requests[0]), "caption"));
    CHECK(r.requests[1].url.ends_with("/sendMessage"));
    CHECK(json::parse(r.requests[1].body).contains("reply_markup"));
    SECTION("1024 units still fit") {
        CHECK(telegram::render_card_with_media(card(std::string(1024, 'x')), {jpeg()}, cfg).requests.size() == 1);
    }
}

TEST_CASE("Creatives by URL, videos and documents, and groups", "[adapters][telegram][creatives]") {
    channels::creative video{.type = "video/mp4", .name = "creative-2.mp4", .bytes = std::nullopt,
                             .url = "https://cdn.example.org/v.mp4"};
    channels::creative pdf{.type = "application/pdf", .name = "creative-3.pdf", .bytes = "%PDF-1.4\n%%EOF", .url = {}};

    SECTION("an external video goes by its URL in a JSON body") {
        auto r = telegram::render_card_with_media(card(), {video}, cfg);
        REQUIRE(r.requests.size() == 1);
        CHECK(r.requests[0].url.ends_with("/sendVideo"));
        auto body = json::parse(r.requests[0].body);
        CHECK(body["video"] == "https://cdn.example.org/v.mp4");
        CHECK(body["caption"] == card().text);
        CHECK(body["chat_id"] == 42);
    }
    SECTION("photos and videos group together, a document alone, then the card") {
        auto r = telegram::render_card_with_media(card(), {jpeg(), video, pdf}, cfg);
        REQUIRE(r.requests.size() == 3);
        CHECK(r.sent_as.empty());
        CHECK(r.requests[0].url.ends_with("/sendMediaGroup"));
        auto parts = parts_of(r.requests[0]);
        auto media = json::parse(test::find_part(parts, "media")->value);
        CHECK(media == json::parse(R"([{"type":"photo","media":"attach://file0"},
                                        {"type":"video","media":"https://cdn.example.org/v.mp4"}])"));
        CHECK(test::find_part(parts, "file0")->value == jpeg().bytes);
        CHECK_FALSE(test::find_part(parts, "file1"));
        CHECK(r.requests[1].url.ends_with("/sendDocument"));
        CHECK(test::find_part(parts_of(r.requests[1]), "document")->value == "%PDF-1.4\n%%EOF");
        CHECK(r.requests[2].url.ends_with("/sendMessage"));
    }
    SECTION("eleven images: a group of ten and one alone") {
        std::vector<channels::creative> many(11, jpeg());
        auto r = telegram::render_card_with_media(card(), many, cfg);
        REQUIRE(r.requests.size() == 3);
        CHECK(json::parse(test::find_part(parts_of(r.requests[0]), "media")->value).size() == 10);
        CHECK(r.requests[1].url.ends_with("/sendPhoto"));
    }
}

TEST_CASE("A card sent as a caption is edited with editMessageCaption, without the keyboard", "[adapters][telegram][creatives]") {
    auto m = card("✅ Approved by Asha");
    m.edit_message_id = "77";
    m.remove_buttons = true;
    auto call = telegram::render_caption_edit(m, cfg);
    CHECK(call.url.ends_with("/editMessageCaption"));
    auto body = json::parse(call.body);
    CHECK(body["message_id"] == 77);
    CHECK(body["caption"] == "✅ Approved by Asha");
    CHECK_FALSE(body.contains("reply_markup"));
    CHECK_FALSE(body.contains("text"));
}
