#include "bot/core/crypto.hpp"
#include "fakes/fake_whatsapp.hpp"
#include "support/media_files.hpp"
#include "integration/server_fixture.hpp"
#include "store/sqlite.hpp"

#include <catch2/catch.hpp>

#include <thread>
#include <tuple>

using namespace signoff::test;
using nlohmann::json;

namespace {

constexpr char const* app_secret = "test-app-secret";
constexpr char const* verify_token = "test-verify-token";
constexpr char const* ddg_std = "919800000004";  // demo numbers (config/demo.json)

// The server with only WhatsApp active (Telegram off), so everyone is reached on WhatsApp.
struct whatsapp_world {
    fake_whatsapp graph;
    std::optional<running_server> server;
    int next_id = 1;

    explicit whatsapp_world(std::string public_url = "") {
        server.emplace(
            [&](json& cfg) {
                for (auto& p : cfg["people"]) p.erase("telegram");
                if (!public_url.empty()) cfg["server"]["public_url"] = public_url;
            },
            environment{{"WHATSAPP_TOKEN", "TEST-WA-TOKEN"},
                        {"WHATSAPP_APP_SECRET", app_secret},
                        {"WHATSAPP_VERIFY_TOKEN", verify_token},
                        {"WHATSAPP_PHONE_NUMBER_ID", "1234567890"},
                        {"WHATSAPP_API_BASE", graph.api_base()}});
    }

    static json envelope(json messages, json statuses = json::array()) {
        json value = {{"messaging_product", "whatsapp"},
                      {"metadata", {{"display_phone_number", "15550000000"}, {"phone_number_id", "1234567890"}}}};
        if (!messages.empty()) value["messages"] = messages;
        if (!statuses.empty()) value["statuses"] = statuses;
        return {{"object", "whatsapp_business_account"},
                {"entry", {{{"id", "WABA"}, {"changes", {{{"field", "messages"}, {"value", value}}}}}}}};
    }

    json text(std::string from, std::string body, std::optional<std::string> context = std::nullopt) {
        json m = {{"from", from}, {"id", "wamid.IN" + std::to_string(next_id++)}, {"timestamp", "1790000000"},
                  {"type", "text"}, {"text", {{"body", body}}}};
        if (context) m["context"] = {{"from", "15550000000"}, {"id", *context}};
        return m;
    }

    json button(std::string from, std::string id, std::string context) {
        return {{"from", from}, {"id", "wamid.IN" + std::to_string(next_id++)}, {"timestamp", "1790000000"},
                {"type", "interactive"}, {"context", {{"from", "15550000000"}, {"id", context}}},
                {"interactive", {{"type", "button_reply"}, {"button_reply", {{"id", id}, {"title", "Approve"}}}}}};
    }

    int post(json const& body, std::optional<std::string> signature = std::nullopt) {
        auto raw = body.dump();
        auto sig = signature.value_or("sha256=" + signoff::crypto::hmac_sha256_hex(app_secret, raw));
        return server->agency
            .request("POST", "/webhook/whatsapp", raw, {{"Content-Type", "application/json"}, {"X-Hub-Signature-256", sig}})
            .status;
    }

    std::vector<fake_whatsapp::call> to(std::string const& number) {
        std::vector<fake_whatsapp::call> out;
        for (auto const& c : graph.calls())
            if (c.status == 200 && c.body.value("to", "") == number) out.push_back(c);
        return out;
    }

    fake_whatsapp::call wait_to(std::string const& number, std::size_t nth) {
        graph.wait_for([&](auto const&) { return to(number).size() >= nth; }, std::chrono::seconds(15));
        auto all = to(number);
        if (all.size() < nth)
            throw std::runtime_error(number + " got " + std::to_string(all.size()) + " messages; server log:\n" +
                                     server->process->stderr_text());
        return all[nth - 1];
    }

    json item(long id) { return server->agency.get("/api/v1/items/" + std::to_string(id)).json(); }
};

long id_of(json const& item) { return item["id"].get<long>(); }

}  // namespace

TEST_CASE("WhatsApp verification answers the challenge only for the right token", "[integration][whatsapp]") {
    whatsapp_world world;
    auto& c = world.server->agency;
    auto ok = c.get(std::string("/webhook/whatsapp?hub.mode=subscribe&hub.verify_token=") + verify_token +
                    "&hub.challenge=1158201444");
    CHECK(ok.status == 200);
    CHECK(ok.body == "1158201444");
    CHECK(c.get("/webhook/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1").status == 403);
    CHECK(c.get(std::string("/webhook/whatsapp?hub.mode=unsubscribe&hub.verify_token=") + verify_token +
                "&hub.challenge=1")
              .status == 403);
}

TEST_CASE("A WhatsApp-only approver decides by text, button and context reply", "[integration][whatsapp]") {
    whatsapp_world world;
    // The approver wrote to the bot earlier, so the 24-hour window is open.
    REQUIRE(world.post(whatsapp_world::envelope({world.text(ddg_std, "hello")})) == 200);
    world.wait_to(ddg_std, 1);  // the answer to "hello"

    auto first = world.server->agency.post_json("/api/v1/items", draft_body("By button")).json();
    auto card = world.wait_to(ddg_std, 2);
    REQUIRE(card.body["type"] == "interactive");
    auto const& buttons = card.body["interactive"]["action"]["buttons"];
    REQUIRE(buttons.size() == 3);
    CHECK(buttons[0]["reply"]["id"] == "a:" + std::to_string(id_of(first)) + ":1");
    CHECK(buttons[0]["reply"]["title"].get<std::string>().size() <= 20);

    REQUIRE(world.post(whatsapp_world::envelope({world.button(ddg_std, buttons[0]["reply"]["id"], card.message_id)})) ==
            200);
    CHECK(world.item(id_of(first))["status"] == "approved");
    CHECK(world.item(id_of(first))["events"].back()["channel"] == "whatsapp");

    auto second = world.server->agency.post_json("/api/v1/items", draft_body("By text")).json();
    REQUIRE(world.post(whatsapp_world::envelope({world.text(ddg_std, "approve " + std::to_string(id_of(second)))})) == 200);
    CHECK(world.item(id_of(second))["status"] == "approved");

    auto third = world.server->agency.post_json("/api/v1/items", draft_body("By context")).json();
    world.graph.wait_for([&](auto const&) {
        for (auto const& c : world.to(ddg_std))
            if (c.body.dump().find("By context") != std::string::npos) return true;
        return false;
    });
    std::string third_card;
    for (auto const& c : world.to(ddg_std))
        if (c.body.dump().find("By context") != std::string::npos) third_card = c.message_id;
    REQUIRE_FALSE(third_card.empty());
    // The server records the card's message id just after Graph answers; the reply names it.
    REQUIRE(world.server->wait_outbox_settled());
    REQUIRE(world.post(whatsapp_world::envelope({world.text(ddg_std, "ok", third_card)})) == 200);
    CHECK(world.item(id_of(third))["status"] == "approved");

    auto fourth = world.server->agency.post_json("/api/v1/items", draft_body("Rejected")).json();
    REQUIRE(world.post(whatsapp_world::envelope(
                {world.text(ddg_std, "reject " + std::to_string(id_of(fourth)) + " too long")})) == 200);
    auto rejected = world.item(id_of(fourth));
    CHECK(rejected["status"] == "rejected");
    CHECK(rejected["events"].back()["data"]["text"] == "too long");
}

TEST_CASE("Outside the 24-hour window the template goes, and the card follows the answer", "[integration][whatsapp]") {
    whatsapp_world world;
    auto draft = world.server->agency.post_json("/api/v1/items", draft_body("Window")).json();
    auto first = world.wait_to(ddg_std, 1);
    CHECK(first.body["type"] == "template");
    CHECK(first.body["template"]["name"] == "approval_request");
    CHECK_THAT(first.body.dump(), Catch::Contains("#" + std::to_string(id_of(draft))));
    CHECK_THAT(first.body.dump(), Catch::Contains("Window"));

    // The server records the template as sent just after Graph answers; a person answers later.
    for (int i = 0; i < 200; ++i) {
        signoff::sqlite::database db(world.server->db_path, {.read_only = true});
        auto s = db.prepare("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND purpose = 'item_card'");
        if (s.step() && s.column_int(0) > 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    REQUIRE(world.post(whatsapp_world::envelope({world.text(ddg_std, "hi")})) == 200);
    world.graph.wait_for([&](auto const&) {
        for (auto const& c : world.to(ddg_std))
            if (c.body.value("type", "") == "interactive") return true;
        return false;
    });
    bool card = false;
    for (auto const& c : world.to(ddg_std)) card = card || c.body.value("type", "") == "interactive";
    CHECK(card);

    SECTION("a 131047 from the API also falls back to the template") {
        world.graph.close_window_for(ddg_std);
        auto other = world.server->agency.post_json("/api/v1/items", draft_body("Closed again")).json();
        world.graph.wait_for([&](auto const&) {
            for (auto const& c : world.to(ddg_std))
                if (c.body.value("type", "") == "template" && c.body.dump().find("Closed again") != std::string::npos)
                    return true;
            return false;
        });
        bool templated = false;
        for (auto const& c : world.to(ddg_std))
            templated = templated || (c.body.value("type", "") == "template" &&
                                      c.body.dump().find("#" + std::to_string(id_of(other))) != std::string::npos);
        CHECK(templated);
    }
}

TEST_CASE("Statuses are recorded, replays have one effect, batches are handled, forgeries refused",
          "[integration][whatsapp][bad-input]") {
    whatsapp_world world;
    auto draft = world.server->agency.post_json("/api/v1/items", draft_body()).json();
    auto sent = world.wait_to(ddg_std, 1);
    std::string id = std::to_string(id_of(draft));
    REQUIRE(world.server->wait_outbox_settled());  // the status names the message id the server records

    json failed = {{"id", sent.message_id}, {"status", "failed"}, {"timestamp", "1790000001"},
                   {"recipient_id", ddg_std},
                   {"errors", {{{"code", 131026}, {"title", "Message undeliverable"}}}}};
    REQUIRE(world.post(whatsapp_world::envelope(json::array(), {failed})) == 200);
    {
        signoff::sqlite::database db(world.server->db_path, {.read_only = true});
        auto s = db.prepare("SELECT delivery_status, delivery_error FROM outbox WHERE platform_message_id = ?");
        s.bind(sent.message_id);
        REQUIRE(s.step());
        CHECK(s.column_text(0) == "failed");
        CHECK_THAT(s.column_text(1), Catch::Contains("131026"));
    }
    json unknown = {{"id", "wamid.NOPE"}, {"status", "read"}, {"timestamp", "1"}, {"recipient_id", ddg_std}};
    CHECK(world.post(whatsapp_world::envelope(json::array(), {unknown})) == 200);

    // Two messages in one POST: one approves, the other asks for the pending list.
    auto batch = whatsapp_world::envelope({world.text(ddg_std, "approve " + id), world.text(ddg_std, "pending")});
    REQUIRE(world.post(batch) == 200);
    CHECK(world.item(id_of(draft))["status"] == "approved");
    auto events_before = world.item(id_of(draft))["events"].size();
    REQUIRE(world.post(batch) == 200);  // the same delivery again: no second effect
    CHECK(world.item(id_of(draft))["events"].size() == events_before);

    auto forged = whatsapp_world::envelope({world.text(ddg_std, "approve " + id)});
    CHECK(world.post(forged, std::string("sha256=") + std::string(64, '0')) == 401);
    CHECK(world.post(forged, std::string("")) == 401);
    CHECK(world.server->agency
              .request("POST", "/webhook/whatsapp", "{not json",
                       {{"X-Hub-Signature-256", "sha256=" + signoff::crypto::hmac_sha256_hex(app_secret, "{not json")}})
              .status == 400);
    CHECK(world.post({{"object", "page"}, {"entry", json::array()}}) == 200);
    json image = {{"from", ddg_std}, {"id", "wamid.IMG"}, {"timestamp", "1"}, {"type", "image"},
                  {"image", {{"id", "1"}, {"mime_type", "image/jpeg"}}}};
    CHECK(world.post(whatsapp_world::envelope({image})) == 200);
    CHECK(world.post(whatsapp_world::envelope({world.text("15559999999", "approve " + id)})) == 200);
    CHECK(world.server->agency.get("/healthz").status == 200);
}

TEST_CASE("A notification for another phone number of the same app is not acted on", "[integration][whatsapp][bad-input]") {
    whatsapp_world world;
    auto draft = world.server->agency.post_json("/api/v1/items", draft_body("Other number")).json();
    world.wait_to(ddg_std, 1);
    auto const id = std::to_string(id_of(draft));

    auto other = whatsapp_world::envelope({world.text(ddg_std, "approve " + id)});
    other["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "9999999999";
    CHECK(world.post(other) == 200);  // authentic, so acknowledged; but not ours
    auto const events = world.item(id_of(draft))["events"].size();
    CHECK(world.item(id_of(draft))["status"] == "pending");

    // The same message for our number is.
    REQUIRE(world.post(whatsapp_world::envelope({world.text(ddg_std, "approve " + id)})) == 200);
    CHECK(world.item(id_of(draft))["status"] == "approved");
    CHECK(world.item(id_of(draft))["events"].size() > events);
}

TEST_CASE("On WhatsApp, which cannot edit, a new revision sends the approver at most two messages",
          "[integration][whatsapp][fair]") {
    whatsapp_world world;
    REQUIRE(world.post(whatsapp_world::envelope({world.text(ddg_std, "hello")})) == 200);  // opens the window
    world.wait_to(ddg_std, 1);
    auto draft = world.server->agency.post_json("/api/v1/items", draft_body("Revised on WhatsApp")).json();
    world.wait_to(ddg_std, 2);
    for (int revision = 2; revision <= 4; ++revision) {
        REQUIRE(world.server->wait_outbox_settled());
        auto const before = world.to(ddg_std).size();
        auto r = world.server->agency.post_json("/api/v1/items/" + std::to_string(id_of(draft)) + "/revisions",
                                                {{"body", "Text of revision " + std::to_string(revision)}});
        REQUIRE(r.status == 200);
        REQUIRE(world.server->wait_outbox_settled());
        INFO("revision " << revision);
        auto const sent = world.to(ddg_std).size() - before;
        CHECK(sent >= 1);  // the new card
        CHECK(sent <= 2);  // and at most the notice that the latest card is superseded
    }
}

namespace {

std::string upload(whatsapp_world& world, std::string const& bytes, std::string const& type) {
    auto r = world.server->agency.request("POST", "/api/v1/media", bytes, {{"Content-Type", type}});
    if (r.status != 201) throw std::runtime_error("upload failed: " + r.body);
    return r.json()["id"].get<std::string>();
}

}  // namespace

TEST_CASE("A draft's image goes before its WhatsApp card: uploaded to /media, then sent by the id it answered",
          "[integration][whatsapp][creatives]") {
    whatsapp_world world;
    REQUIRE(world.post(whatsapp_world::envelope({world.text(ddg_std, "hello")})) == 200);
    world.wait_to(ddg_std, 1);
    auto const jpeg = make_jpeg(64, 48);
    auto const id = upload(world, jpeg, "image/jpeg");
    world.server->agency.post_json("/api/v1/items", draft_body("Poster", {{"media", {{{"id", id}}}}}));

    auto image = world.wait_to(ddg_std, 2);
    auto card = world.wait_to(ddg_std, 3);
    REQUIRE(image.body["type"] == "image");
    CHECK(card.body["type"] == "interactive");
    CHECK(card.body["interactive"]["action"]["buttons"].size() == 3);
    CHECK(image.at < card.at);

    std::optional<fake_whatsapp::call> uploaded;
    for (auto const& c : world.graph.calls())
        if (c.path.ends_with("/media")) uploaded = c;
    REQUIRE(uploaded);
    CHECK(uploaded->status == 200);
    CHECK(uploaded->at < image.at);
    CHECK(uploaded->body["messaging_product"] == "whatsapp");
    CHECK(uploaded->body["type"] == "image/jpeg");
    REQUIRE(uploaded->files.size() == 1);
    CHECK(uploaded->files[0].name == "file");
    CHECK("sha256:" + signoff::crypto::sha256_hex(uploaded->files[0].value) == id);  // exactly the stored bytes
    // The media message names the id the upload answered, whose bytes are the creative's.
    auto const media_id = image.body["image"]["id"].get<std::string>();
    CHECK(world.graph.uploaded(media_id) == jpeg);
    CHECK_FALSE(image.body["image"].contains("link"));
}

TEST_CASE("With a public URL the WhatsApp media message carries a signed link that serves the stored bytes",
          "[integration][whatsapp][creatives]") {
    std::string const public_url = "https://signoff.example.org";
    whatsapp_world world(public_url);
    REQUIRE(world.post(whatsapp_world::envelope({world.text(ddg_std, "hello")})) == 200);
    world.wait_to(ddg_std, 1);
    auto const pdf = make_pdf();
    auto const id = upload(world, pdf, "application/pdf");
    world.server->agency.post_json("/api/v1/items", draft_body("Brochure", {{"media", {{{"id", id}}}}}));

    auto document = world.wait_to(ddg_std, 2);
    auto card = world.wait_to(ddg_std, 3);
    REQUIRE(document.body["type"] == "document");
    CHECK(card.body["type"] == "interactive");
    auto const link = document.body["document"]["link"].get<std::string>();
    REQUIRE(link.starts_with(public_url + "/media/"));
    CHECK(document.body["document"]["filename"] == "creative-1.pdf");
    for (auto const& c : world.graph.calls()) CHECK_FALSE(c.path.ends_with("/media"));  // no upload needed

    // What WhatsApp would fetch: the link, asked of the real server, serves the stored bytes.
    http_client fetcher(world.server->process->port());
    auto fetched = fetcher.get(link.substr(public_url.size()));
    REQUIRE(fetched.status == 200);
    CHECK(fetched.body == pdf);
}

TEST_CASE("A JPEG, a PNG, an MP4 and a PDF each go to WhatsApp as a media message of the stored bytes, then the card",
          "[integration][whatsapp][creatives]") {
    whatsapp_world world;
    REQUIRE(world.post(whatsapp_world::envelope({world.text(ddg_std, "hello")})) == 200);
    world.wait_to(ddg_std, 1);
    std::vector<std::tuple<std::string, std::string, std::string>> const files = {
        {make_jpeg(64, 48), "image/jpeg", "image"}, {make_png(30, 20), "image/png", "image"},
        {make_mp4(), "video/mp4", "video"}, {make_pdf(), "application/pdf", "document"}};
    json media = json::array();
    for (auto const& [bytes, type, kind] : files) media.push_back({{"id", upload(world, bytes, type)}});
    world.server->agency.post_json("/api/v1/items", draft_body("Campaign kit", {{"media", media}}));

    auto card = world.wait_to(ddg_std, 2 + files.size());
    CHECK(card.body["type"] == "interactive");
    CHECK(card.body["interactive"]["action"]["buttons"].size() == 3);
    for (std::size_t i = 0; i < files.size(); ++i) {
        auto const& [bytes, type, kind] = files[i];
        auto message = world.wait_to(ddg_std, 2 + i);
        INFO(type << ": " << message.body.dump());
        REQUIRE(message.body["type"] == kind);
        CHECK(message.at < card.at);
        CHECK(world.graph.uploaded(message.body[kind]["id"].get<std::string>()) == bytes);  // the stored bytes
    }
}
