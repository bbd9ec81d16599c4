#include "store/schema.hpp"

#include <array>
#include <string>
#include <string_view>

namespace signoff::store {

namespace {

// Times are Unix milliseconds (UTC). JSON columns hold nlohmann-compatible text.
constexpr std::string_view v1_core = R"sql(
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    role TEXT NOT NULL,
    assignee TEXT,
    revision INTEGER NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0,
    due_ms INTEGER NOT NULL,
    interim_due_ms INTEGER,
    external_ref TEXT,
    submitted_by TEXT NOT NULL,
    doc TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE INDEX items_by_assignee_due ON items (assignee, due_ms) WHERE status IN ('pending', 'open', 'acknowledged');
CREATE INDEX items_by_status ON items (status, id);
CREATE INDEX items_by_role ON items (role, id);

CREATE TABLE revisions (
    item_id INTEGER NOT NULL REFERENCES items (id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    media TEXT NOT NULL,
    note TEXT,
    checks TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (item_id, number)
) WITHOUT ROWID;

CREATE TABLE steps (
    item_id INTEGER NOT NULL REFERENCES items (id),
    revision INTEGER NOT NULL,
    position INTEGER NOT NULL,
    spec TEXT NOT NULL,
    person TEXT NOT NULL,
    for_person TEXT,
    status TEXT NOT NULL,
    decided_by TEXT,
    decided_ms INTEGER,
    note TEXT,
    PRIMARY KEY (item_id, revision, position)
) WITHOUT ROWID;
CREATE INDEX steps_pending_by_person ON steps (person) WHERE status = 'pending';

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    type TEXT NOT NULL,
    item_id INTEGER,
    revision INTEGER,
    actor TEXT,
    on_behalf_of TEXT,
    recorded_by TEXT,
    channel TEXT,
    platform_message_id TEXT,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX events_by_item ON events (item_id, id);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    recipient TEXT,
    address TEXT,
    purpose TEXT NOT NULL,
    item_id INTEGER,
    revision INTEGER,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    platform_message_id TEXT,
    last_error TEXT,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_ms) WHERE status = 'queued';
CREATE INDEX outbox_by_platform_id ON outbox (channel, platform_message_id) WHERE platform_message_id IS NOT NULL;

CREATE TABLE inbound_keys (
    channel TEXT NOT NULL,
    key TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (channel, key)
) WITHOUT ROWID;

CREATE TABLE idempotency (
    key_name TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (key_name, idem_key)
) WITHOUT ROWID;

CREATE TABLE availability (
    person TEXT PRIMARY KEY,
    away INTEGER NOT NULL,
    until_ms INTEGER,
    updated_ms INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// What platforms report about delivered messages, when each person last wrote to the bot on a
// channel (WhatsApp lets a business send free text only within 24 hours of that), and the
// markers that make timers and digests fire once.
constexpr std::string_view v2_delivery = R"sql(
ALTER TABLE outbox ADD COLUMN delivery_status TEXT;
ALTER TABLE outbox ADD COLUMN delivery_error TEXT;
CREATE TABLE contacts (
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    last_inbound_ms INTEGER,
    window_closed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (channel, address)
) WITHOUT ROWID;

-- One row per timer that fired (reminder, escalation…) and per digest sent, so neither fires
-- twice, across restarts too.
CREATE TABLE timers_fired (
    item_id INTEGER NOT NULL REFERENCES items (id),
    kind TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    fired_ms INTEGER NOT NULL,
    PRIMARY KEY (item_id, kind, at_ms)
) WITHOUT ROWID;
CREATE TABLE digests_sent (
    person TEXT NOT NULL,
    local_date TEXT NOT NULL,
    sent_ms INTEGER NOT NULL,
    PRIMARY KEY (person, local_date)
) WITHOUT ROWID;
CREATE INDEX items_open_by_due ON items (due_ms) WHERE status IN ('pending', 'open', 'acknowledged');
)sql";

// The escalation level as a column, so the scheduler's scan can leave out items that have
// escalated as far as they go (they have no timers left).
constexpr std::string_view v3_escalation = R"sql(
ALTER TABLE items ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT 0;
UPDATE items SET escalation_level = COALESCE(json_extract(doc, '$.escalation_level'), 0);
CREATE INDEX items_with_timers ON items (due_ms)
    WHERE status IN ('pending', 'open', 'acknowledged') AND escalation_level < 2;
DROP INDEX items_open_by_due;
)sql";

// Indexes for what /metrics and /readyz read at every scrape: the queued outbox per channel
// (depth, oldest age) and the open items per role (count, overdue).
constexpr std::string_view v4_operations = R"sql(
CREATE INDEX outbox_queued_by_channel ON outbox (channel, created_ms) WHERE status = 'queued';
CREATE INDEX items_open_by_role ON items (role, due_ms) WHERE status IN ('pending', 'open', 'acknowledged');
)sql";

// The anchored audit trail (store/audit.hpp): each event about an item records the item's state
// after it, and the chain_keyed event (found by its own tiny index) marks where HMAC starts.
constexpr std::string_view v5_audit_anchor = R"sql(
ALTER TABLE events ADD COLUMN state TEXT;
CREATE INDEX events_chain_keyed ON events (id) WHERE type = 'chain_keyed';
)sql";

// Indexes for the outbox read by item on every decision and revision (the cards to edit, the
// last card an approver saw, an item's messages); for GET /api/v1/items by kind or assignee,
// newest first, in any status; and for retention: finished outbox rows, dedupe keys and
// idempotency keys by age, so pruning reads only what it deletes.
constexpr std::string_view v6_history = R"sql(
CREATE INDEX outbox_by_item ON outbox (item_id) WHERE item_id IS NOT NULL;
CREATE INDEX items_by_kind ON items (kind, id);
CREATE INDEX items_by_assignee ON items (assignee, id) WHERE assignee IS NOT NULL;
CREATE INDEX outbox_finished_by_age ON outbox (updated_ms) WHERE status IN ('sent', 'dead', 'undeliverable');
CREATE INDEX inbound_keys_by_age ON inbound_keys (at_ms);
CREATE INDEX idempotency_by_age ON idempotency (at_ms);
)sql";

// Fair delivery (SPEC §8): a priority per outbox row, set at enqueue by purpose (0 answers to a
// person's own command, 1 urgent, 2 cards and other routine messages, 3 digests and bulk), read
// in that order; the cards queued for one chat, to send them as one list when more than three
// wait; the cards delivered about an item, to mark only each person's latest one superseded;
// and the last refusal sent to each chat of a sender outside the directory (pruned by age).
constexpr std::string_view v7_fair_delivery = R"sql(
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 2;
UPDATE outbox SET priority = CASE
    WHEN purpose IN ('chat_reply', 'reason_prompt', 'press_answer', 'pending_list') THEN 0
    WHEN purpose = 'digest' THEN 3 ELSE 2 END
    WHERE status = 'queued';
CREATE INDEX outbox_due_by_priority ON outbox (priority, next_attempt_ms) WHERE status = 'queued';
CREATE INDEX outbox_queued_cards_by_chat ON outbox (channel, address) WHERE status = 'queued' AND purpose = 'item_card';
CREATE INDEX outbox_sent_cards_by_item ON outbox (item_id, recipient) WHERE status = 'sent' AND purpose = 'item_card';
CREATE TABLE stranger_refusals (
    channel TEXT NOT NULL,
    chat TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (channel, chat)
) WITHOUT ROWID;
CREATE INDEX stranger_refusals_by_age ON stranger_refusals (at_ms);
)sql";

// Uploaded creatives: what the bytes under media.dir are, found by their SHA-256 (lowercase hex).
constexpr std::string_view v8_media = R"sql(
CREATE TABLE media (
    sha256 TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    uploaded_by TEXT NOT NULL,
    uploaded_ms INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// The publication calendar (publish_ms: the planned time) and the publication reminder
// (publication_due_ms: set while an approved draft waits to be reported published); the SLA
// report reads items by creation time.
constexpr std::string_view v9_calendar = R"sql(
ALTER TABLE items ADD COLUMN publish_ms INTEGER;
ALTER TABLE items ADD COLUMN publication_due_ms INTEGER;
CREATE INDEX items_by_publish ON items (publish_ms) WHERE publish_ms IS NOT NULL;
CREATE INDEX items_publication_due ON items (publication_due_ms) WHERE publication_due_ms IS NOT NULL;
CREATE INDEX items_by_created ON items (created_ms);
)sql";

// The console's sign-in: one-time links and the sessions they open. Only SHA-256 hashes of the
// tokens are kept, so a copy of the database opens no session.
constexpr std::string_view v10_console_sessions = R"sql(
CREATE TABLE login_tokens (
    token_sha256 TEXT PRIMARY KEY,
    person TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    used_ms INTEGER
) WITHOUT ROWID;
CREATE INDEX login_tokens_by_expiry ON login_tokens (expires_ms);
CREATE TABLE sessions (
    id_sha256 TEXT PRIMARY KEY,
    person TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    ended_ms INTEGER
) WITHOUT ROWID;
CREATE INDEX sessions_by_expiry ON sessions (expires_ms);
CREATE INDEX sessions_by_person ON sessions (person);
)sql";

// The scheduler's look for timers each tick, as three ranges instead of one scan: interim
// reminders of open complaints and urgent escalations get partial indexes of their own beside
// items_with_timers (due), so a tick reads only the items whose timers are near, not every open
// item of the store (25,000 row lookups a second on the benchmark's year-old store).
constexpr std::string_view v11_timer_ranges = R"sql(
CREATE INDEX items_interim_timers ON items (interim_due_ms)
    WHERE status IN ('pending', 'open', 'acknowledged') AND escalation_level < 2 AND interim_due_ms IS NOT NULL;
CREATE INDEX items_urgent_timers ON items (due_ms)
    WHERE status IN ('pending', 'open', 'acknowledged') AND escalation_level < 2 AND urgent = 1;
)sql";

// The partial indexes of open items and of finished outbox rows, with their status sets as ORs
// of equalities. SQLite tests an IN list of three constants through a temporary table it builds
// each time a statement runs: an UPDATE of an item built ten (old and new row, five indexes) and
// each outbox write one, a fifth of an approval's time on the writer. The queries that read
// these indexes spell the sets the same way (store/items.hpp), so the planner still sees them.
constexpr std::string_view v12_status_sets = R"sql(
DROP INDEX items_by_assignee_due;
CREATE INDEX items_by_assignee_due ON items (assignee, due_ms)
    WHERE (status = 'pending' OR status = 'open' OR status = 'acknowledged');
DROP INDEX items_with_timers;
CREATE INDEX items_with_timers ON items (due_ms)
    WHERE (status = 'pending' OR status = 'open' OR status = 'acknowledged') AND escalation_level < 2;
DROP INDEX items_open_by_role;
CREATE INDEX items_open_by_role ON items (role, due_ms)
    WHERE (status = 'pending' OR status = 'open' OR status = 'acknowledged');
DROP INDEX items_interim_timers;
CREATE INDEX items_interim_timers ON items (interim_due_ms)
    WHERE (status = 'pending' OR status = 'open' OR status = 'acknowledged') AND escalation_level < 2
      AND interim_due_ms IS NOT NULL;
DROP INDEX items_urgent_timers;
CREATE INDEX items_urgent_timers ON items (due_ms)
    WHERE (status = 'pending' OR status = 'open' OR status = 'acknowledged') AND escalation_level < 2 AND urgent = 1;
DROP INDEX outbox_finished_by_age;
CREATE INDEX outbox_finished_by_age ON outbox (updated_ms)
    WHERE (status = 'sent' OR status = 'dead' OR status = 'undeliverable');
)sql";

constexpr std::array<std::string_view, 12> migrations = {v1_core,          v2_delivery,          v3_escalation,
                                                         v4_operations,    v5_audit_anchor,      v6_history,
                                                         v7_fair_delivery, v8_media,             v9_calendar,
                                                         v10_console_sessions, v11_timer_ranges, v12_status_sets};

int user_version(sqlite::database& db) {
    auto stmt = db.prepare("PRAGMA user_version");
    return stmt.step() ? static_cast<int>(stmt.column_int(0)) : 0;
}

}  // namespace

int schema_version() { return static_cast<int>(migrations.size()); }

void migrate(sqlite::database& db) {
    int current = user_version(db);
    if (current > schema_version())
        throw store_error("the database has schema version " + std::to_string(current) + " but this signoff knows only " +
                          std::to_string(schema_version()) + "; use a newer signoff");
    for (int version = current + 1; version <= schema_version(); ++version) {
        sqlite::transaction tx(db);
        db.exec(migrations[static_cast<std::size_t>(version - 1)]);
        db.exec("PRAGMA user_version = " + std::to_string(version));
        tx.commit();
    }
}

}  // namespace signoff::store
