#include "integration/server_fixture.hpp"
#include "store/sqlite.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace signoff;
using namespace signoff::test;

namespace {
constexpr std::int64_t day_ms = 24LL * 60 * 60 * 1000;

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::int64_t count(std::string const& db_path, std::string const& sql) {
    sqlite::database db(db_path, {.read_only = true, .synchronous = "normal"});
    auto s = db.prepare(sql);
    return s.step() ? s.column_int(0) : -1;
}
}  // namespace

TEST_CASE("The running server deletes what is past retention on its own and keeps the audit trail",
          "[integration][retention]") {
    running_server server([](nlohmann::json& cfg) {
        cfg["store"]["outbox_retention_days"] = 10;
        cfg["store"]["inbound_retention_days"] = 7;
    });
    // Today's work through the API: items, their audit events and messages, an idempotency key.
    auto first = server.agency.post_json("/api/v1/items", draft_body("Today's post"), {{"Idempotency-Key", "today"}});
    REQUIRE(first.status == 201);
    REQUIRE(server.prdesk.post_json("/api/v1/items/" + std::to_string(first.json()["id"].get<long>()) + "/decisions",
                                    decision("approve", "ddg-std"))
                .status == 200);
    REQUIRE(server.wait_outbox_settled());
    auto events = count(server.db_path, "SELECT COUNT(*) FROM events");
    REQUIRE(events >= 2);
    auto todays_messages = count(server.db_path, "SELECT COUNT(*) FROM outbox");

    // What a server running for a month would hold besides: keys and messages from 8 and 11 days ago.
    {
        sqlite::database db(server.db_path, {.synchronous = "normal"});
        auto n = now_ms();
        for (int i = 0; i < 1200; ++i)  // more than one batch
            db.prepare("INSERT INTO inbound_keys (channel, key, at_ms) VALUES ('telegram', ?, ?)")
                .bind("old-" + std::to_string(i), n - 8 * day_ms)
                .run();
        db.prepare("INSERT INTO inbound_keys (channel, key, at_ms) VALUES ('telegram', 'recent', ?)")
            .bind(n - 6 * day_ms)
            .run();
        db.prepare("INSERT INTO idempotency (key_name, idem_key, request_hash, status, response, at_ms) "
                   "VALUES ('agency', 'last-month', 'x', 201, '{}', ?)")
            .bind(n - 8 * day_ms)
            .run();
        for (auto [status, age] : {std::pair{"sent", 11}, {"dead", 11}, {"sent", 9}, {"queued", 11}})
            db.prepare("INSERT INTO outbox (channel, recipient, address, purpose, payload, status, attempts, "
                       "next_attempt_ms, created_ms, updated_ms) VALUES ('none', 'dpr', NULL, 'chat_reply', '{}', ?, "
                       "1, ?, ?, ?)")
                .bind(status, n + day_ms, n - age * day_ms, n - age * day_ms)
                .run();
    }

    // The scheduler's passes (every 50 ms here) delete the old rows, 500 of a kind at a time.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (count(server.db_path, "SELECT COUNT(*) FROM inbound_keys WHERE key LIKE 'old-%'") > 0 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));

    CHECK(count(server.db_path, "SELECT COUNT(*) FROM inbound_keys WHERE key LIKE 'old-%'") == 0);
    CHECK(count(server.db_path, "SELECT COUNT(*) FROM inbound_keys WHERE key = 'recent'") == 1);
    CHECK(count(server.db_path, "SELECT COUNT(*) FROM idempotency WHERE idem_key = 'last-month'") == 0);
    CHECK(count(server.db_path, "SELECT COUNT(*) FROM outbox WHERE updated_ms < " +
                                    std::to_string(now_ms() - 10 * day_ms) + " AND status <> 'queued'") == 0);
    CHECK(count(server.db_path, "SELECT COUNT(*) FROM outbox") == todays_messages + 2);  // 9 days old, and queued
    CHECK(count(server.db_path, "SELECT COUNT(*) FROM events") == events);

    // Today's idempotency key still answers a retry with the original item, not a second one.
    auto retry = server.agency.post_json("/api/v1/items", draft_body("Today's post"), {{"Idempotency-Key", "today"}});
    CHECK(retry.status == 201);
    CHECK(retry.json()["id"] == first.json()["id"]);
    CHECK(count(server.db_path, "SELECT COUNT(*) FROM items") == 1);

    // The trail is whole: signoff audit verify passes on the store.
    CHECK(server.process->terminate() == 0);
    auto verify = run_signoff({"audit", "verify", "--db", server.db_path});
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
}
