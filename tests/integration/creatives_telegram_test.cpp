// A draft's creatives come with its card on Telegram (SPEC §6): uploaded as the stored bytes,
// the card as caption with its buttons, a media group for several, edits of a caption after a
// decision, a new revision's new creative, and the card still going when a creative cannot.

#include "integration/telegram_fixture.hpp"
#include "support/media_files.hpp"

#include "bot/core/crypto.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

using namespace signoff::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

long id_of(json const& item) { return item["id"].get<long>(); }

std::string upload(telegram_world& world, std::string const& bytes, std::string const& type) {
    auto r = world.server->agency.request("POST", "/api/v1/media", bytes, {{"Content-Type", type}});
    if (r.status != 201) throw std::runtime_error("upload failed: " + r.body);
    return r.json()["id"].get<std::string>();
}

std::string sha256_id(std::string const& bytes) { return "sha256:" + signoff::crypto::sha256_hex(bytes); }

bool to_chat(fake_telegram::call const& c, std::int64_t chat) {
    return c.status == 200 && c.body.value("chat_id", json()).dump().find(std::to_string(chat)) != std::string::npos;
}

// The successful calls of `method` to `chat`.
std::vector<fake_telegram::call> calls_to(telegram_world& world, std::string const& method, std::int64_t chat) {
    std::vector<fake_telegram::call> out;
    for (auto const& c : world.telegram.calls(method))
        if (to_chat(c, chat)) out.push_back(c);
    return out;
}

fake_telegram::call wait_call(telegram_world& world, std::string const& method, std::int64_t chat, std::size_t nth = 1,
                              std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    world.telegram.wait_for([&](auto const&) { return calls_to(world, method, chat).size() >= nth; }, timeout);
    auto all = calls_to(world, method, chat);
    if (all.size() < nth)
        throw std::runtime_error(method + " to " + std::to_string(chat) + ": " + std::to_string(all.size()) +
                                 " calls, expected " + std::to_string(nth) + "; server log:\n" +
                                 world.server->process->stderr_text());
    return all[nth - 1];
}

// The SHA-256 ids of a call's uploaded files, in order.
std::vector<std::string> uploaded_ids(fake_telegram::call const& c) {
    std::vector<std::string> out;
    for (auto const& f : c.files) out.push_back(sha256_id(f.value));
    return out;
}

std::string data_of_button(json const& body, int index) {
    return body["reply_markup"]["inline_keyboard"][0][index]["callback_data"];
}

std::string revise(telegram_world& world, long id, json const& body) {
    auto r = world.server->agency.post_json("/api/v1/items/" + std::to_string(id) + "/revisions", body);
    if (r.status != 200) throw std::runtime_error("revision failed: " + r.body);
    return r.body;
}

}  // namespace

TEST_CASE("A draft with one image reaches its head as the photo itself, the card as caption with its buttons",
          "[integration][telegram][creatives]") {
    telegram_world world;
    auto const jpeg = make_jpeg(64, 48);
    auto const id = upload(world, jpeg, "image/jpeg");
    auto draft = world.submit(draft_body("Poster for Standards Day", {{"media", {{{"id", id}}}}}));

    auto photo = wait_call(world, "sendPhoto", ddg_std);
    REQUIRE(photo.files.size() == 1);
    CHECK(photo.files[0].name == "photo");
    CHECK(photo.files[0].content_type == "image/jpeg");
    CHECK(sha256_id(photo.files[0].value) == id);  // exactly the stored bytes
    CHECK(photo.files[0].value == jpeg);
    CHECK_THAT(photo.body["caption"].get<std::string>(), Catch::Contains("Poster for Standards Day"));
    CHECK_THAT(photo.body["caption"].get<std::string>(), Catch::Contains("Draft #" + std::to_string(id_of(draft))));
    REQUIRE(photo.body["reply_markup"]["inline_keyboard"][0].size() == 3);
    auto const approve = data_of_button(photo.body, 0);
    CHECK(approve == "a:" + std::to_string(id_of(draft)) + ":1");
    CHECK(world.messages_to(ddg_std).empty());  // the caption is the card: no second message

    SECTION("approving by its button edits the caption and removes the buttons") {
        auto const message_id = world.card_message_id(id_of(draft), "ddg-std");
        CHECK(world.press(ddg_std, approve, message_id) == 200);
        auto edit = wait_call(world, "editMessageCaption", ddg_std);
        CHECK(edit.body["message_id"] == message_id);
        CHECK_FALSE(edit.body.contains("reply_markup"));
        CHECK_THAT(edit.body["caption"].get<std::string>(), Catch::Contains("Approved by"));
        CHECK(world.item(id_of(draft))["status"] == "approved");
        CHECK(calls_to(world, "editMessageText", ddg_std).empty());
    }
}

TEST_CASE("A draft with a JPEG and a PDF: the photo and the document as uploads, then the card with buttons",
          "[integration][telegram][creatives]") {
    telegram_world world;
    auto const jpeg = make_jpeg(80, 60), pdf = make_pdf();
    auto const jpeg_id = upload(world, jpeg, "image/jpeg"), pdf_id = upload(world, pdf, "application/pdf");
    auto draft = world.submit(draft_body("Brochure", {{"media", {{{"id", jpeg_id}}, {{"id", pdf_id}}}}}));

    auto card = world.wait_message(ddg_std, 1);
    auto photo = wait_call(world, "sendPhoto", ddg_std);
    auto document = wait_call(world, "sendDocument", ddg_std);
    CHECK(uploaded_ids(photo) == std::vector<std::string>{jpeg_id});
    CHECK(uploaded_ids(document) == std::vector<std::string>{pdf_id});
    CHECK(document.files[0].content_type == "application/pdf");
    CHECK(document.files[0].value.starts_with("%PDF-1.4"));
    // A media group cannot mix documents with photos; the creatives come before the card.
    CHECK(photo.at < document.at);
    CHECK(document.at < card.at);
    CHECK_FALSE(photo.body.contains("caption"));
    CHECK_THAT(card.body["text"].get<std::string>(), Catch::Contains("Brochure"));
    REQUIRE(card.body["reply_markup"]["inline_keyboard"][0].size() == 3);

    SECTION("the card is the kept message: approving edits its text") {
        auto const message_id = world.card_message_id(id_of(draft), "ddg-std");
        CHECK(world.press(ddg_std, data_of_button(card.body, 0), message_id) == 200);
        auto edit = wait_call(world, "editMessageText", ddg_std);
        CHECK(edit.body["message_id"] == message_id);
        CHECK_THAT(edit.body["text"].get<std::string>(), Catch::Contains("Approved by"));
        CHECK(calls_to(world, "editMessageCaption", ddg_std).empty());
    }
}

TEST_CASE("Two images go as one media group of the stored bytes, then the card", "[integration][telegram][creatives]") {
    telegram_world world;
    auto const a = make_jpeg(40, 30, true, 1), b = make_png(20, 10);
    auto const a_id = upload(world, a, "image/jpeg"), b_id = upload(world, b, "image/png");
    world.submit(draft_body("Two posters", {{"media", {{{"id", a_id}}, {{"id", b_id}}}}}));

    auto card = world.wait_message(ddg_std, 1);
    auto group = wait_call(world, "sendMediaGroup", ddg_std);
    CHECK(group.at < card.at);
    CHECK(uploaded_ids(group) == std::vector<std::string>{a_id, b_id});
    REQUIRE(group.body["media"].size() == 2);
    CHECK(group.body["media"][0] == json({{"type", "photo"}, {"media", "attach://file0"}}));
    CHECK(group.body["media"][1] == json({{"type", "photo"}, {"media", "attach://file1"}}));
    CHECK(calls_to(world, "sendPhoto", ddg_std).empty());
    CHECK(card.body["reply_markup"]["inline_keyboard"][0].size() == 3);
}

TEST_CASE("A new revision with a new image says so and sends it, and one that changes only the text sends neither",
          "[integration][telegram][creatives]") {
    telegram_world world;
    auto const first = make_jpeg(64, 48, true, 1), second = make_jpeg(64, 48, true, 2);
    auto const first_id = upload(world, first, "image/jpeg"), second_id = upload(world, second, "image/jpeg");
    auto draft = world.submit(draft_body("Poster", {{"media", {{{"id", first_id}}}}}));
    auto const id = id_of(draft);
    auto photo = wait_call(world, "sendPhoto", ddg_std);
    CHECK(uploaded_ids(photo) == std::vector<std::string>{first_id});
    CHECK_THAT(photo.body["caption"].get<std::string>(), !Catch::Contains("New creative"));

    CHECK(world.send_text(ddg_std, "changes " + std::to_string(id) + " a brighter poster") == 200);
    CHECK(world.item(id)["status"] == "changes_requested");
    revise(world, id, {{"media", {{{"id", second_id}}}}});
    auto revised = wait_call(world, "sendPhoto", ddg_std, 2, std::chrono::seconds(15));
    CHECK(uploaded_ids(revised) == std::vector<std::string>{second_id});
    CHECK_THAT(revised.body["caption"].get<std::string>(), Catch::Contains("New creative"));
    CHECK(data_of_button(revised.body, 0) == "a:" + std::to_string(id) + ":2");

    CHECK(world.send_text(ddg_std, "changes " + std::to_string(id) + " shorter text") == 200);
    CHECK(world.item(id)["status"] == "changes_requested");
    auto const messages_before = world.messages_to(ddg_std).size();
    revise(world, id, {{"body", "A shorter text"}});
    // The third card is a plain message: the creative the head saw is not sent again.
    auto const third_approve = "a:" + std::to_string(id) + ":3";
    auto third_card = [&]() -> std::optional<fake_telegram::call> {
        for (auto const& m : world.messages_to(ddg_std))
            if (m.body.contains("reply_markup") && data_of_button(m.body, 0) == third_approve) return m;
        return std::nullopt;
    };
    world.telegram.wait_for([&](auto const&) { return third_card().has_value(); }, std::chrono::seconds(15));
    auto third = third_card();
    REQUIRE(third);
    CHECK(world.messages_to(ddg_std).size() > messages_before);
    CHECK_THAT(third->body["text"].get<std::string>(), !Catch::Contains("New creative"));
    CHECK_THAT(third->body["text"].get<std::string>(), Catch::Contains("A shorter text"));
    CHECK(calls_to(world, "sendPhoto", ddg_std).size() == 2);
    CHECK(calls_to(world, "sendMediaGroup", ddg_std).empty());
}

TEST_CASE("A creative that cannot go does not hold up its card", "[integration][telegram][creatives][bad-input]") {
    telegram_world world;
    auto const jpeg = make_jpeg(64, 48);
    auto const id = upload(world, jpeg, "image/jpeg");

    SECTION("a 400 on sendPhoto falls back to the plain card, whose text is then edited") {
        world.telegram.refuse_next("sendPhoto");
        auto draft = world.submit(draft_body("Refused poster", {{"media", {{{"id", id}}}}}));
        auto card = world.wait_message(ddg_std, 1);
        CHECK(world.telegram.calls("sendPhoto").size() == 1);
        CHECK(world.telegram.calls("sendPhoto")[0].status == 400);
        CHECK_THAT(card.body["text"].get<std::string>(), Catch::Contains("Refused poster"));
        REQUIRE(card.body["reply_markup"]["inline_keyboard"][0].size() == 3);
        CHECK_THAT(world.server->process->stderr_text(), Catch::Contains("outbox.fallback"));

        auto const message_id = world.card_message_id(id_of(draft), "ddg-std");
        CHECK(world.press(ddg_std, data_of_button(card.body, 0), message_id) == 200);
        auto edit = wait_call(world, "editMessageText", ddg_std);
        CHECK(edit.body["message_id"] == message_id);
        CHECK(world.telegram.calls("editMessageCaption").empty());
    }
    SECTION("when the card after its creatives must be retried, the creatives are not sent again") {
        auto const pdf_id = upload(world, make_pdf(), "application/pdf");
        world.telegram.refuse_next("sendMessage", 1, 500, ddg_std);
        world.submit(draft_body("Retried card", {{"media", {{{"id", id}}, {{"id", pdf_id}}}}}));
        auto card = world.wait_message(ddg_std, 1, std::chrono::seconds(15));
        CHECK_THAT(card.body["text"].get<std::string>(), Catch::Contains("Retried card"));
        std::size_t refused = 0;
        for (auto const& c : world.telegram.calls("sendMessage")) refused += c.status == 500;
        CHECK(refused == 1);
        CHECK(calls_to(world, "sendPhoto", ddg_std).size() == 1);
        CHECK(calls_to(world, "sendDocument", ddg_std).size() == 1);
    }
    SECTION("a file missing on disk at send time: the card goes without it, and the log says why") {
        // The first try is told to retry after 2 s: time to lose the file.
        world.telegram.refuse_next("sendPhoto", 1, 429, ddg_std);
        world.submit(draft_body("Lost poster", {{"media", {{{"id", id}}}}}));
        REQUIRE(world.telegram.wait_for_calls("sendPhoto", 1));
        auto const hex = id.substr(7);
        fs::remove(fs::path(world.server->db_path + ".media") / hex.substr(0, 2) / hex);
        auto card = world.wait_message(ddg_std, 1, std::chrono::seconds(15));
        CHECK_THAT(card.body["text"].get<std::string>(), Catch::Contains("Lost poster"));
        CHECK(card.body["reply_markup"]["inline_keyboard"][0].size() == 3);
        CHECK(world.telegram.calls("sendPhoto").size() == 1);  // only the failed first try
        auto const log = world.server->process->stderr_text();
        CHECK_THAT(log, Catch::Contains("outbox.creative_left_out"));
        CHECK_THAT(log, Catch::Contains("missing on disk"));
    }
}

TEST_CASE("A JPEG, a PNG, an MP4 and a PDF all reach the head as their stored bytes before the card",
          "[integration][telegram][creatives]") {
    telegram_world world;
    std::vector<std::pair<std::string, std::string>> const files = {
        {make_jpeg(80, 60), "image/jpeg"}, {make_png(40, 30), "image/png"}, {make_mp4(), "video/mp4"},
        {make_pdf(), "application/pdf"}};
    json media = json::array();
    std::set<std::string> ids;
    for (auto const& [bytes, type] : files) {
        auto id = upload(world, bytes, type);
        media.push_back({{"id", id}});
        ids.insert(id);
    }
    world.submit(draft_body("Campaign kit", {{"media", media}}));
    auto card = world.wait_message(ddg_std, 1);
    REQUIRE(card.body["reply_markup"]["inline_keyboard"][0].size() == 3);

    // Every creative went, as an upload of exactly its stored bytes, before the card.
    std::set<std::string> arrived;
    for (auto const* method : {"sendMediaGroup", "sendPhoto", "sendVideo", "sendDocument"})
        for (auto const& c : calls_to(world, method, ddg_std)) {
            CHECK(c.at < card.at);
            for (auto const& id : uploaded_ids(c)) arrived.insert(id);
        }
    CHECK(arrived == ids);
    // The images and the video go together as one media group; the PDF as a document.
    auto groups = calls_to(world, "sendMediaGroup", ddg_std);
    REQUIRE(groups.size() == 1);
    CHECK(uploaded_ids(groups[0]).size() == 3);
    CHECK(uploaded_ids(wait_call(world, "sendDocument", ddg_std)) == std::vector<std::string>{sha256_id(files[3].first)});
}
