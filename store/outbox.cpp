#include "store/outbox.hpp"

namespace signoff::store {

namespace {
constexpr std::string_view insert_sql =
    "INSERT INTO outbox (channel, recipient, address, purpose, item_id, revision, payload, status, attempts, "
    "next_attempt_ms, platform_message_id, last_error, created_ms, updated_ms) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view columns =
    "id, channel, recipient, address, purpose, item_id, revision, payload, status, attempts, next_attempt_ms, "
    "platform_message_id, last_error, created_ms";

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
        .bind(m.channel, m.recipient, m.address, m.purpose, m.item, m.revision, m.payload.dump(), m.status, m.attempts,
              m.next_attempt_at, m.platform_message_id, m.last_error, m.created_at, m.created_at)
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

}  // namespace signoff::store
