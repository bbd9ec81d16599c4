#include "store/outbox.hpp"

namespace signoff::store {

namespace {
constexpr std::string_view insert_sql =
    "INSERT INTO outbox (channel, recipient, address, purpose, item_id, revision, payload, status, priority, "
    "attempts, next_attempt_ms, platform_message_id, last_error, created_ms, updated_ms) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view columns =
    "id, channel, recipient, address, purpose, item_id, revision, payload, status, attempts, next_attempt_ms, "
    "platform_message_id, last_error, created_ms, priority";

outbox_message read_message(sqlite::statement& s) {
    outbox_message m;
    m.id = s.column_int(0);
    m.channel = s.column_text(1);
    m.recipient = s.column_optional_text(2);
    m.address = s.column_optional_text(3);
    m.purpose = s.column_text(4);
    m.item = s.column_optional_int(5);
    if (auto r = s.column_optional_int(6)) m.revision = static_cast<int>(*r);
    m.payload = nlohmann::json::parse(s.column_text(7));
    m.status = s.column_text(8);
    m.attempts = static_cast<int>(s.column_int(9));
    m.next_attempt_at = s.column_int(10);
    m.platform_message_id = s.column_optional_text(11);
    m.last_error = s.column_optional_text(12);
    m.created_at = s.column_int(13);
    m.priority = static_cast<int>(s.column_int(14));
    return m;
}

std::vector<outbox_message> read_all(sqlite::statement& s) {
    std::vector<outbox_message> out;
    while (s.step()) out.push_back(read_message(s));
    return out;
}
}  // namespace

std::int64_t enqueue(write_tx& tx, outbox_message const& m) {
    tx.db.prepare(insert_sql)
        .bind(m.channel, m.recipient, m.address, m.purpose, m.item, m.revision, m.payload.dump(), m.status, m.priority,
              m.attempts, m.next_attempt_at, m.platform_message_id, m.last_error, m.created_at, m.created_at)
        .run();
    if (m.status == outbox_status::queued) tx.outbox_changed = true;
    return tx.db.last_insert_rowid();
}

std::vector<outbox_message> outbox_of_item(sqlite::database& db, std::int64_t item) {
    auto s = db.prepare("SELECT " + std::string(columns) + " FROM outbox WHERE item_id = ? ORDER BY id");
    s.bind(item);
    return read_all(s);
}

std::vector<outbox_message> outbox_after(sqlite::database& db, std::int64_t after, int limit) {
    auto s = db.prepare("SELECT " + std::string(columns) + " FROM outbox WHERE id > ? ORDER BY id LIMIT ?");
    s.bind(after, static_cast<std::int64_t>(limit));
    return read_all(s);
}

std::int64_t count_outbox(sqlite::database& db, std::string const& status) {
    auto s = db.prepare("SELECT COUNT(*) FROM outbox WHERE status = ?");
    s.bind(status);
    return s.step() ? s.column_int(0) : 0;
}

std::vector<outbox_message> due_messages(sqlite::database& db, millis now, int limit) {
    // One range of outbox_due_by_priority per priority: rows held for later never have to be
    // stepped over.
    static std::string const sql = "SELECT " + std::string(columns) +
                                   " FROM outbox WHERE status = 'queued' AND priority = ? AND next_attempt_ms <= ? "
                                   "ORDER BY next_attempt_ms, id LIMIT ?";
    std::vector<outbox_message> out;
    for (int priority = 0; priority <= outbox_priority::lowest && std::ssize(out) < limit; ++priority) {
        auto s = db.prepare(sql);
        s.bind(priority, now, static_cast<std::int64_t>(limit - std::ssize(out)));
        while (s.step()) out.push_back(read_message(s));
    }
    return out;
}

std::optional<millis> next_due_after(sqlite::database& db, millis now) {
    auto s = db.prepare("SELECT MIN(next_attempt_ms) FROM outbox WHERE status = 'queued' AND next_attempt_ms > ?");
    s.bind(now);
    if (!s.step() || s.column_is_null(0)) return std::nullopt;
    return s.column_int(0);
}

void mark_sent(write_tx& tx, std::int64_t id, int attempts, std::optional<std::string> const& platform_message_id,
               millis now, bool as_template, std::string const& sent_as) {
    tx.db.prepare("UPDATE outbox SET status = 'sent', attempts = ?, platform_message_id = ?, last_error = NULL, "
                  "updated_ms = ?, payload = CASE WHEN ? THEN json_set(payload, '$.as_template', json('true')) "
                  "ELSE payload END WHERE id = ?")
        .bind(attempts, platform_message_id, now, as_template, id)
        .run();
    if (!sent_as.empty())
        tx.db.prepare("UPDATE outbox SET payload = json_set(payload, '$.sent_as', ?) WHERE id = ?").bind(sent_as, id).run();
}

void reschedule(write_tx& tx, std::int64_t id, int attempts, millis next_attempt_at, std::string const& error,
                millis now) {
    tx.db.prepare("UPDATE outbox SET attempts = ?, next_attempt_ms = ?, last_error = ?, updated_ms = ? WHERE id = ?")
        .bind(attempts, next_attempt_at, error, now, id)
        .run();
    tx.outbox_changed = true;
}

void note_creatives_sent(write_tx& tx, std::int64_t id) {
    tx.db.prepare("UPDATE outbox SET payload = json_set(payload, '$.creatives_sent', json('true')) WHERE id = ?")
        .bind(id)
        .run();
}

void mark_dead(write_tx& tx, std::int64_t id, int attempts, std::string const& error, millis now) {
    tx.db.prepare("UPDATE outbox SET status = 'dead', attempts = ?, last_error = ?, updated_ms = ? WHERE id = ?")
        .bind(attempts, error, now, id)
        .run();
}

void defer(write_tx& tx, std::vector<deferral> const& rows, millis now) {
    for (auto const& row : rows)
        tx.db.prepare("UPDATE outbox SET next_attempt_ms = ?, updated_ms = ? WHERE id = ? AND status = 'queued'")
            .bind(row.until, now, row.id)
            .run();
}

std::vector<outbox_message> queued_cards_for_chat(sqlite::database& db, std::string const& channel,
                                                  std::string const& address, int limit) {
    auto s = db.prepare("SELECT " + std::string(columns) +
                        " FROM outbox WHERE status = 'queued' AND purpose = 'item_card' AND channel = ? AND address = ? "
                        "ORDER BY id LIMIT ?");
    s.bind(channel, address, static_cast<std::int64_t>(limit));
    return read_all(s);
}

void mark_listed(write_tx& tx, std::vector<std::int64_t> const& ids, std::int64_t head, millis now) {
    for (auto id : ids)
        tx.db.prepare("UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = NULL, updated_ms = ?, "
                      "payload = json_set(payload, '$.listed_with', ?) WHERE id = ? AND status = 'queued'")
            .bind(now, head, id)
            .run();
}

std::optional<outbox_message> find_outbox(sqlite::database& db, std::int64_t id) {
    auto s = db.prepare("SELECT " + std::string(columns) + " FROM outbox WHERE id = ?");
    s.bind(id);
    if (!s.step()) return std::nullopt;
    return read_message(s);
}

std::optional<outbox_message> find_by_platform_message(sqlite::database& db, std::string const& channel,
                                                       std::string const& address,
                                                       std::string const& platform_message_id) {
    auto s = db.prepare("SELECT " + std::string(columns) +
                        " FROM outbox WHERE channel = ? AND platform_message_id = ? AND address = ? "
                        "ORDER BY id DESC LIMIT 1");
    s.bind(channel, platform_message_id, address);
    if (!s.step()) return std::nullopt;
    return read_message(s);
}

std::optional<outbox_message> last_card_sent(sqlite::database& db, std::int64_t item, std::string const& recipient) {
    auto s = db.prepare("SELECT " + std::string(columns) +
                        " FROM outbox WHERE item_id = ? AND recipient = ? AND purpose = 'item_card' "
                        "AND status = 'sent' ORDER BY id DESC LIMIT 1");
    s.bind(item, recipient);
    if (!s.step()) return std::nullopt;
    return read_message(s);
}

std::vector<outbox_message> delivered_cards(sqlite::database& db, std::int64_t item) {
    auto s = db.prepare("SELECT " + std::string(columns) +
                        " FROM outbox WHERE item_id = ? AND purpose = 'item_card' AND status = 'sent' "
                        "AND platform_message_id IS NOT NULL ORDER BY id");
    s.bind(item);
    return read_all(s);
}

bool record_delivery_status(write_tx& tx, std::string const& channel, std::string const& platform_message_id,
                            std::string const& status, std::optional<std::string> const& error) {
    tx.db.prepare("UPDATE outbox SET delivery_status = ?, delivery_error = ? WHERE channel = ? AND "
                  "platform_message_id = ?")
        .bind(status, error, channel, platform_message_id)
        .run();
    return tx.db.changes() > 0;
}

}  // namespace signoff::store
