#include "store/audit.hpp"

#include "bot/core/crypto.hpp"

namespace signoff::store {

namespace {

constexpr std::string_view insert_event_sql =
    "INSERT INTO events (id, at_ms, type, item_id, revision, actor, on_behalf_of, recorded_by, channel, "
    "platform_message_id, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view select_events_after_sql =
    "SELECT id, at_ms, type, item_id, revision, actor, on_behalf_of, recorded_by, channel, platform_message_id, "
    "data, prev_hash, hash FROM events WHERE id > ? ORDER BY id LIMIT ?";
constexpr std::string_view select_events_of_item_sql =
    "SELECT id, at_ms, type, item_id, revision, actor, on_behalf_of, recorded_by, channel, platform_message_id, "
    "data, prev_hash, hash FROM events WHERE item_id = ? ORDER BY id";
constexpr std::string_view select_tip_sql = "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1";

template <class T>
nlohmann::json or_null(std::optional<T> const& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// The hashed part of an event: everything but prev_hash and hash.
nlohmann::json hashed_fields(std::int64_t id, event_record const& e) {
    return {{"id", id},
            {"at", rfc3339(e.at)},
            {"type", e.type},
            {"item", or_null(e.item)},
            {"revision", or_null(e.revision)},
            {"actor", or_null(e.actor)},
            {"on_behalf_of", or_null(e.on_behalf_of)},
            {"recorded_by", or_null(e.recorded_by)},
            {"channel", or_null(e.channel)},
            {"platform_message_id", or_null(e.platform_message_id)},
            {"data", e.data}};
}

std::string chain_hash(std::string const& prev_hash, nlohmann::json const& fields) {
    return crypto::sha256_hex(prev_hash + fields.dump());
}

struct row {
    std::int64_t id;
    event_record event;
    std::string prev_hash;
    std::string hash;
};

row read_row(sqlite::statement& s) {
    row r;
    r.id = s.column_int(0);
    r.event.at = s.column_int(1);
    r.event.type = s.column_text(2);
    r.event.item = s.column_optional_int(3);
    if (auto rev = s.column_optional_int(4)) r.event.revision = static_cast<int>(*rev);
    r.event.actor = s.column_optional_text(5);
    r.event.on_behalf_of = s.column_optional_text(6);
    r.event.recorded_by = s.column_optional_text(7);
    r.event.channel = s.column_optional_text(8);
    r.event.platform_message_id = s.column_optional_text(9);
    r.event.data = nlohmann::json::parse(s.column_text(10), nullptr, false);
    r.prev_hash = s.column_text(11);
    r.hash = s.column_text(12);
    return r;
}

nlohmann::json to_json(row const& r) {
    auto out = hashed_fields(r.id, r.event);
    out["prev_hash"] = r.prev_hash;
    out["hash"] = r.hash;
    return out;
}

}  // namespace

std::string const& genesis_hash() {
    static std::string const zeros(64, '0');
    return zeros;
}

chain_tip load_chain_tip(sqlite::database& db) {
    auto s = db.prepare(select_tip_sql);
    if (!s.step()) return {0, genesis_hash()};
    return {s.column_int(0), s.column_text(1)};
}

std::int64_t append_event(write_tx& tx, event_record const& e) {
    std::int64_t id = tx.tip.last_id + 1;
    std::string hash = chain_hash(tx.tip.hash, hashed_fields(id, e));
    tx.db.prepare(insert_event_sql)
        .bind(id, e.at, e.type, e.item, e.revision, e.actor, e.on_behalf_of, e.recorded_by, e.channel,
              e.platform_message_id, e.data.dump(), tx.tip.hash, hash)
        .run();
    tx.tip = {id, std::move(hash)};
    return id;
}

std::vector<nlohmann::json> events_after(sqlite::database& db, std::int64_t after, int limit) {
    std::vector<nlohmann::json> out;
    auto s = db.prepare(select_events_after_sql);
    s.bind(after, limit);
    while (s.step()) out.push_back(to_json(read_row(s)));
    return out;
}

std::vector<nlohmann::json> events_of_item(sqlite::database& db, std::int64_t item) {
    std::vector<nlohmann::json> out;
    auto s = db.prepare(select_events_of_item_sql);
    s.bind(item);
    while (s.step()) out.push_back(to_json(read_row(s)));
    return out;
}

chain_report verify_chain(sqlite::database& db) {
    chain_report report;
    std::string expected_prev = genesis_hash();
    std::int64_t expected_id = 1;
    auto s = db.prepare("SELECT id, at_ms, type, item_id, revision, actor, on_behalf_of, recorded_by, channel, "
                        "platform_message_id, data, prev_hash, hash FROM events ORDER BY id");
    while (s.step()) {
        row r = read_row(s);
        auto fail = [&](std::string reason) {
            report.broken_id = r.id;
            report.reason = std::move(reason);
            return report;
        };
        if (r.id != expected_id) return fail("event " + std::to_string(expected_id) + " is missing");
        if (r.event.data.is_discarded()) return fail("its data is not valid JSON");
        if (r.prev_hash != expected_prev) return fail("prev_hash does not match the hash of the event before it");
        if (chain_hash(r.prev_hash, hashed_fields(r.id, r.event)) != r.hash)
            return fail("its content does not match its hash");
        expected_prev = r.hash;
        ++expected_id;
        ++report.checked;
    }
    return report;
}

}  // namespace signoff::store
