#include "fakes/recording_server.hpp"
#include "integration/server_fixture.hpp"
#include "bot/core/crypto.hpp"
#include "store/sqlite.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <thread>

using namespace signoff::test;
using nlohmann::json;

namespace {

constexpr char const* audit_key = "the-audit-key-of-this-test";

command_result verify(running_server const& server, environment env = {}, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"audit", "verify", "--db", server.db_path};
    args.insert(args.end(), extra.begin(), extra.end());
    env.emplace("SIGNOFF_AUDIT_KEY", "");  // never the one the test runner may have
    return run_signoff(args, env);
}

// "tip ID:HASH" from audit verify's output.
std::string tip_of(command_result const& r) {
    std::smatch m;
    REQUIRE(std::regex_search(r.out, m, std::regex("tip ([0-9]+:[0-9a-f]{64})")));
    return m[1];
}

// Two drafts, the first approved by the PR desk, and a person away and back (two events about no item).
void some_history(running_server& server) {
    long first = server.agency.post_json("/api/v1/items", draft_body("First")).json()["id"];
    server.agency.post_json("/api/v1/items", draft_body("Second"));
    REQUIRE(server.prdesk.post_json("/api/v1/items/" + std::to_string(first) + "/decisions",
                                    decision("approve", "ddg-std")).status == 200);
    REQUIRE(server.prdesk.put_json("/api/v1/people/dpr/availability", json{{"away", true}}).status == 200);
    REQUIRE(server.prdesk.put_json("/api/v1/people/dpr/availability", json{{"away", false}}).status == 200);
}

void sql(running_server const& server, std::string const& text) {
    signoff::sqlite::database db(server.db_path, {.read_only = false, .synchronous = "normal"});
    db.exec("DROP TRIGGER IF EXISTS events_append_only_update; DROP TRIGGER IF EXISTS events_append_only_delete;");
    db.exec(text);
}

}  // namespace

TEST_CASE("A keyed chain verifies only under its key and reports its tip, --tip catches a cut-off end",
          "[integration][audit][cli]") {
    running_server server({}, {{"SIGNOFF_AUDIT_KEY", audit_key}});
    some_history(server);
    server.process->terminate();

    auto ok = verify(server, {{"SIGNOFF_AUDIT_KEY", audit_key}});
    INFO(ok.out << ok.err);
    REQUIRE(ok.exit_code == 0);
    CHECK_THAT(ok.out, Catch::Contains("chain intact (HMAC-SHA256 from event 1)"));
    CHECK_THAT(ok.out, Catch::Contains("ok: 2 items match their events"));
    auto const tip = tip_of(ok);
    auto const tip_id = std::stol(tip.substr(0, tip.find(':')));

    SECTION("the same key through --config") {
        temp_dir dir;
        auto cfg = demo_config();
        cfg["store"]["path"] = server.db_path;
        auto r = verify(server, {{"SIGNOFF_AUDIT_KEY", audit_key}}, {"--config", dir.write("c.json", cfg.dump()).string()});
        CHECK(r.exit_code == 0);
        CHECK(tip_of(r) == tip);
        CHECK(verify(server, {{"SIGNOFF_AUDIT_KEY", audit_key}}, {"--tip", tip}).exit_code == 0);
    }
    SECTION("without the key, or with another, the keyed events do not verify") {
        auto none = verify(server);
        CHECK(none.exit_code == 1);
        CHECK_THAT(none.out, Catch::Contains("broken: event 1: the chain is keyed from this event on"));
        auto wrong = verify(server, {{"SIGNOFF_AUDIT_KEY", "another-key"}});
        CHECK(wrong.exit_code == 1);
        CHECK_THAT(wrong.out, Catch::Contains("broken: event 1: its hash is not HMAC-SHA256 under the key given"));
    }
    SECTION("the newest events cut off: intact without a tip, broken with the tip kept elsewhere") {
        // The away and back events concern no item, so no item's state gives the cut away.
        sql(server, "DELETE FROM events WHERE id > " + std::to_string(tip_id - 2));
        auto alone = verify(server, {{"SIGNOFF_AUDIT_KEY", audit_key}});
        CHECK(alone.exit_code == 0);
        auto cut = verify(server, {{"SIGNOFF_AUDIT_KEY", audit_key}}, {"--tip", tip});
        CHECK(cut.exit_code == 1);
        CHECK_THAT(cut.out, Catch::Contains("broken: event " + std::to_string(tip_id - 1) + ": the chain ends at event " +
                                            std::to_string(tip_id - 2) + ", below the tip " + std::to_string(tip_id)));
    }
    SECTION("a tip whose event now has another hash") {
        auto other = std::to_string(tip_id) + ":" + std::string(64, 'a');
        auto r = verify(server, {{"SIGNOFF_AUDIT_KEY", audit_key}}, {"--tip", other});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("broken: event " + std::to_string(tip_id) + ": its hash is not the tip's"));
        CHECK(verify(server, {{"SIGNOFF_AUDIT_KEY", audit_key}}, {"--tip", "12:xyz"}).exit_code == 2);
    }
}

TEST_CASE("A chain rebuilt without the key fails verify, naming the first event", "[integration][audit][cli]") {
    SECTION("every hash recomputed as plain SHA-256 over the events as exported") {
        running_server server({}, {{"SIGNOFF_AUDIT_KEY", audit_key}});
        some_history(server);
        auto events = server.prdesk.get("/api/v1/audit?limit=500").json()["events"];
        server.process->terminate();
        std::string prev(64, '0');
        std::string updates;
        for (auto e : events) {
            e.erase("prev_hash");
            e.erase("hash");
            auto hash = signoff::crypto::sha256_hex(prev + e.dump());
            updates += "UPDATE events SET prev_hash = '" + prev + "', hash = '" + hash +
                       "' WHERE id = " + std::to_string(e["id"].get<long>()) + ";";
            prev = hash;
        }
        sql(server, updates);
        auto r = verify(server, {{"SIGNOFF_AUDIT_KEY", audit_key}});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("broken: event 1: its hash is not HMAC-SHA256 under the key given"));
    }
    SECTION("a chain with no keyed event, checked with the key") {
        running_server server;  // no key: the plain chain, as anyone with write access could write it
        some_history(server);
        server.process->terminate();
        CHECK(verify(server).exit_code == 0);
        auto r = verify(server, {{"SIGNOFF_AUDIT_KEY", audit_key}});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("a key was given but no event is keyed with it"));
    }
}

TEST_CASE("An item or step changed by SQL to contradict its events fails verify, naming the item",
          "[integration][audit][cli]") {
    running_server server;
    some_history(server);
    server.process->terminate();
    REQUIRE(verify(server).exit_code == 0);

    SECTION("status") {
        sql(server, "UPDATE items SET status = 'approved' WHERE id = 2");
        auto r = verify(server);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("broken: item #2: status is \"approved\" but its latest event (") &&
                              Catch::Contains("says \"pending\""));
    }
    SECTION("assignee") {
        sql(server, "UPDATE items SET assignee = 'dh-std' WHERE id = 2");
        auto r = verify(server);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("broken: item #2: assignee is \"dh-std\""));
    }
    SECTION("revision") {
        sql(server, "UPDATE items SET revision = 2 WHERE id = 1");
        CHECK_THAT(verify(server).out, Catch::Contains("broken: item #1: revision is 2"));
    }
    SECTION("a step") {
        sql(server, "UPDATE steps SET status = 'approved' WHERE item_id = 2");
        auto r = verify(server);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("broken: item #2: the steps of revision 1 are"));
    }
    SECTION("an item without events") {
        sql(server, "INSERT INTO items (id, kind, status, role, revision, due_ms, submitted_by, doc, created_ms, "
                    "updated_ms) SELECT 3, kind, status, role, revision, due_ms, submitted_by, doc, created_ms, "
                    "updated_ms FROM items WHERE id = 2");
        CHECK_THAT(verify(server).out, Catch::Contains("broken: item #3: it has no events"));
    }
}

TEST_CASE("Each agency callback carries the audit tip, and the server logs the tip daily",
          "[integration][audit][callback]") {
    recording_server agency;
    running_server server([&](json& cfg) { cfg["api"]["callback"] = {{"url", agency.url("/hooks")}, {"secret", "s"}}; },
                          {{"SIGNOFF_AUDIT_KEY", audit_key}});
    long id = server.agency.post_json("/api/v1/items", draft_body("Called back")).json()["id"];
    REQUIRE(server.prdesk.post_json("/api/v1/items/" + std::to_string(id) + "/decisions", decision("approve", "ddg-std"))
                .status == 200);
    REQUIRE(agency.wait_for(1));
    auto body = json::parse(agency.requests().at(0).body);
    CHECK(body["event"] == "item.approved");
    auto events = server.prdesk.get("/api/v1/audit?limit=500").json()["events"];
    auto const& decided = events.back();
    CHECK(decided["type"] == "approved");
    CHECK(body["audit_tip"] == json{{"id", decided["id"]}, {"hash", decided["hash"]}});

    // The daily line: the first scheduler pass after a start logs the tip.
    server.restart();
    auto const line = "\"event\":\"audit.tip\"";
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (server.process->stderr_text().find(line) == std::string::npos && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto log = server.process->stderr_text();
    CHECK_THAT(log, Catch::Contains(line) && Catch::Contains("\"hash\":\"" + decided["hash"].get<std::string>() + "\""));
    CHECK_THAT(log, !Catch::Contains(audit_key));
    server.process->terminate();
    auto r = verify(server, {{"SIGNOFF_AUDIT_KEY", audit_key}},
                    {"--tip", std::to_string(body["audit_tip"]["id"].get<long>()) + ":" +
                                  body["audit_tip"]["hash"].get<std::string>()});
    CHECK(r.exit_code == 0);
}

TEST_CASE("serve refuses a keyed store without its key or with another", "[integration][audit][cli]") {
    running_server server({}, {{"SIGNOFF_AUDIT_KEY", audit_key}});
    server.agency.post_json("/api/v1/items", draft_body("Keyed"));
    server.process->terminate();
    auto const args = std::vector<std::string>{"serve", "--config", server.config_path, "--db", server.db_path,
                                               "--listen", "127.0.0.1:0"};
    auto none = run_signoff(args, {{"SIGNOFF_AUDIT_KEY", ""}});
    CHECK(none.exit_code == 1);
    CHECK_THAT(none.err, Catch::Contains("the audit chain is keyed from event 1"));
    auto wrong = run_signoff(args, {{"SIGNOFF_AUDIT_KEY", "another"}});
    CHECK(wrong.exit_code == 1);
    CHECK_THAT(wrong.err, Catch::Contains("audit.key is not the key the audit chain is keyed with"));
    CHECK_THAT(wrong.err, !Catch::Contains("another"));
}
