#include "integration/server_fixture.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace signoff::test;
using nlohmann::json;

namespace {

// How many items and audit events the store holds, as the PR desk reads them.
std::pair<std::size_t, std::size_t> stored(running_server& server) {
    auto items = server.prdesk.get("/api/v1/items?limit=500").json()["items"].size();
    auto events = server.prdesk.get("/api/v1/audit?limit=500").json()["events"].size();
    return {items, events};
}

}  // namespace

TEST_CASE("A key past its rate limit gets 429 with Retry-After, nothing is stored, and later it works again",
          "[integration][api][rate_limit]") {
    running_server server([](json& cfg) {
        auto& agency = cfg["api"]["keys"][0];
        REQUIRE(agency["name"] == "agency");
        agency["rate_per_minute"] = 60;  // one a second
        agency["burst"] = 2;
    });
    REQUIRE(server.agency.post_json("/api/v1/items", draft_body("One")).status == 201);
    REQUIRE(server.agency.post_json("/api/v1/items", draft_body("Two")).status == 201);
    auto before = stored(server);

    auto refused = server.agency.post_json("/api/v1/items", draft_body("Three"));
    CHECK(refused.status == 429);
    CHECK(refused.json()["error"]["code"] == "rate_limited");
    CHECK(refused.header("retry-after") == "1");
    CHECK(stored(server) == before);  // no item, no event
    // Every state-changing call counts: a withdrawal is refused too, and the item stays as it was.
    auto withdraw = server.agency.post_json("/api/v1/items/1/withdraw", json{{"reason", "no"}});
    CHECK(withdraw.status == 429);
    CHECK(server.agency.get("/api/v1/items/1").json()["status"] == "pending");
    // Reading is not limited, and the other key has its own bucket.
    CHECK(server.agency.get("/api/v1/items").status == 200);
    CHECK(server.prdesk.post_json("/api/v1/items", draft_body("Desk")).status == 201);

    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // Retry-After: 1
    auto again = server.agency.post_json("/api/v1/items", draft_body("Three"));
    CHECK(again.status == 201);
    CHECK(again.json()["title"] == "Three");
    CHECK(server.process->running());
}

TEST_CASE("Urgent submissions, which send SMS at once, have their own smaller limit per key",
          "[integration][api][rate_limit]") {
    running_server server([](json& cfg) {
        auto& agency = cfg["api"]["keys"][0];
        agency["urgent_per_minute"] = 1;
        agency["urgent_burst"] = 1;
    });
    REQUIRE(server.agency.post_json("/api/v1/items", complaint_body("Gas leak", {{"urgent", true}})).status == 201);
    auto before = stored(server);
    auto refused = server.agency.post_json("/api/v1/items", complaint_body("Another leak", {{"urgent", true}}));
    CHECK(refused.status == 429);
    CHECK(refused.json()["error"]["code"] == "rate_limited");
    CHECK_THAT(refused.json()["error"]["message"].get<std::string>(), Catch::Contains("urgent"));
    auto retry = std::stoi(refused.header("retry-after"));
    CHECK(retry >= 59);
    CHECK(retry <= 60);
    CHECK(stored(server) == before);
    // Routine items from the same key still go.
    CHECK(server.agency.post_json("/api/v1/items", complaint_body("Not urgent")).status == 201);
}

TEST_CASE("Rate limit keys are checked in the configuration", "[integration][cli][rate_limit]") {
    temp_dir dir;
    auto cfg = demo_config();
    cfg["api"]["keys"][0]["rate_per_minute"] = 0;
    cfg["api"]["keys"][1]["burst"] = "many";
    cfg["api"]["keys"][1]["urgent_per_mintue"] = 3;
    auto r = run_signoff({"check-config", dir.write("limits.json", cfg.dump()).string()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("api.keys[0].rate_per_minute: expected a positive integer"));
    CHECK_THAT(r.out, Catch::Contains("api.keys[1].burst: expected a positive integer"));
    CHECK_THAT(r.out, Catch::Contains("api.keys[1].urgent_per_mintue: unknown key"));
}

TEST_CASE("An item read carries a page of its events, events_next_after continues it",
          "[integration][api][item_read]") {
    running_server server;
    long id = server.agency.post_json("/api/v1/items", draft_body("Many revisions")).json()["id"];
    auto const path = "/api/v1/items/" + std::to_string(id);
    for (int i = 0; i < 230; ++i)
        REQUIRE(server.agency.post_json(path + "/revisions", json{{"body", "Take " + std::to_string(i)}}).status == 200);
    std::size_t total = 0;
    auto const trail = server.prdesk.get("/api/v1/audit?limit=500").json();
    for (auto const& e : trail["events"]) total += e["item"] == id;
    REQUIRE(total > 230);

    auto first = server.agency.get(path).json();
    CHECK(first["events"].size() == 200);
    CHECK(first["events"][0]["type"] == "submitted");
    REQUIRE(first["events_next_after"] == first["events"].back()["id"]);
    CHECK(first["revision"] == 231);

    auto rest = server.agency.get(path + "?events_after=" + std::to_string(first["events_next_after"].get<long>())).json();
    CHECK(rest["events_next_after"].is_null());
    CHECK(first["events"].size() + rest["events"].size() == total);
    CHECK(rest["events"][0]["id"].get<long>() > first["events"].back()["id"].get<long>());
    CHECK(rest["events"].back()["type"] == "revised");

    auto bad = server.agency.get(path + "?events_after=x");
    CHECK(bad.status == 400);
}
