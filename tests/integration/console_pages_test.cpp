// The console's HTTP surface apart from the browser: its files compiled into the binary, its
// words in each language, and the API calls only its pages need (the directory, the live
// content checks, the word diff of each revision).

#include "integration/server_fixture.hpp"

#include <catch2/catch.hpp>

using namespace signoff::test;
using nlohmann::json;

TEST_CASE("The console's pages are served from the binary with a strict content policy", "[integration][console]") {
    running_server server;
    http_client browser(server.process->port());
    auto page = browser.get("/");
    REQUIRE(page.status == 200);
    CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(page.body.find("<script type=\"module\" src=\"/console/app.js\">") != std::string::npos);
    auto policy = page.header("Content-Security-Policy");
    CHECK(policy.find("script-src 'self'") != std::string::npos);
    CHECK(policy.find("frame-ancestors 'none'") != std::string::npos);
    CHECK(page.header("X-Content-Type-Options") == "nosniff");

    auto script = browser.get("/console/app.js");
    CHECK(script.status == 200);
    CHECK(script.header("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(script.body.find("import") != std::string::npos);
    CHECK(browser.get("/console/style.css").header("Content-Type") == "text/css; charset=utf-8");

    SECTION("unknown or sneaky names are 404") {
        for (auto path : {"/console/nothing.js", "/console/..%2Fstore%2Fschema.cpp", "/console/index.html", "/console/"})
            CHECK(browser.get(path).status == 404);
    }
}

TEST_CASE("The console's words come from the catalogues, in the language asked for", "[integration][console]") {
    running_server server;
    http_client browser(server.process->port());
    auto en = browser.get("/console/texts?lang=en").json();
    CHECK(en["lang"] == "en");
    CHECK(en["texts"]["console.nav.queue"] == "Queue");
    CHECK(en["texts"]["status.approved"] == "approved");  // the bot's own names for statuses
    CHECK(en["texts"]["event.approved"] == "Approved");
    CHECK_FALSE(en["texts"].contains("card.approved_by"));  // chat-only texts stay out

    auto hant = browser.get("/console/texts?lang=zh-TW").json();  // an alias
    CHECK(hant["lang"] == "zh-Hant");
    CHECK(hant["texts"]["console.nav.queue"] == "待辦");
    auto unknown = browser.get("/console/texts?lang=xx-YY").json();
    CHECK(unknown["lang"] == "en");
    CHECK(unknown["texts"].size() == en["texts"].size());
    for (auto lang : {"hi", "zh-Hans", "lt"}) {
        auto t = browser.get(std::string("/console/texts?lang=") + lang).json();
        CHECK(t["lang"] == lang);
        CHECK(t["texts"].size() == en["texts"].size());
        CHECK(t["texts"]["console.nav.queue"] != "Queue");
    }
}

TEST_CASE("The directory lists people with their availability, roles, tiers and platform limits", "[integration][console]") {
    running_server server;
    auto away = server.prdesk.request("PUT", "/api/v1/people/ddg-std/availability",
                                      R"({"away": true, "until": "2099-01-01T00:00:00Z"})", {{"Content-Type", "application/json"}});
    REQUIRE(away.status == 200);
    auto directory = server.agency.get("/api/v1/directory");
    INFO(directory);
    REQUIRE(directory.status == 200);
    auto d = directory.json();
    json head, desk;
    for (auto const& p : d["people"]) {
        if (p["id"] == "ddg-std") head = p;
        if (p["id"] == "ddpr") desk = p;
    }
    CHECK(head["away"] == true);
    CHECK(head["until"] == "2099-01-01T00:00:00Z");
    CHECK(desk["away"] == false);
    CHECK(desk["until"].is_null());
    CHECK(desk["admin"] == true);
    CHECK(desk["publisher"] == true);
    CHECK(d["roles"][0]["id"] == "standardisation");
    CHECK(d["roles"][0]["topics"] == json{"standards", "consultation"});
    CHECK(d["tiers"] == json{"general", "major", "sensitive"});
    CHECK(d["platform_limits"]["x"] == 280);
    CHECK(d["timezone"] == "Asia/Kolkata");
    CHECK(http_client(server.process->port()).get("/api/v1/directory").status == 401);
}

TEST_CASE("The submit form's live checks are the checks a submission gets, and store nothing", "[integration][console]") {
    running_server server;
    auto body = draft_body("Notice", {{"platforms", {"x"}}, {"body", std::string(300, 'a') + " classified"}});
    auto preview = server.prdesk.post_json("/api/v1/checks", body);
    INFO(preview);
    REQUIRE(preview.status == 200);
    auto created = server.prdesk.post_json("/api/v1/items", body).json();
    CHECK(preview.json()["checks"] == created["checks"]);
    CHECK(preview.json()["tier"] == "sensitive");  // raised by the prohibited term, as the item was
    CHECK(created["tier"] == "sensitive");
    CHECK(server.prdesk.get("/api/v1/items").json()["items"].size() == 1);

    SECTION("bad input is refused as a submission would be") {
        CHECK(server.prdesk.post_json("/api/v1/checks", json{{"kind", "draft"}}).status == 400);
        CHECK(server.prdesk.request("POST", "/api/v1/checks", "{", {{"Content-Type", "application/json"}}).status == 400);
        CHECK(server.prdesk.request("POST", "/api/v1/checks", "x", {{"Content-Type", "text/plain"}}).status == 415);
        auto unknown = server.prdesk.post_json("/api/v1/checks", draft_body("x", {{"media", {{{"id", "sha256:" + std::string(64, '0')}}}}}));
        CHECK(unknown.status == 422);
        CHECK(server.prdesk.post_json("/api/v1/checks", draft_body("x", {{"tier", "secret"}})).status == 400);
        CHECK(http_client(server.process->port()).post_json("/api/v1/checks", body).status == 401);
        CHECK(server.prdesk.get("/api/v1/items").json()["items"].size() == 1);
    }
}

TEST_CASE("Each later revision carries the word diff from the one before", "[integration][console]") {
    running_server server;
    auto item = server.agency.post_json("/api/v1/items", draft_body("World Standards Day", {{"body", "Join us on 14 October 2026"}})).json();
    auto path = "/api/v1/items/" + std::to_string(item["id"].get<long>());
    REQUIRE(server.prdesk.post_json(path + "/decisions", decision("changes", "ddg-std", "shorter date")).status == 200);
    REQUIRE(server.agency.post_json(path + "/revisions", {{"body", "Join us on 14 Oct 2026"}}).status == 200);
    auto full = server.agency.get(path).json();
    REQUIRE(full["revisions"].size() == 2);
    CHECK_FALSE(full["revisions"][0].contains("changes"));
    CHECK(full["revisions"][1]["changes"] == "…Join us on 14 [-October-] {+Oct+} 2026");
}
