#include "fakes/fake_wecom.hpp"

#include "adapters/wecom.hpp"
#include "support/http_client.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <thread>

using namespace signoff;
using signoff::test::fake_wecom;
using namespace std::chrono_literals;
using json = nlohmann::json;
using outcome = chat::send_result::outcome;

namespace {

json text_message(std::string to, std::string content, std::int64_t agent = 1000002) {
    return {{"touser", std::move(to)},
            {"msgtype", "text"},
            {"agentid", agent},
            {"text", {{"content", std::move(content)}}}};
}

json card_message(std::string task_id,
                  json buttons = json::array({{{"text", "Approve"}, {"style", 1}, {"key", "a:1"}}})) {
    return {{"touser", "zhangsan"},
            {"msgtype", "template_card"},
            {"agentid", 1000002},
            {"template_card",
             {{"card_type", "button_interaction"},
              {"main_title", {{"title", "Approve?"}}},
              {"task_id", std::move(task_id)},
              {"button_list", std::move(buttons)}}}};
}

json update(std::string code) {
    return {{"userids", {"zhangsan"}},
            {"agentid", 1000002},
            {"response_code", std::move(code)},
            {"button", {{"replace_name", "Approved"}}}};
}

// A client for the fake: gettoken, and posts with a token, answering the parsed JSON.
struct wecom_client {
    fake_wecom& fake;
    test::http_client http{fake.port()};

    json get_token(std::string const& corp, std::string const& secret) {
        return http.get("/cgi-bin/gettoken?corpid=" + corp + "&corpsecret=" + secret).json();
    }
    std::string token() { return get_token(fake.settings().corp_id, fake.settings().corp_secret)["access_token"]; }
    json post(std::string const& api, std::string const& token, json const& body) {
        auto const target = "/cgi-bin/" + api + (token.empty() ? "" : "?access_token=" + token);
        auto const r = http.post_json(target, body);
        REQUIRE(r.status == 200);
        return r.json();
    }
    json send(std::string const& token, json const& body) { return post("message/send", token, body); }
};

}  // namespace

TEST_CASE("The fake WeCom issues tokens for the right corp id and secret", "[fakes][wecom]") {
    fake_wecom wc;
    wecom_client client{wc};
    CHECK(wc.api_base() == "http://127.0.0.1:" + std::to_string(wc.port()));

    CHECK(client.get_token(wc.settings().corp_id, wc.settings().corp_secret) ==
          json::parse(R"({"errcode":0,"errmsg":"ok","access_token":"TOKEN-1","expires_in":7200})"));
    CHECK(client.token() == "TOKEN-2");
    CHECK(client.get_token(wc.settings().corp_id, "wrong") ==
          json::parse(R"({"errcode":40001,"errmsg":"invalid credential"})"));
    CHECK(client.get_token("wwother", wc.settings().corp_secret) ==
          json::parse(R"({"errcode":40013,"errmsg":"invalid corpid"})"));
    CHECK(wc.token_requests() == 4);
    auto const calls = wc.calls("gettoken");
    REQUIRE(calls.size() == 4);
    CHECK(calls[0].method == "GET");
    CHECK(calls[0].errcode == 0);
    CHECK(calls[2].errcode == 40001);
    CHECK(client.http.connections_opened() == 1);  // keep-alive
}

TEST_CASE("The fake WeCom sends messages and cards with a valid token", "[fakes][wecom]") {
    fake_wecom wc;
    wecom_client client{wc};
    auto const token = client.token();

    CHECK(client.send(token, text_message("zhangsan", "hello")) ==
          json::parse(R"({"errcode":0,"errmsg":"ok","msgid":"1"})"));
    CHECK(client.send(token, card_message("task-1")) ==
          json::parse(R"({"errcode":0,"errmsg":"ok","response_code":"RC-1","msgid":"2"})"));
    auto const sends = wc.calls("message/send");
    REQUIRE(sends.size() == 2);
    CHECK(sends[0].access_token == token);
    CHECK(sends[0].body == text_message("zhangsan", "hello"));
    CHECK(sends[1].body["template_card"]["task_id"] == "task-1");
    CHECK(sends[0].at <= sends[1].at);

    SECTION("missing, unknown and expired tokens") {
        CHECK(client.send("", text_message("u", "x")) ==
              json::parse(R"({"errcode":41001,"errmsg":"access_token missing"})"));
        CHECK(client.send("TOKEN-99", text_message("u", "x")) ==
              json::parse(R"({"errcode":40014,"errmsg":"invalid access_token"})"));
        wc.expire_tokens();
        CHECK(client.send(token, text_message("u", "x")) ==
              json::parse(R"({"errcode":42001,"errmsg":"access_token expired"})"));
        CHECK(client.post("message/update_template_card", token, update("RC-1"))["errcode"] == 42001);
        auto const fresh = client.token();
        CHECK(fresh == "TOKEN-2");
        CHECK(client.send(fresh, text_message("u", "x"))["errcode"] == 0);
        CHECK(wc.calls("message/send").back().access_token == fresh);
    }
    SECTION("what WeCom refuses") {
        auto const code = [&](json const& body) { return client.send(token, body)["errcode"].get<int>(); };
        CHECK(code(text_message("u", "x", 7)) == 40056);
        CHECK(code(text_message("", "x")) == 40003);
        CHECK(code(text_message("u", "")) == 44004);
        CHECK(code(text_message("u", std::string(2049, 'x'))) == 45002);
        CHECK(code(text_message("u", std::string(2048, 'x'))) == 0);
        CHECK(code({{"touser", "u"}, {"msgtype", "markdown"}, {"agentid", 1000002}}) == 40008);
        wc.reject_user("leaver");
        CHECK(client.send(token, text_message("leaver", "x")) ==
              json::parse(R"({"errcode":81013,"errmsg":"user & party & tag all invalid"})"));

        CHECK(code(card_message("task-1")) == 40058);  // task ids are single use
        CHECK(client.send(token, card_message("task-1"))["errmsg"] == "task_id duplicated");
        CHECK(code(card_message("bad:task")) == 40058);
        CHECK(code(card_message(std::string(129, 't'))) == 40058);
        CHECK(code(card_message(std::string(128, 't'))) == 0);
        json seven = json::array();
        for (int i = 0; i < 7; ++i) seven.push_back({{"text", "B"}, {"key", "k" + std::to_string(i)}});
        CHECK(code(card_message("task-7", seven)) == 40058);
        CHECK(code(card_message("task-dup",
                                json::array({{{"text", "A"}, {"key", "k"}}, {{"text", "B"}, {"key", "k"}}}))) == 40058);
        CHECK(code(card_message("task-long", json::array({{{"text", "A"}, {"key", std::string(1025, 'k')}}}))) ==
              40058);

        auto const raw = client.http.request("POST", "/cgi-bin/message/send?access_token=" + token, "touser=u");
        CHECK(raw.json() == json::parse(R"({"errcode":47001,"errmsg":"data format error"})"));
        CHECK(wc.calls().back().body == "touser=u");
        auto const lost = client.http.post_json("/cgi-bin/message/recall?access_token=" + token, json::object());
        CHECK(lost.status == 404);
        CHECK(wc.calls().back().api == "/cgi-bin/message/recall");
    }
    SECTION("scripted failures, then success") {
        wc.fail_next({-1, 45009});
        CHECK(client.send(token, text_message("u", "x")) == json::parse(R"({"errcode":-1,"errmsg":"system busy"})"));
        CHECK(client.send(token, text_message("u", "x")) ==
              json::parse(R"({"errcode":45009,"errmsg":"api freq out of limit"})"));
        CHECK(client.send(token, text_message("u", "x"))["errcode"] == 0);
        wc.reset();
        CHECK(wc.calls().empty());
        CHECK(wc.token_requests() == 0);
        CHECK(client.send(token, text_message("u", "x"))["errcode"] == 0);  // tokens survive reset
    }
}

TEST_CASE("The fake WeCom's response codes are single use", "[fakes][wecom]") {
    fake_wecom wc;
    wecom_client client{wc};
    auto const token = client.token();
    auto const sent = client.send(token, card_message("task-1"));
    auto const from_send = sent["response_code"].get<std::string>();
    auto const from_click = wc.issue_response_code();
    CHECK(from_click == "RC-2");

    CHECK(client.post("message/update_template_card", token, update(from_click)) ==
          json::parse(R"({"errcode":0,"errmsg":"ok"})"));
    CHECK(client.post("message/update_template_card", token, update(from_click)) ==
          json::parse(R"({"errcode":40058,"errmsg":"response_code has been used"})"));
    CHECK(client.post("message/update_template_card", token, update(from_send))["errcode"] == 0);
    CHECK(client.post("message/update_template_card", token, update("RC-404"))["errcode"] == 40058);
    auto no_name = update("RC-1");
    no_name["button"] = json::object();
    CHECK(client.post("message/update_template_card", token, no_name)["errcode"] != 0);
    CHECK(wc.calls("message/update_template_card").size() == 5);
}

TEST_CASE("Waiting on the fake WeCom's recorded calls", "[fakes][wecom]") {
    fake_wecom wc;
    SECTION("calls made later, from another thread") {
        std::thread later([&] {
            std::this_thread::sleep_for(100ms);
            wecom_client client{wc};
            auto const token = client.token();
            client.http.post_json("/cgi-bin/message/send?access_token=" + token, text_message("u", "a"));
        });
        CHECK(wc.wait_for_calls("message/send", 1, 5s));
        CHECK(wc.wait_for([](auto const& calls) { return calls.size() == 2 && calls[0].api == "gettoken"; }, 1s));
        later.join();
    }
    SECTION("a condition that never holds times out") {
        auto const started = std::chrono::steady_clock::now();
        CHECK_FALSE(wc.wait_for_calls("message/send", 1, 150ms));
        CHECK(std::chrono::steady_clock::now() - started >= 150ms);
    }
    SECTION("the fake stops cleanly with a connection open") {
        auto other =
            std::make_unique<fake_wecom>(fake_wecom::options{.corp_id = "wwx", .corp_secret = "s", .agent_id = 1});
        test::http_client client(other->port());
        CHECK(client.get("/cgi-bin/gettoken?corpid=wwx&corpsecret=s").json()["access_token"] == "TOKEN-1");
        auto const started = std::chrono::steady_clock::now();
        other.reset();
        CHECK(std::chrono::steady_clock::now() - started < 5s);
    }
}

TEST_CASE("The WeCom adapter's requests and the fake WeCom agree", "[fakes][wecom][adapters]") {
    fake_wecom wc;
    test::http_client http(wc.port());
    config::wecom_config const cfg{.corp_id = wc.settings().corp_id,
                                   .corp_secret = wc.settings().corp_secret,
                                   .agent_id = wc.settings().agent_id,
                                   .token = "t",
                                   .encoding_aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
                                   .api_base = wc.api_base()};
    auto const fetch = [&](http_call const& r) {
        REQUIRE(r.url.starts_with(wc.api_base()));
        return http.request(r.method, r.url.substr(wc.api_base().size()), r.body, r.headers);
    };
    auto const send = [&](http_call const& r) {
        auto const answer = fetch(r);
        return wecom::read_send_result(answer.status, answer.body);
    };
    auto const get_token = [&] {
        auto const answer = fetch(wecom::render_gettoken(cfg));
        auto const t = wecom::read_token(answer.status, answer.body);
        REQUIRE(t.token);
        CHECK(t.expires_in == 7200);
        return *t.token;
    };

    auto token = get_token();
    auto const text = send(wecom::render_message({.to = "zhangsan", .text = std::string(3000, 'x')}, cfg, token, "1"));
    CHECK(text.result == outcome::sent);
    CHECK(text.message_id == "1");

    chat::outbound_message const card{.to = "zhangsan",
                                      .text = "Approve deploy 17?\nRequested by Alice",
                                      .buttons = {{{"Approve", "a:17:1"}, {"Reject", "r:17:1"}}}};
    CHECK(send(wecom::render_message(card, cfg, token, "row-1")).result == outcome::sent);
    auto const again = send(wecom::render_message(card, cfg, token, "row-1"));  // the same task id
    CHECK(again.result == outcome::give_up);
    CHECK(again.error == "errcode 40058: task_id duplicated");
    auto const sent_card = wc.calls("message/send")[1].body;
    CHECK(sent_card["template_card"]["task_id"] == "a_17_1-row-1");
    CHECK(sent_card["template_card"]["button_list"][1] == json{{"text", "Reject"}, {"style", 2}, {"key", "r:17:1"}});

    wc.expire_tokens();
    auto const expired = send(wecom::render_message({.to = "zhangsan", .text = "x"}, cfg, token, "1"));
    CHECK(expired.result == outcome::give_up);
    CHECK(expired.error == "token:42001");
    token = get_token();
    CHECK(token == "TOKEN-2");
    CHECK(send(wecom::render_message({.to = "zhangsan", .text = "x"}, cfg, token, "1")).result == outcome::sent);

    auto const code = wc.issue_response_code();
    CHECK(send(wecom::render_card_update("zhangsan", code, "Approved", cfg, token)).result == outcome::sent);
    auto const reused = send(wecom::render_card_update("zhangsan", code, "Approved", cfg, token));
    CHECK(reused.result == outcome::give_up);
    CHECK(reused.error == "errcode 40058: response_code has been used");

    wc.fail_next({-1});
    CHECK(send(wecom::render_message({.to = "zhangsan", .text = "x"}, cfg, token, "1")).result == outcome::retry);
    wc.reject_user("leaver");
    auto const nobody = send(wecom::render_message({.to = "leaver", .text = "x"}, cfg, token, "1"));
    CHECK(nobody.result == outcome::give_up);
    CHECK(nobody.error == "errcode 81013: user & party & tag all invalid");

    auto bad_secret = cfg;
    bad_secret.corp_secret = "wrong";
    auto const refused = fetch(wecom::render_gettoken(bad_secret));
    auto const t = wecom::read_token(refused.status, refused.body);
    CHECK_FALSE(t.token);
    CHECK(t.error == "errcode 40001: invalid credential");
    CHECK(t.error.find("wrong") == std::string::npos);

    for (auto const& c : wc.calls())
        if (c.api != "gettoken") CHECK(c.access_token.starts_with("TOKEN-"));
    CHECK(wc.calls("message/send")[0].body["text"]["content"].get<std::string>().size() == 2048);
    CHECK(http.connections_opened() == 1);
}
