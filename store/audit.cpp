#include "store/audit.hpp"

#include "bot/core/crypto.hpp"

#include <map>

namespace signoff::store {

namespace {

constexpr std::string_view insert_event_sql =
    "INSERT INTO events (id, at_ms, type, item_id, revision, actor, on_behalf_of, recorded_by, channel, "
    "platform_message_id, data, prev_hash, hash, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view select_events_after_sql =
    "SELECT id, at_ms, type, item_id, revision, actor, on_behalf_of, recorded_by, channel, platform_message_id, "
    "data, prev_hash, hash, state FROM events WHERE id > ? ORDER BY id LIMIT ?";
constexpr std::string_view select_events_of_item_sql =
    "SELECT id, at_ms, type, item_id, revision, actor, on_behalf_of, recorded_by, channel, platform_message_id, "
    "data, prev_hash, hash, state FROM events WHERE item_id = ? ORDER BY id";
constexpr std::string_view select_events_of_item_after_sql =
    "SELECT id, at_ms, type, item_id, revision, actor, on_behalf_of, recorded_by, channel, platform_message_id, "
    "data, prev_hash, hash, state FROM events WHERE item_id = ? AND id > ? ORDER BY id LIMIT ?";
constexpr std::string_view select_all_events_sql =
    "SELECT id, at_ms, type, item_id, revision, actor, on_behalf_of, recorded_by, channel, platform_message_id, "
    "data, prev_hash, hash, state FROM events ORDER BY id";
constexpr std::string_view select_last_event_sql =
    "SELECT id, at_ms, type, item_id, revision, actor, on_behalf_of, recorded_by, channel, platform_message_id, "
    "data, prev_hash, hash, state FROM events ORDER BY id DESC LIMIT 1";
constexpr std::string_view select_tip_sql = "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1";
constexpr std::string_view select_keyed_from_sql =
    "SELECT id FROM events WHERE type = 'chain_keyed' ORDER BY id LIMIT 1";
constexpr std::string_view select_item_state_sql = "SELECT status, revision, assignee FROM items WHERE id = ?";
constexpr std::string_view select_step_states_sql =
    "SELECT position, person, status FROM steps WHERE item_id = ? AND revision = ? ORDER BY position";
constexpr std::string_view select_all_items_sql = "SELECT id FROM items ORDER BY id";
constexpr std::string_view select_hash_of_sql = "SELECT hash FROM events WHERE id = ?";

template <class T>
nlohmann::json or_null(std::optional<T> const& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// The hashed part of an event: everything but prev_hash and hash; "state" only where recorded,
// so events from before it was recorded keep their hashes.
nlohmann::json hashed_fields(std::int64_t id, event_record const& e, nlohmann::json const& state) {
    nlohmann::json out = {{"id", id},
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
    if (!state.is_null()) out["state"] = state;
    return out;
}

// The one place an event's hash is computed; `key` empty: the plain scheme.
std::string chain_hash(std::string const& key, std::string const& prev_hash, nlohmann::json const& fields) {
    auto const text = prev_hash + fields.dump();
    return key.empty() ? crypto::sha256_hex(text) : crypto::hmac_sha256_hex(key, text);
}

// The item and its current revision's steps as the tables hold them now; null when no such item.
nlohmann::json item_state(sqlite::database& db, std::int64_t item) {
    auto s = db.prepare(select_item_state_sql);
    s.bind(item);
    if (!s.step()) return nullptr;
    auto const revision = s.column_int(1);
    nlohmann::json state = {{"status", s.column_text(0)},
                            {"revision", revision},
                            {"assignee", or_null(s.column_optional_text(2))},
                            {"steps", nlohmann::json::array()}};
    auto steps = db.prepare(select_step_states_sql);
    steps.bind(item, revision);
    while (steps.step())
        state["steps"].push_back(
            {{"position", steps.column_int(0)}, {"person", steps.column_text(1)}, {"status", steps.column_text(2)}});
    return state;
}

struct row {
    std::int64_t id;
    event_record event;
    std::string prev_hash;
    std::string hash;
    nlohmann::json state;  // null when not recorded; discarded when not valid JSON
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
    if (auto state = s.column_optional_text(13)) r.state = nlohmann::json::parse(*state, nullptr, false);
    return r;
}

nlohmann::json to_json(row const& r) {
    auto out = hashed_fields(r.id, r.event, r.state);
    out["prev_hash"] = r.prev_hash;
    out["hash"] = r.hash;
    return out;
}

std::vector<nlohmann::json> read_events(sqlite::statement& s) {
    std::vector<nlohmann::json> out;
    while (s.step()) out.push_back(to_json(read_row(s)));
    return out;
}

std::optional<std::int64_t> keyed_from(sqlite::database& db) {
    auto s = db.prepare(select_keyed_from_sql);
    return s.step() ? std::optional<std::int64_t>(s.column_int(0)) : std::nullopt;
}

std::string key_hint() { return "set SIGNOFF_AUDIT_KEY (audit.key)"; }

}  // namespace

std::string const& genesis_hash() {
    static std::string const zeros(64, '0');
    return zeros;
}

chain_tip load_chain_tip(sqlite::database& db, std::string const& key) {
    chain_tip tip{0, genesis_hash(), key, false};
    auto const from = keyed_from(db);
    if (from && key.empty())
        throw store_error("the audit chain is keyed from event " + std::to_string(*from) +
                          " on; the server needs its key to extend it: " + key_hint());
    auto s = db.prepare(select_last_event_sql);
    if (!s.step()) return tip;
    row last = read_row(s);
    tip.last_id = last.id;
    tip.hash = last.hash;
    tip.keyed = from.has_value();
    if (tip.keyed && chain_hash(key, last.prev_hash, hashed_fields(last.id, last.event, last.state)) != last.hash)
        throw store_error("audit.key is not the key the audit chain is keyed with: its last event (" +
                          std::to_string(last.id) +
                          ") does not verify under it (or was altered; run signoff audit verify)");
    return tip;
}

std::optional<std::int64_t> start_keyed_chain(write_tx& tx, millis now) {
    if (tx.tip.key.empty() || tx.tip.keyed) return std::nullopt;
    event_record e;
    e.at = now;
    e.type = chain_keyed_event;
    e.data = {{"scheme", "hmac-sha256"}, {"after", tx.tip.last_id}};
    return append_event(tx, e);
}

std::int64_t append_event(write_tx& tx, event_record const& e) {
    bool const keyed = tx.tip.keyed || e.type == chain_keyed_event;
    if (keyed && tx.tip.key.empty()) throw store_error("a keyed audit chain needs its key to be extended");
    std::int64_t const id = tx.tip.last_id + 1;
    nlohmann::json const state = e.item ? item_state(tx.db, *e.item) : nlohmann::json(nullptr);
    std::string hash = chain_hash(keyed ? tx.tip.key : std::string(), tx.tip.hash, hashed_fields(id, e, state));
    std::optional<std::string> state_text;
    if (!state.is_null()) state_text = state.dump();
    tx.db.prepare(insert_event_sql)
        .bind(id, e.at, e.type, e.item, e.revision, e.actor, e.on_behalf_of, e.recorded_by, e.channel,
              e.platform_message_id, e.data.dump(), tx.tip.hash, hash, state_text)
        .run();
    tx.tip.last_id = id;
    tx.tip.hash = std::move(hash);
    tx.tip.keyed = keyed;
    return id;
}

std::vector<nlohmann::json> events_after(sqlite::database& db, std::int64_t after, int limit) {
    auto s = db.prepare(select_events_after_sql);
    s.bind(after, limit);
    return read_events(s);
}

std::vector<nlohmann::json> events_of_item(sqlite::database& db, std::int64_t item) {
    auto s = db.prepare(select_events_of_item_sql);
    s.bind(item);
    return read_events(s);
}

std::vector<nlohmann::json> events_of_item_after(sqlite::database& db, std::int64_t item, std::int64_t after,
                                                 int limit) {
    auto s = db.prepare(select_events_of_item_after_sql);
    s.bind(item, after, limit);
    return read_events(s);
}

tip_ref read_tip(sqlite::database& db) {
    auto s = db.prepare(select_tip_sql);
    if (!s.step()) return {0, genesis_hash()};
    return {s.column_int(0), s.column_text(1)};
}

namespace {

// What the items and steps tables say of an item, against the state its latest event recorded.
std::optional<std::string> state_mismatch(sqlite::database& db, std::int64_t item, std::int64_t event,
                                          nlohmann::json const& recorded) {
    auto const now = item_state(db, item);
    auto const said = " but its latest event (" + std::to_string(event) + ") says ";
    for (char const* field : {"status", "revision", "assignee"})
        if (now[field] != recorded.value(field, nlohmann::json())) {
            return std::string(field) + " is " + now[field].dump() + said + recorded.value(field, nlohmann::json()).dump();
        }
    auto const& steps = recorded.value("steps", nlohmann::json::array());
    if (now["steps"] != steps) {
        return "the steps of revision " + now["revision"].dump() + " are " + now["steps"].dump() + said +
               steps.dump();
    }
    return std::nullopt;
}

}  // namespace

chain_report verify_chain(sqlite::database& db, verify_options const& options) {
    chain_report report;
    report.tip = {0, genesis_hash()};
    std::int64_t expected_id = 1;
    bool keyed = false;
    struct latest {
        std::int64_t event;
        nlohmann::json state;
    };
    std::map<std::int64_t, latest> items;  // item → its latest event

    auto s = db.prepare(select_all_events_sql);
    while (s.step()) {
        row r = read_row(s);
        auto fail = [&](std::string reason) {
            report.broken_id = r.id;
            report.reason = std::move(reason);
            return report;
        };
        if (r.id != expected_id) return fail("event " + std::to_string(expected_id) + " is missing");
        if (r.event.data.is_discarded()) return fail("its data is not valid JSON");
        if (r.state.is_discarded()) return fail("its recorded state is not valid JSON");
        if (r.prev_hash != report.tip.hash) return fail("prev_hash does not match the hash of the event before it");
        if (r.event.type == chain_keyed_event) {
            keyed = true;
            report.keyed_from = r.id;
        }
        if (keyed && options.key.empty())
            return fail("the chain is keyed from this event on; give its key: " + key_hint() +
                        " or --config");
        auto const fields = hashed_fields(r.id, r.event, r.state);
        if (chain_hash(keyed ? options.key : std::string(), r.prev_hash, fields) != r.hash) {
            if (keyed)
                return fail("its hash is not HMAC-SHA256 under the key given: another key, or the chain was rebuilt "
                            "without the key");
            return fail("its content does not match its hash");
        }
        if (r.event.item) items[*r.event.item] = {r.id, std::move(r.state)};
        report.tip = {r.id, r.hash};
        ++expected_id;
        ++report.checked;
    }

    if (!options.key.empty() && !keyed) {
        report.broken_id = report.tip.id + 1;
        report.reason = "a key was given but no event is keyed with it: the chain was rebuilt without the key, or "
                        "no server has run with this key yet";
        return report;
    }
    if (auto const& want = options.expected) {
        if (report.tip.id < want->id) {
            report.broken_id = report.tip.id + 1;
            report.reason = "the chain ends at event " + std::to_string(report.tip.id) + ", below the tip " +
                            std::to_string(want->id) + " given: its newest events were cut off";
            return report;
        }
        auto at = db.prepare(select_hash_of_sql);
        at.bind(want->id);
        if (want->id > 0 && (!at.step() || at.column_text(0) != want->hash)) {
            report.broken_id = want->id;
            report.reason = "its hash is not the tip's " + want->hash + ": the chain was rewritten up to here";
            return report;
        }
    }

    auto ids = db.prepare(select_all_items_sql);
    while (ids.step()) {
        auto const id = ids.column_int(0);
        auto const found = items.find(id);
        auto fail = [&](std::string reason) {
            report.broken_item = id;
            report.reason = std::move(reason);
            return report;
        };
        if (found == items.end()) return fail("it has no events");
        if (found->second.state.is_null()) {
            ++report.items_unrecorded;
        } else if (auto why = state_mismatch(db, id, found->second.event, found->second.state)) {
            return fail(*why);
        } else {
            ++report.items_checked;
        }
        items.erase(found);
    }
    if (!items.empty()) {
        report.broken_id = items.begin()->second.event;
        report.reason = "it names item #" + std::to_string(items.begin()->first) + ", which the store does not hold";
    }
    return report;
}

}  // namespace signoff::store
