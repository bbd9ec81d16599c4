#include "adapters/wecom_crypto.hpp"
#include "fakes/fake_wecom.hpp"
#include "integration/server_fixture.hpp"
#include "support/media_files.hpp"

#include "bot/core/crypto.hpp"

#include <catch2/catch.hpp>

#include <thread>
#include <tuple>

using namespace signoff::test;
using nlohmann::json;

namespace {

constexpr char const* callback_token = "QDG6eK";
constexpr char const* aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";  // 43 characters
constexpr char const* ddg_std = "ddgstd";                                     // WeCom userids given below

std::string cdata(std::string const& name, std::string const& value) {
    return "<" + name + "><![CDATA[" + value + "]]></" + name + ">";
}

// The server with only WeCom active, ddg-std and dh-std on WeCom in Chinese.
struct wecom_world {
    fake_wecom api;
    std::optional<running_server> server;
    int next_msg = 1;

    wecom_world() {
        server.emplace(
            [](json& cfg) {
                for (auto& p : cfg["people"]) {
                    p.erase("telegram");
                    p.erase("whatsapp");
                    if (p["id"] == "ddg-std") p["wecom"] = "ddgstd", p["language"] = "zh";
                    if (p["id"] == "dh-std") p["wecom"] = "dhstd";
                }
            },
            environment{{"WECOM_CORP_ID", api.settings().corp_id},
                        {"WECOM_SECRET", api.settings().corp_secret},
                        {"WECOM_AGENT_ID", std::to_string(api.settings().agent_id)},
                        {"WECOM_TOKEN", callback_token},
                        {"WECOM_AES_KEY", aes_key},
                        {"WECOM_API_BASE", api.api_base()}});
    }

    // An encrypted, signed callback carrying `inner` (optionally encrypted for another corp id).
    int post(std::string const& inner, std::optional<std::string> receive_id = std::nullopt, bool forge = false) {
        auto encrypted = signoff::wecom::encrypt(inner, receive_id.value_or(api.settings().corp_id), aes_key,
                                                 "0123456789abcdef");
        std::string timestamp = "1790000000", nonce = "n" + std::to_string(next_msg);
        auto signature = signoff::wecom::signature(callback_token, timestamp, nonce, encrypted);
        if (forge) signature[0] = signature[0] == 'a' ? 'b' : 'a';
        auto body = "<xml>" + cdata("ToUserName", api.settings().corp_id) + cdata("Encrypt", encrypted) +
                    cdata("AgentID", "1000002") + "</xml>";
        return server->agency
            .request("POST", "/webhook/wecom?msg_signature=" + signature + "&timestamp=" + timestamp + "&nonce=" + nonce,
                     body, {{"Content-Type", "text/xml"}})
            .status;
    }

    std::string text(std::string const& from, std::string const& content) {
        return "<xml>" + cdata("ToUserName", api.settings().corp_id) + cdata("FromUserName", from) +
               "<CreateTime>1790000000</CreateTime>" + cdata("MsgType", "text") + cdata("Content", content) +
               "<MsgId>" + std::to_string(7000000 + next_msg++) + "</MsgId><AgentID>1000002</AgentID></xml>";
    }

    std::string click(std::string const& from, std::string const& key, std::string const& task, std::string const& code) {
        return "<xml>" + cdata("ToUserName", api.settings().corp_id) + cdata("FromUserName", from) + "<CreateTime>" +
               std::to_string(1790000000 + next_msg++) + "</CreateTime>" + cdata("MsgType", "event") +
               cdata("Event", "template_card_event") + cdata("EventKey", key) + cdata("TaskId", task) +
               cdata("CardType", "button_interaction") + cdata("ResponseCode", code) +
               "<AgentID>1000002</AgentID></xml>";
    }

    std::vector<fake_wecom::call> sent_to(std::string const& user) {
        std::vector<fake_wecom::call> out;
        for (auto const& c : api.calls("message/send"))
            if (c.errcode == 0 && c.body.value("touser", "") == user) out.push_back(c);
        return out;
    }

    fake_wecom::call wait_sent(std::string const& user, std::size_t nth) {
        api.wait_for([&](auto const&) { return sent_to(user).size() >= nth; }, std::chrono::seconds(15));
        auto all = sent_to(user);
        if (all.size() < nth)
            throw std::runtime_error(user + " got " + std::to_string(all.size()) + " messages; log:\n" +
                                     server->process->stderr_text());
        return all[nth - 1];
    }

    json item(long id) { return server->agency.get("/api/v1/items/" + std::to_string(id)).json(); }
};

long id_of(json const& item) { return item["id"].get<long>(); }

// Base64's '+', '/' and '=' as they travel in a query string.
std::string query_encoded(std::string const& base64) {
    std::string out;
    for (char c : base64) out += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
    return out;
}

}  // namespace

TEST_CASE("WeCom URL verification echoes the decrypted echostr only when it verifies", "[integration][wecom]") {
    wecom_world world;
    auto echostr = signoff::wecom::encrypt("1616140317555161061", world.api.settings().corp_id, aes_key,
                                           "abcdefghijklmnop");
    auto sig = signoff::wecom::signature(callback_token, "1409659589", "263014780", echostr);
    auto encoded = query_encoded(echostr);
    auto& c = world.server->agency;
    auto ok = c.get("/webhook/wecom?msg_signature=" + sig + "&timestamp=1409659589&nonce=263014780&echostr=" + encoded);
    CHECK(ok.status == 200);
    CHECK(ok.body == "1616140317555161061");
    CHECK(c.get("/webhook/wecom?msg_signature=" + std::string(40, '0') +
                "&timestamp=1409659589&nonce=263014780&echostr=" + encoded)
              .status == 401);
    auto other = signoff::wecom::encrypt("1", "another-corp", aes_key, "abcdefghijklmnop");
    auto other_sig = signoff::wecom::signature(callback_token, "1", "2", other);
    auto other_encoded = query_encoded(other);
    CHECK(c.get("/webhook/wecom?msg_signature=" + other_sig + "&timestamp=1&nonce=2&echostr=" + other_encoded).status ==
          401);
}

TEST_CASE("A WeCom approver approves by Chinese text and by card button, rejects with a reason, lists 待办",
          "[integration][wecom]") {
    wecom_world world;
    auto first = world.server->agency.post_json("/api/v1/items", draft_body("标准日")).json();
    auto card = world.wait_sent(ddg_std, 1);
    REQUIRE(card.body["msgtype"] == "template_card");
    auto const& buttons = card.body["template_card"]["button_list"];
    REQUIRE(buttons.size() == 3);
    CHECK(buttons[0]["key"] == "a:" + std::to_string(id_of(first)) + ":1");
    CHECK(world.api.token_requests() == 1);

    REQUIRE(world.post(world.text(ddg_std, "批准 " + std::to_string(id_of(first)))) == 200);
    CHECK(world.item(id_of(first))["status"] == "approved");
    CHECK(world.item(id_of(first))["events"].back()["channel"] == "wecom");

    auto second = world.server->agency.post_json("/api/v1/items", draft_body("按钮")).json();
    auto second_card = world.wait_sent(ddg_std, 3);  // after the confirmation of the first
    std::string key = second_card.body["template_card"]["button_list"][0]["key"];
    std::string task = second_card.body["template_card"]["task_id"];
    auto code = world.api.issue_response_code();
    auto click = world.click(ddg_std, key, task, code);
    REQUIRE(world.post(click) == 200);
    CHECK(world.item(id_of(second))["status"] == "approved");
    REQUIRE(world.api.wait_for_calls("message/update_template_card", 1));
    auto update = world.api.calls("message/update_template_card")[0];
    CHECK(update.body["response_code"] == code);
    CHECK(update.errcode == 0);
    auto events_before = world.item(id_of(second))["events"].size();
    REQUIRE(world.post(click) == 200);  // WeCom delivers a click twice: no second effect
    CHECK(world.item(id_of(second))["events"].size() == events_before);

    auto third = world.server->agency.post_json("/api/v1/items", draft_body("第三")).json();
    REQUIRE(world.post(world.text(ddg_std, "驳回 " + std::to_string(id_of(third)) + " 标题太长")) == 200);
    auto rejected = world.item(id_of(third));
    CHECK(rejected["status"] == "rejected");
    CHECK(rejected["events"].back()["data"]["text"] == "标题太长");

    auto fourth = world.server->agency.post_json("/api/v1/items", draft_body("待办事项")).json();
    REQUIRE(world.post(world.text(ddg_std, "待办")) == 200);
    world.api.wait_for([&](auto const&) {
        for (auto const& c : world.sent_to(ddg_std))
            if (c.body.value("msgtype", "") == "text" && c.body.dump().find("待办事项") != std::string::npos) return true;
        return false;
    });
    bool listed = false;
    for (auto const& c : world.sent_to(ddg_std))
        listed = listed || (c.body.value("msgtype", "") == "text" &&
                            c.body["text"]["content"].get<std::string>().find("#" + std::to_string(id_of(fourth))) !=
                                std::string::npos);
    CHECK(listed);
    CHECK(world.api.token_requests() == 1);  // one token served every message
}

TEST_CASE("An expired WeCom token is refreshed once and the message still arrives", "[integration][wecom]") {
    wecom_world world;
    world.server->agency.post_json("/api/v1/items", draft_body("第一"));
    world.wait_sent(ddg_std, 1);
    world.api.expire_tokens();
    auto second = world.server->agency.post_json("/api/v1/items", draft_body("第二")).json();
    auto card = world.wait_sent(ddg_std, 2);
    CHECK(card.body.dump().find("#" + std::to_string(id_of(second))) != std::string::npos);
    CHECK(world.api.token_requests() == 2);
    bool refused = false;
    for (auto const& c : world.api.calls("message/send")) refused = refused || c.errcode == 42001 || c.errcode == 40014;
    CHECK(refused);
}

TEST_CASE("Forged, misaddressed and malformed WeCom callbacks change nothing", "[integration][wecom][bad-input]") {
    wecom_world world;
    auto draft = world.server->agency.post_json("/api/v1/items", draft_body()).json();
    std::string id = std::to_string(id_of(draft));
    CHECK(world.post(world.text(ddg_std, "批准 " + id), std::nullopt, true) == 401);
    CHECK(world.post(world.text(ddg_std, "批准 " + id), std::string("wwsomeoneelse")) == 401);
    CHECK(world.post("<!DOCTYPE x [<!ENTITY a \"b\">]><xml>&a;</xml>") == 400);
    CHECK(world.post("<xml><MsgType>text</MsgType>") == 400);
    CHECK(world.server->agency.request("POST", "/webhook/wecom?msg_signature=x&timestamp=1&nonce=2", "not xml").status ==
          400);
    CHECK(world.post(world.text("stranger", "批准 " + id)) == 200);
    CHECK(world.item(id_of(draft))["status"] == "pending");
    CHECK(world.item(id_of(draft))["events"].size() == 1);
    CHECK(world.server->agency.get("/healthz").status == 200);
}

TEST_CASE("A draft's image goes before its WeCom card: uploaded as temporary media, then an image message",
          "[integration][wecom][creatives]") {
    wecom_world world;
    auto const png = make_png(30, 20);
    auto r = world.server->agency.request("POST", "/api/v1/media", png, {{"Content-Type", "image/png"}});
    REQUIRE(r.status == 201);
    auto const id = r.json()["id"].get<std::string>();
    world.server->agency.post_json("/api/v1/items", draft_body("Poster", {{"media", {{{"id", id}}}}}));

    auto to_head = [&] {
        std::vector<fake_wecom::call> out;
        for (auto const& c : world.api.calls("message/send"))
            if (c.errcode == 0 && c.body.value("touser", "") == ddg_std) out.push_back(c);
        return out;
    };
    world.api.wait_for([&](auto const&) { return to_head().size() >= 2; }, std::chrono::seconds(15));
    auto sent = to_head();
    REQUIRE(sent.size() >= 2);
    auto uploads = world.api.calls("media/upload");
    REQUIRE(uploads.size() == 1);
    CHECK(uploads[0].errcode == 0);
    REQUIRE(uploads[0].files.size() == 1);
    CHECK(uploads[0].files[0].name == "media");
    CHECK(uploads[0].files[0].content_type == "image/png");
    CHECK("sha256:" + signoff::crypto::sha256_hex(uploads[0].files[0].value) == id);  // exactly the stored bytes
    CHECK(uploads[0].access_token.starts_with("TOKEN-"));

    CHECK(sent[0].body["msgtype"] == "image");
    auto const media_id = sent[0].body["image"]["media_id"].get<std::string>();
    CHECK(world.api.uploaded(media_id) == png);
    CHECK(sent[1].body["msgtype"] == "template_card");
    CHECK(uploads[0].at < sent[0].at);
    CHECK(sent[0].at < sent[1].at);
}

TEST_CASE("A JPEG, a PNG, an MP4 and a PDF each go to WeCom as uploaded temporary media, then the card",
          "[integration][wecom][creatives]") {
    wecom_world world;
    std::vector<std::tuple<std::string, std::string, std::string>> const files = {
        {make_jpeg(64, 48), "image/jpeg", "image"}, {make_png(30, 20), "image/png", "image"},
        {make_mp4(), "video/mp4", "video"}, {make_pdf(), "application/pdf", "file"}};
    json media = json::array();
    for (auto const& [bytes, type, kind] : files) {
        auto r = world.server->agency.request("POST", "/api/v1/media", bytes, {{"Content-Type", type}});
        REQUIRE(r.status == 201);
        media.push_back({{"id", r.json()["id"]}});
    }
    world.server->agency.post_json("/api/v1/items", draft_body("Campaign kit", {{"media", media}}));

    auto to_head = [&] {
        std::vector<fake_wecom::call> out;
        for (auto const& c : world.api.calls("message/send"))
            if (c.errcode == 0 && c.body.value("touser", "") == ddg_std) out.push_back(c);
        return out;
    };
    world.api.wait_for([&](auto const&) { return to_head().size() >= files.size() + 1; }, std::chrono::seconds(15));
    auto sent = to_head();
    REQUIRE(sent.size() >= files.size() + 1);
    auto const& card = sent[files.size()];
    CHECK(card.body["msgtype"] == "template_card");
    for (std::size_t i = 0; i < files.size(); ++i) {
        auto const& [bytes, type, kind] = files[i];
        INFO(type << ": " << sent[i].body.dump());
        REQUIRE(sent[i].body["msgtype"] == kind);
        CHECK(world.api.uploaded(sent[i].body[kind]["media_id"].get<std::string>()) == bytes);  // the stored bytes
        CHECK(sent[i].at < card.at);
    }
}
