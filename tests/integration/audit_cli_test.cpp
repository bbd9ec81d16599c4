#include "integration/server_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

using namespace signoff::test;
using nlohmann::json;

TEST_CASE("The audit trail pages oldest first and exports NDJSON", "[integration][audit]") {
    running_server server;
    for (int i = 0; i < 3; ++i) server.agency.post_json("/api/v1/items", draft_body("A" + std::to_string(i)));

    auto page = server.agency.get("/api/v1/audit?limit=2").json();
    REQUIRE(page["events"].size() == 2);
    CHECK(page["events"][0]["id"] == 1);
    CHECK(page["next_after"] == 2);
    auto event = page["events"][0];
    for (auto field : {"id", "at", "type", "item", "revision", "actor", "on_behalf_of", "recorded_by", "channel",
                       "platform_message_id", "data", "prev_hash", "hash"})
        CHECK(event.contains(field));
    auto rest = server.agency.get("/api/v1/audit?after=2").json();
    REQUIRE(rest["events"].size() == 1);
    CHECK(rest["events"][0]["prev_hash"] == page["events"][1]["hash"]);
    CHECK(rest["next_after"].is_null());

    auto ndjson = server.agency.get("/api/v1/audit", {{"Accept", "application/x-ndjson"}});
    CHECK(ndjson.header("content-type") == "application/x-ndjson");
    std::istringstream lines(ndjson.body);
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
        CHECK(json::parse(line)["type"] == "submitted");
        ++count;
    }
    CHECK(count == 3);
}

TEST_CASE("An audit export answer stays within its byte cap and the cursor continues it", "[integration][audit]") {
    running_server server;
    // 45 rejections whose reasons are 190 kB each: about 8.6 MB of events, over the 8 MiB cap.
    std::string const reason(190000, 'r');
    for (int i = 0; i < 45; ++i) {
        auto item = server.agency.post_json("/api/v1/items", draft_body("Big " + std::to_string(i))).json();
        auto decision_body = decision("reject", "ddg-std", reason);
        REQUIRE(server.prdesk.post_json("/api/v1/items/" + std::to_string(item["id"].get<long>()) + "/decisions",
                                        decision_body).status == 200);
    }
    auto count_lines = [](std::string const& body) {
        return static_cast<int>(std::count(body.begin(), body.end(), '\n'));
    };
    auto first = server.agency.get("/api/v1/audit?limit=100000", {{"Accept", "application/x-ndjson"}});
    REQUIRE(first.status == 200);
    CHECK(first.body.size() <= 8 * 1024 * 1024 + 200000);  // the cap, plus at most the event that crossed it
    auto cursor = first.header("x-next-after");
    REQUIRE_FALSE(cursor.empty());  // cut by the cap: the cursor says where to go on
    auto rest = server.agency.get("/api/v1/audit?limit=100000&after=" + cursor, {{"Accept", "application/x-ndjson"}});
    REQUIRE(rest.status == 200);
    CHECK(rest.header("x-next-after").empty());

    // Together they are the whole trail, once each, in order.
    int total = 0;
    for (std::optional<long> after;;) {
        auto page = server.agency.get("/api/v1/audit?limit=500" + (after ? "&after=" + std::to_string(*after) : ""))
                        .json();
        total += static_cast<int>(page["events"].size());
        if (page["next_after"].is_null()) break;
        after = page["next_after"].get<long>();
    }
    CHECK(count_lines(first.body) + count_lines(rest.body) == total);
    CHECK(total >= 90);
}

TEST_CASE("Health and metrics answer without credentials", "[integration][http]") {
    running_server server;
    http_client anonymous(server.process->port());
    auto health = anonymous.get("/healthz");
    CHECK(health.status == 200);
    CHECK(health.json() == json{{"status", "ok"}});
    anonymous.get("/nowhere");
    auto metrics = anonymous.get("/metrics");
    CHECK(metrics.status == 200);
    CHECK_THAT(metrics.header("content-type"), Catch::StartsWith("text/plain"));
    CHECK_THAT(metrics.body, Catch::Contains("# TYPE signoff_http_requests_total counter"));
    CHECK_THAT(metrics.body, Catch::Contains("code=\"404\""));
}

TEST_CASE("The command line validates configs, verifies the chain and explains itself", "[integration][cli]") {
    temp_dir dir;
    SECTION("version and help") {
        auto version = run_signoff({"version"});
        CHECK(version.exit_code == 0);
        CHECK_THAT(version.out, Catch::StartsWith("signoff "));
        auto help = run_signoff({"--help"});
        CHECK(help.exit_code == 0);
        CHECK_THAT(help.out, Catch::Contains("check-config"));
        auto serve_help = run_signoff({"serve", "--help"});
        CHECK_THAT(serve_help.out, Catch::Contains("--listen"));
        CHECK(run_signoff({"frobnicate"}).exit_code == 2);
        CHECK(run_signoff({"serve", "--port", "1"}).exit_code == 2);
    }
    SECTION("check-config accepts the demo and names each problem's path") {
        auto ok = run_signoff({"check-config", std::string(SIGNOFF_SOURCE_DIR) + "/config/demo.json"});
        CHECK(ok.exit_code == 0);
        auto cfg = demo_config();
        cfg["server"]["listn"] = "x";
        cfg["roles"][0]["head"] = "nobody";
        auto bad = run_signoff({"check-config", dir.write("bad.json", cfg.dump()).string()});
        CHECK(bad.exit_code == 1);
        CHECK_THAT(bad.out, Catch::Contains("server.listn: "));
        CHECK_THAT(bad.out, Catch::Contains("roles[0].head: "));
        auto missing = run_signoff({"check-config", (dir / "none.json").string()});
        CHECK(missing.exit_code == 1);
    }
    SECTION("serve refuses a broken config and says why") {
        auto cfg = demo_config();
        cfg["tiers"]["general"] = json::array({"@nobody"});
        auto r = run_signoff({"serve", "--config", dir.write("bad.json", cfg.dump()).string(), "--listen", "127.0.0.1:0",
                              "--db", (dir / "x.db").string()});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("tiers.general[0]"));
    }
    SECTION("audit verify on a missing database") {
        auto r = run_signoff({"audit", "verify", "--db", (dir / "none.db").string()});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("no database"));
    }
}

TEST_CASE("serve refuses to listen beyond loopback while an API key has its public demo value", "[integration][cli]") {
    temp_dir dir;
    auto const db = (dir.path() / "refused.db").string();
    SECTION("both keys unset: the first is named") {
        auto r = run_signoff({"serve", "--listen", "0.0.0.0:0", "--db", db});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("\"agency\"") && Catch::Contains("0.0.0.0:0"));
        CHECK_THAT(r.out, !Catch::Contains("listening on"));
    }
    SECTION("one key given a secret, the other still the demo's") {
        auto r = run_signoff({"serve", "--listen", "[::]:0", "--db", db}, {{"SIGNOFF_AGENCY_KEY", "a-real-secret"}});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("\"prdesk\""));
        CHECK_THAT(r.out, !Catch::Contains("listening on"));
    }
    CHECK_FALSE(std::filesystem::exists(db));  // refused before the store was opened
}
