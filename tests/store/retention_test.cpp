#include "store/audit.hpp"
#include "store/items.hpp"
#include "store/keys.hpp"
#include "store/outbox.hpp"
#include "store/retention.hpp"
#include "store/strangers.hpp"
#include "store/writer.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace signoff;

namespace {
constexpr millis day = 24 * ms_per_hour;
constexpr millis now = 400 * day;
constexpr millis old = now - 31 * day;     // past a 30-day retention
constexpr millis recent = now - 29 * day;  // within it
constexpr store::retention_cutoffs thirty_days{.outbox_before = now - 30 * day, .inbound_before = now - 30 * day};

std::int64_t count(sqlite::database& db, std::string const& sql) {
    auto s = db.prepare(sql);
    return s.step() ? s.column_int(0) : -1;
}

std::int64_t add_item(store::write_tx& tx, std::string status) {
    item it;
    it.kind = "draft";
    it.status = std::move(status);
    it.role = "role-a";
    it.submitted_by = "test";
    it.assignee = "head-a";
    return store::insert_item(tx.db, it);
}

std::int64_t add_message(store::write_tx& tx, std::string status, millis at, std::optional<std::int64_t> item_id) {
    store::outbox_message m;
    m.channel = "telegram";
    m.recipient = "head-a";
    m.address = "100";
    m.purpose = item_id ? "item_card" : "chat_reply";
    m.item = item_id;
    m.payload = {{"text", "hello"}};
    m.status = std::move(status);
    m.next_attempt_at = at;
    m.created_at = at;  // a row's last change (updated_ms) starts as its creation
    return store::enqueue(tx, m);
}

void add_event(store::write_tx& tx, millis at) {
    store::event_record e;
    e.at = at;
    e.type = "approved";
    e.item = 1;
    e.data = nlohmann::json::object();
    store::append_event(tx, e);
}
}  // namespace

TEST_CASE("Retention deletes finished outbox rows and keys past their age, and never an audit event",
          "[store][retention]") {
    test::temp_dir tmp;
    auto path = (tmp.path() / "signoff.db").string();
    store::writer w(path, "normal");
    std::int64_t open_item = 0, closed_item = 0;
    w.write_sync([&](store::write_tx& tx) {
        open_item = add_item(tx, "pending");
        closed_item = add_item(tx, "approved");
        for (auto status : {"sent", "dead", "undeliverable", "queued"}) {
            add_message(tx, status, old, std::nullopt);
            add_message(tx, status, recent, std::nullopt);
        }
        add_message(tx, "sent", old, closed_item);
        add_message(tx, "sent", old, open_item);  // the card of an item still waiting for its head
        store::claim_inbound_key(tx.db, "telegram", "1", old);
        store::claim_inbound_key(tx.db, "whatsapp", "wamid.1", old);
        store::claim_inbound_key(tx.db, "telegram", "2", recent);
        store::save_idempotent(tx.db, "agency", "old-key", {"hash", 201, "{}"}, old);
        store::save_idempotent(tx.db, "agency", "new-key", {"hash", 201, "{}"}, recent);
        store::claim_stranger_refusal(tx.db, "telegram", "999", old);
        store::claim_stranger_refusal(tx.db, "telegram", "998", recent);
        for (int i = 0; i < 10; ++i) add_event(tx, old - i * day);
    });

    store::pruned_rows pruned;
    w.write_sync([&](store::write_tx& tx) { pruned = store::prune(tx.db, thirty_days, 500); });
    CHECK(pruned.outbox == 4);  // sent, dead and undeliverable without an item, and the closed item's card
    CHECK(pruned.inbound_keys == 2);
    CHECK(pruned.idempotency == 1);
    CHECK(pruned.stranger_refusals == 1);

    sqlite::database db(path, {.read_only = true});
    SECTION("old finished rows go; queued rows, recent rows and an open item's card stay") {
        CHECK(count(db, "SELECT COUNT(*) FROM outbox WHERE updated_ms < " + std::to_string(now - 30 * day) +
                            " AND status <> 'queued' AND (item_id IS NULL OR item_id <> " +
                            std::to_string(open_item) + ")") == 0);
        CHECK(count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'queued'") == 2);
        CHECK(count(db, "SELECT COUNT(*) FROM outbox WHERE updated_ms = " + std::to_string(recent)) == 4);
        CHECK(count(db, "SELECT COUNT(*) FROM outbox WHERE item_id = " + std::to_string(open_item)) == 1);
        CHECK(store::outbox_of_item(db, closed_item).empty());
    }
    SECTION("old dedupe and idempotency keys go, recent ones stay and still refuse a replay") {
        CHECK(count(db, "SELECT COUNT(*) FROM inbound_keys") == 1);
        CHECK(count(db, "SELECT chat FROM stranger_refusals") == 998);
        CHECK(store::find_idempotent(db, "agency", "new-key"));
        CHECK_FALSE(store::find_idempotent(db, "agency", "old-key"));
        bool replay_claimed = true;
        w.write_sync([&](store::write_tx& tx) {
            replay_claimed = store::claim_inbound_key(tx.db, "telegram", "2", now);
        });
        CHECK_FALSE(replay_claimed);
    }
    SECTION("a key past retention is forgotten: the same update id is then taken as new") {
        // Safe only because no platform retries that late: validation keeps
        // store.inbound_retention_days at 7 days or more (WhatsApp's retry horizon).
        bool claimed = false;
        w.write_sync([&](store::write_tx& tx) { claimed = store::claim_inbound_key(tx.db, "telegram", "1", now); });
        CHECK(claimed);
    }
    SECTION("every audit event stays, and the chain still verifies") {
        CHECK(count(db, "SELECT COUNT(*) FROM events") == 10);
        auto report = store::verify_chain(db);
        CHECK_FALSE(report.broken_id);
        CHECK(report.checked == 10);
    }
    SECTION("a second pass finds nothing more") {
        w.write_sync([&](store::write_tx& tx) { pruned = store::prune(tx.db, thirty_days, 500); });
        CHECK(pruned.total() == 0);
    }
}

TEST_CASE("Retention deletes in bounded batches, oldest first", "[store][retention]") {
    test::temp_dir tmp;
    auto path = (tmp.path() / "signoff.db").string();
    store::writer w(path, "normal");
    w.write_sync([&](store::write_tx& tx) {
        for (int i = 0; i < 1200; ++i) {
            store::claim_inbound_key(tx.db, "telegram", std::to_string(i), old - (1200 - i));  // key 0 is the oldest
            add_message(tx, "sent", old - (1200 - i), std::nullopt);
        }
    });
    sqlite::database db(path, {.read_only = true});
    std::vector<int> batches;
    std::vector<std::int64_t> oldest_left;
    for (int pass = 0; pass < 4; ++pass) {
        w.write_sync([&](store::write_tx& tx) {
            auto p = store::prune(tx.db, thirty_days, 500);
            CHECK(p.outbox == p.inbound_keys);
            batches.push_back(p.inbound_keys);
        });
        oldest_left.push_back(count(db, "SELECT COALESCE(MIN(at_ms), 0) FROM inbound_keys"));
    }
    CHECK(batches == std::vector<int>{500, 500, 200, 0});
    CHECK(oldest_left == std::vector<std::int64_t>{old - 700, old - 200, 0, 0});
}
