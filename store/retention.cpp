#include "store/retention.hpp"

namespace signoff::store {

namespace {
// Each DELETE picks its victims through an index on age, oldest first (SQLite here has no
// DELETE … LIMIT), and deletes them by primary key.
// The finished set spelt as outbox_finished_by_age spells it (migration 12), so it is read.
constexpr std::string_view prune_outbox_sql =
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE (status = 'sent' OR status = 'dead' OR "
    "status = 'undeliverable') AND updated_ms < ? AND (item_id IS NULL OR NOT EXISTS (SELECT 1 FROM items "
    "WHERE items.id = outbox.item_id AND items.status IN ('pending', 'open', 'acknowledged'))) "
    "ORDER BY updated_ms LIMIT ?)";
constexpr std::string_view prune_inbound_keys_sql =
    "DELETE FROM inbound_keys WHERE (channel, key) IN (SELECT channel, key FROM inbound_keys WHERE at_ms < ? "
    "ORDER BY at_ms LIMIT ?)";
constexpr std::string_view prune_idempotency_sql =
    "DELETE FROM idempotency WHERE (key_name, idem_key) IN (SELECT key_name, idem_key FROM idempotency "
    "WHERE at_ms < ? ORDER BY at_ms LIMIT ?)";
constexpr std::string_view prune_stranger_refusals_sql =
    "DELETE FROM stranger_refusals WHERE (channel, chat) IN (SELECT channel, chat FROM stranger_refusals "
    "WHERE at_ms < ? ORDER BY at_ms LIMIT ?)";

int delete_older(sqlite::database& db, std::string_view sql, millis before, int limit) {
    db.prepare(sql).bind(before, static_cast<std::int64_t>(limit)).run();
    return db.changes();
}
}  // namespace

pruned_rows prune(sqlite::database& db, retention_cutoffs const& cutoffs, int limit) {
    return {.outbox = delete_older(db, prune_outbox_sql, cutoffs.outbox_before, limit),
            .inbound_keys = delete_older(db, prune_inbound_keys_sql, cutoffs.inbound_before, limit),
            .idempotency = delete_older(db, prune_idempotency_sql, cutoffs.inbound_before, limit),
            .stranger_refusals = delete_older(db, prune_stranger_refusals_sql, cutoffs.inbound_before, limit)};
}

}  // namespace signoff::store
