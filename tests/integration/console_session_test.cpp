// Signing in to the console without passwords: one-time links from the command line and from
// chat, session cookies, CSRF tokens, and the rights a session carries.

#include "integration/telegram_fixture.hpp"

#include "store/sqlite.hpp"

#include <catch2/catch.hpp>

using namespace signoff::test;
using nlohmann::json;
using signoff::header_list;

namespace {

std::string link_for(running_server& server, std::string const& person) {
    auto r = run_command({signoff_binary(), "login-link", person, "--config", server.config_path, "--db", server.db_path},
                         server.env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto link = r.out.substr(0, r.out.find('\n'));
    REQUIRE(link.find("/login?token=") != std::string::npos);
    return link;
}

std::string path_of(std::string const& link) { return link.substr(link.find("/login?")); }

// Follows a sign-in link; the session cookie's value, or "" when refused.
std::string sign_in(http_client& browser, std::string const& link, response* out = nullptr) {
    auto r = browser.get(path_of(link));
    if (out) *out = r;
    if (r.status != 303) return "";
    auto set = r.header("Set-Cookie");
    auto start = set.find("signoff_session=") + 16;
    return set.substr(start, set.find(';') - start);
}

header_list with_session(std::string const& id, std::optional<std::string> csrf = std::nullopt) {
    header_list h{{"Cookie", "theme=dark; signoff_session=" + id}};
    if (csrf) h.emplace_back("X-CSRF-Token", *csrf);
    return h;
}

json session_of(http_client& browser, std::string const& id) {
    auto r = browser.get("/api/v1/session", with_session(id));
    INFO(r);
    REQUIRE(r.status == 200);
    return r.json();
}

std::string item_path(json const& item, std::string const& suffix = "") {
    return "/api/v1/items/" + std::to_string(item["id"].get<long>()) + suffix;
}

}  // namespace

TEST_CASE("A sign-in link works once, and only within 10 minutes", "[integration][console]") {
    running_server server;
    http_client browser(server.process->port());
    auto link = link_for(server, "ddg-std");
    CHECK(link.starts_with("http://127.0.0.1:"));

    response first;
    auto id = sign_in(browser, link, &first);
    INFO(first);
    REQUIRE(first.status == 303);
    CHECK(first.header("Location") == "/");
    auto set = first.header("Set-Cookie");
    CHECK(set.find("HttpOnly") != std::string::npos);
    CHECK(set.find("SameSite=Strict") != std::string::npos);
    CHECK(set.find("Path=/") != std::string::npos);
    CHECK(set.find("Secure") == std::string::npos);  // plain HTTP on loopback
    auto me = session_of(browser, id);
    CHECK(me["person"] == "ddg-std");
    CHECK(me["admin"] == false);
    CHECK(me["csrf"].get<std::string>().size() == 64);

    response again;
    CHECK(sign_in(browser, link, &again).empty());
    CHECK(again.status == 403);
    CHECK(again.header("Content-Type").starts_with("text/html"));

    SECTION("a link older than 10 minutes is refused") {
        auto old = link_for(server, "ddg-std");
        {
            signoff::sqlite::database db(server.db_path, {});
            db.exec("UPDATE login_tokens SET expires_ms = expires_ms - 600001 WHERE used_ms IS NULL");
        }
        response late;
        CHECK(sign_in(browser, old, &late).empty());
        CHECK(late.status == 403);
    }
    SECTION("a forged token or a forged session is refused") {
        CHECK(browser.get("/login?token=" + std::string(64, 'a')).status == 403);
        CHECK(browser.get("/login").status == 403);
        CHECK(browser.get("/api/v1/session", with_session(std::string(64, 'b'))).status == 401);
    }
    SECTION("signing out ends the session") {
        auto me2 = session_of(browser, id);
        CHECK(browser.request("POST", "/logout", "", with_session(id)).status == 403);  // no CSRF token
        auto out = browser.request("POST", "/logout", "", with_session(id, me2["csrf"].get<std::string>()));
        CHECK(out.status == 200);
        CHECK(out.header("Set-Cookie").find("Max-Age=0") != std::string::npos);
        CHECK(browser.get("/api/v1/session", with_session(id)).status == 401);
        CHECK(browser.get("/api/v1/items", with_session(id)).status == 401);
    }
    SECTION("an unknown person gets no link") {
        auto r = run_command({signoff_binary(), "login-link", "nobody", "--config", server.config_path, "--db",
                              server.db_path},
                             server.env);
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("no person \"nobody\"") != std::string::npos);
    }
}

TEST_CASE("A console session has its person's rights and needs its CSRF token to change anything",
          "[integration][console]") {
    running_server server;
    http_client browser(server.process->port());
    auto head = sign_in(browser, link_for(server, "ddg-std"));
    auto other = sign_in(browser, link_for(server, "dh-std"));
    auto desk = sign_in(browser, link_for(server, "ddpr"));  // an admin of the PR desk
    auto head_csrf = session_of(browser, head)["csrf"].get<std::string>();
    auto other_csrf = session_of(browser, other)["csrf"].get<std::string>();
    auto desk_csrf = session_of(browser, desk)["csrf"].get<std::string>();

    auto draft = server.agency.post_json("/api/v1/items", draft_body("From the agency")).json();
    REQUIRE(draft["assignee"] == "ddg-std");
    auto approve = [&](std::string const& person) { return decision("approve", person).dump(); };
    auto json_with = [](header_list h) {
        h.emplace_back("Content-Type", "application/json");
        return h;
    };

    // Reading needs no token; changing does.
    CHECK(browser.get(item_path(draft), with_session(head)).status == 200);
    auto no_token = browser.request("POST", item_path(draft, "/decisions"), approve("ddg-std"), json_with(with_session(head)));
    CHECK(no_token.status == 403);
    CHECK(no_token.json()["error"]["code"] == "csrf_required");
    auto wrong_token =
        browser.request("POST", item_path(draft, "/decisions"), approve("ddg-std"), json_with(with_session(head, other_csrf)));
    CHECK(wrong_token.status == 403);
    CHECK(server.agency.get(item_path(draft)).json()["steps"][0]["status"] == "pending");

    // Someone else's step is not theirs to decide.
    auto not_theirs =
        browser.request("POST", item_path(draft, "/decisions"), approve("ddg-std"), json_with(with_session(other, other_csrf)));
    CHECK(not_theirs.status == 403);
    CHECK(not_theirs.json()["error"]["code"] == "forbidden");
    CHECK(server.agency.get(item_path(draft)).json()["steps"][0]["status"] == "pending");
    // Nor may a non-admin submit.
    auto submit = browser.request("POST", "/api/v1/items", draft_body("From a head").dump(),
                                  json_with(with_session(head, head_csrf)));
    CHECK(submit.status == 403);

    // Their own step, with the token: decided, and the trail says it came from the console.
    auto own = browser.request("POST", item_path(draft, "/decisions"), approve("ddg-std"), json_with(with_session(head, head_csrf)));
    INFO(own);
    REQUIRE(own.status == 200);
    CHECK(own.json()["status"] == "approved");
    auto events = server.agency.get(item_path(draft)).json()["events"];
    CHECK(events.back()["type"] == "approved");
    CHECK(events.back()["channel"] == "console");
    CHECK(events.back()["actor"] == "ddg-std");
    CHECK(events.back()["recorded_by"] == "console:ddg-std");

    // The PR desk's admin submits from the console, and may act for others.
    auto desk_draft = browser.request("POST", "/api/v1/items", draft_body("From the desk").dump(),
                                      json_with(with_session(desk, desk_csrf)));
    INFO(desk_draft);
    REQUIRE(desk_draft.status == 201);
    CHECK(desk_draft.json()["submitted_by"] == "console:ddpr");
    CHECK(browser.request("POST", item_path(desk_draft.json(), "/decisions"), approve("ddg-std"),
                          json_with(with_session(desk, desk_csrf)))
              .status == 200);
}

TEST_CASE("The login command answers a sign-in link in the person's language", "[integration][console][telegram]") {
    telegram_world world;
    REQUIRE(world.send_text(ddg_std, "login") == 200);
    auto en = world.wait_message(ddg_std, 1).body["text"].get<std::string>();
    INFO(en);
    CHECK(en.find("sign-in link") != std::string::npos);
    auto link = en.substr(en.find("http"));
    http_client browser(world.server->process->port());
    auto id = sign_in(browser, link);
    REQUIRE_FALSE(id.empty());
    CHECK(session_of(browser, id)["person"] == "ddg-std");

    REQUIRE(world.send_text(ddg_ca, "登录") == 200);  // ddg-ca writes Chinese in these tests
    auto zh = world.wait_message(ddg_ca, 1).body["text"].get<std::string>();
    INFO(zh);
    CHECK(zh.find("登录链接") != std::string::npos);
    CHECK(zh.find("/login?token=") != std::string::npos);

    REQUIRE(world.send_text(stranger, "login") == 200);  // a stranger gets the refusal, no link
    CHECK(world.wait_message(stranger, 1).body["text"].get<std::string>().find("/login?token=") == std::string::npos);
}
