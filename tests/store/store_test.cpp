#include "bot/core/crypto.hpp"
#include "bot/core/api_error.hpp"
#include "store/audit.hpp"
#include "store/items.hpp"
#include "store/keys.hpp"
#include "store/schedule.hpp"
#include "store/schema.hpp"
#include "store/writer.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

using namespace signoff;

namespace {
// A fresh database path in its own temporary directory, removed afterwards.
struct temp_db {
    std::filesystem::path dir;
    temp_db() {
        std::random_device rd;
        dir = std::filesystem::temp_directory_path() / ("signoff-store-" + std::to_string(rd()));
        std::filesystem::create_directories(dir);
    }
    ~temp_db() { std::filesystem::remove_all(dir); }
    std::string path() const { return (dir / "test.db").string(); }
};

std::string schema_text(sqlite::database& db) {
    std::string out;
    auto s = db.prepare("SELECT type, name, COALESCE(sql, '') FROM sqlite_master ORDER BY type, name");
    while (s.step()) out += s.column_text(0) + " " + s.column_text(1) + " " + s.column_text(2) + "\n";
    return out;
}

store::event_record sample_event(millis at, std::string type) {
    store::event_record e;
    e.at = at;
    e.type = std::move(type);
    e.actor = "head-a";
    e.data = {{"text", "ok ✅ 批准"}};
    return e;
}
}  // namespace

TEST_CASE("Migrations build the schema step by step and refuse a newer database", "[store][schema]") {
    temp_db tmp;
    SECTION("an empty database migrates to the latest version, the same as a fresh build") {
        sqlite::database a(tmp.path(), {});
        store::migrate(a);
        {
            auto version = a.prepare("PRAGMA user_version");
            REQUIRE(version.step());
            CHECK(version.column_int(0) == store::schema_version());
        }
        sqlite::database b((tmp.dir / "other.db").string(), {});
        store::migrate(b);
        CHECK(schema_text(a) == schema_text(b));
        store::migrate(a);  // idempotent
        CHECK(schema_text(a) == schema_text(b));
    }
    SECTION("a database from a newer signoff is refused") {
        sqlite::database db(tmp.path(), {});
        db.exec("PRAGMA user_version = 999");
        CHECK_THROWS_AS(store::migrate(db), store_error);
    }
}

TEST_CASE("The writer commits jobs in batches and a failing job rolls back alone", "[store][writer]") {
    temp_db tmp;
    store::writer w(tmp.path(), "full");

    SECTION("concurrent writers are grouped into fewer commits, and every job is durable") {
        constexpr int threads = 8, per_thread = 50;
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                for (int i = 0; i < per_thread; ++i)
                    w.write_sync([&](store::write_tx& tx) {
                        store::claim_inbound_key(tx.db, "test", std::to_string(t) + "-" + std::to_string(i), 1);
                    });
            });
        for (auto& t : pool) t.join();
        auto stats = w.stats();
        CHECK(stats.jobs == threads * per_thread);
        CHECK(stats.batches <= stats.jobs);
        sqlite::database reader(tmp.path(), {.read_only = true});
        auto count = reader.prepare("SELECT COUNT(*) FROM inbound_keys");
        REQUIRE(count.step());
        CHECK(count.column_int(0) == threads * per_thread);
    }
    SECTION("a job that throws leaves no trace, and its error reaches the caller") {
        CHECK_THROWS_AS(w.write_sync([](store::write_tx& tx) {
            store::append_event(tx, sample_event(1, "doomed"));
            throw api_error(409, "conflict", "no");
        }),
                        api_error);
        w.write_sync([](store::write_tx& tx) { store::append_event(tx, sample_event(2, "kept")); });
        sqlite::database reader(tmp.path(), {.read_only = true});
        auto events = store::events_after(reader, 0, 10);
        REQUIRE(events.size() == 1);
        CHECK(events[0]["type"] == "kept");
        CHECK(events[0]["id"] == 1);
        CHECK(events[0]["prev_hash"] == store::genesis_hash());
        CHECK_FALSE(store::verify_chain(reader).broken_id);
    }
    SECTION("duplicate inbound keys are refused inside the transaction") {
        bool first = false, second = true;
        w.write_sync([&](store::write_tx& tx) { first = store::claim_inbound_key(tx.db, "telegram", "42", 1); });
        w.write_sync([&](store::write_tx& tx) { second = store::claim_inbound_key(tx.db, "telegram", "42", 2); });
        CHECK(first);
        CHECK_FALSE(second);
    }
}

TEST_CASE("The audit chain detects an edited, removed or reordered event", "[store][audit]") {
    temp_db tmp;
    {
        store::writer w(tmp.path(), "full");
        for (int i = 0; i < 5; ++i)
            w.write_sync([i](store::write_tx& tx) { store::append_event(tx, sample_event(1000 + i, "e" + std::to_string(i))); });
    }
    sqlite::database db(tmp.path(), {});
    REQUIRE(store::verify_chain(db).checked == 5);
    db.exec("DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete");

    SECTION("the triggers keep the table append-only") {
        sqlite::database fresh((tmp.dir / "t.db").string(), {});
        store::migrate(fresh);
        fresh.exec("INSERT INTO events (id, at_ms, type, data, prev_hash, hash) VALUES (1, 1, 'x', '{}', '', '')");
        CHECK_THROWS_AS(fresh.exec("UPDATE events SET type = 'y'"), store_error);
        CHECK_THROWS_AS(fresh.exec("DELETE FROM events"), store_error);
    }
    SECTION("an edited field") {
        db.exec("UPDATE events SET actor = 'someone-else' WHERE id = 3");
        auto report = store::verify_chain(db);
        CHECK(report.broken_id == std::optional<std::int64_t>(3));
        CHECK(report.checked == 2);
    }
    SECTION("edited data") {
        db.exec("UPDATE events SET data = '{\"text\":\"forged\"}' WHERE id = 4");
        CHECK(store::verify_chain(db).broken_id == std::optional<std::int64_t>(4));
    }
    SECTION("a removed event") {
        db.exec("DELETE FROM events WHERE id = 2");
        auto report = store::verify_chain(db);
        CHECK(report.broken_id == std::optional<std::int64_t>(3));
        CHECK_THAT(report.reason, Catch::Contains("missing"));
    }
}

TEST_CASE("A keyed chain: HMAC from its chain_keyed event on, plain before, and the key never stored",
          "[store][audit]") {
    temp_db tmp;
    std::string const key = "unit-test-audit-key";
    {
        store::writer plain(tmp.path(), "normal");  // a store from before the key
        plain.write_sync([](store::write_tx& tx) { store::append_event(tx, sample_event(1, "before")); });
    }
    {
        store::writer keyed(tmp.path(), "normal", key);
        keyed.write_sync([](store::write_tx& tx) {
            CHECK(store::start_keyed_chain(tx, 2) == std::optional<std::int64_t>(2));
            CHECK_FALSE(store::start_keyed_chain(tx, 2).has_value());  // once
            store::append_event(tx, sample_event(3, "after"));
        });
    }
    sqlite::database db(tmp.path(), {});
    auto events = store::events_after(db, 0, 10);
    REQUIRE(events.size() == 3);
    // The canonical form: the exported event without prev_hash and hash, compact, keys sorted.
    auto hashed = [](nlohmann::json e) {
        auto prev = e["prev_hash"].get<std::string>();
        e.erase("prev_hash");
        e.erase("hash");
        return prev + e.dump();
    };
    CHECK(events[0]["hash"] == crypto::sha256_hex(hashed(events[0])));
    CHECK(events[1]["type"] == "chain_keyed");
    CHECK(events[1]["hash"] == crypto::hmac_sha256_hex(key, hashed(events[1])));
    CHECK(events[2]["hash"] == crypto::hmac_sha256_hex(key, hashed(events[2])));

    auto ok = store::verify_chain(db, {.key = key});
    CHECK(ok.ok());
    CHECK(ok.checked == 3);
    CHECK(ok.keyed_from == std::optional<std::int64_t>(2));
    CHECK(ok.tip.id == 3);
    CHECK(ok.tip.hash == events[2]["hash"]);
    CHECK(store::verify_chain(db).broken_id == std::optional<std::int64_t>(2));
    CHECK(store::verify_chain(db, {.key = "another"}).broken_id == std::optional<std::int64_t>(2));

    CHECK_THROWS_AS(store::load_chain_tip(db), store_error);
    CHECK_THROWS_AS(store::load_chain_tip(db, "another"), store_error);
    CHECK(store::load_chain_tip(db, key).keyed);
    auto stored = db.prepare("SELECT COUNT(*) FROM events WHERE data LIKE ? OR state LIKE ?");
    stored.bind("%" + key + "%", "%" + key + "%");
    REQUIRE(stored.step());
    CHECK(stored.column_int(0) == 0);
}

TEST_CASE("Being away ends by itself at the until instant", "[store][availability]") {
    store::availability open_ended{true, std::nullopt};
    store::availability until_noon{true, 1'000'000};
    store::availability back{false, std::nullopt};
    CHECK(open_ended.away_at(5'000'000));
    CHECK(until_noon.away_at(999'999));
    CHECK_FALSE(until_noon.away_at(1'000'000));
    CHECK_FALSE(until_noon.away_at(2'000'000));
    CHECK_FALSE(back.away_at(0));
}

TEST_CASE("Items escalated as far as they go do not crowd the scheduler's scan", "[store][schedule]") {
    temp_db tmp;
    store::writer w(tmp.path(), "normal");
    std::int64_t fresh_id = 0;
    w.write_sync([&](store::write_tx& tx) {
        item it;
        it.kind = "draft";
        it.status = item_status::pending;
        it.role = "role-a";
        it.submitted_by = "test";
        it.escalation_level = 2;
        for (int i = 0; i < 20; ++i) {
            it.due = 1000 + i;  // due long ago, and escalated to the observers already
            store::insert_item(tx.db, it);
        }
        it.escalation_level = 0;
        it.due = 5000;  // due later than all of them, but it still has timers
        fresh_id = store::insert_item(tx.db, it);
    });
    sqlite::database reader(tmp.path(), {.read_only = true});
    auto ids = store::items_with_timers_before(reader, 10'000, 5);
    CHECK(ids == std::vector<std::int64_t>{fresh_id});
}

TEST_CASE("WAL checkpoints run off the writer and keep the WAL bounded under a stream of commits",
          "[store][writer][checkpoint]") {
    temp_db tmp;
    store::writer w(tmp.path(), "off");
    auto const wal = tmp.path() + "-wal";
    // Each commit adds a row of about a page: left alone, the WAL would hold 40,000 frames.
    std::string const padding(3000, 'x');
    std::uintmax_t largest = 0;
    for (int i = 0; i < 20000; ++i) {
        w.write_sync([&](store::write_tx& tx) {
            store::claim_inbound_key(tx.db, "test", padding + std::to_string(i), 1000 + i);
        });
        if (i % 100 == 0 && std::filesystem::exists(wal)) largest = std::max(largest, std::filesystem::file_size(wal));
    }
    auto const frame = std::uintmax_t{4096 + 24};
    // The writer checkpoints past inline_frames; the WAL may grow on for as long as a
    // background copy it must not wait for is running.
    CHECK(largest <= store::checkpointer::inline_frames * 3 / 2 * frame);
    auto const stats = w.stats().checkpoints;
    CHECK(stats.background >= 1);
    // Every row is there, whichever connection copied it into the database file.
    sqlite::database check(tmp.path(), {.read_only = true});
    auto count = check.prepare("SELECT count(*) FROM inbound_keys WHERE channel = 'test'");
    REQUIRE(count.step());
    CHECK(count.column_int(0) == 20000);
}

TEST_CASE("A quiet writer gives its page cache back once per quiet spell", "[store][writer][idle]") {
    temp_db tmp;
    store::writer w(tmp.path(), "off");
    std::atomic<int> released{0};
    w.on_idle(std::chrono::milliseconds(100), [&] { ++released; });
    w.write_sync([](store::write_tx& tx) { store::claim_inbound_key(tx.db, "test", "one", 1); });
    for (int i = 0; i < 100 && released == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(released == 1);
    // Nothing more to give back until there has been work again.
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    CHECK(released == 1);
    w.write_sync([](store::write_tx& tx) { store::claim_inbound_key(tx.db, "test", "two", 2); });
    for (int i = 0; i < 100 && released == 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(released == 2);
    CHECK(w.stats().idle_releases == 2);
    // Jobs keep coming faster than the quiet spell: no release in between.
    for (int i = 0; i < 10; ++i) {
        w.write_sync([i](store::write_tx& tx) { store::claim_inbound_key(tx.db, "test", std::to_string(i), 3); });
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(released == 2);
}
