#pragma once
// The audit trail: append-only events chained by hash (SPEC §8), anchored by a key.
//   plain:  hash = hex(SHA-256(prev_hash ‖ canonical JSON of the event without prev_hash and hash))
//   keyed:  hash = hex(HMAC-SHA256(audit.key, prev_hash ‖ the same canonical JSON))
// Canonical JSON is nlohmann's compact dump with keys sorted; prev_hash of the first event is
// 64 zeros. A store records its scheme in the chain itself: events before its first
// `chain_keyed` event are plain, that event and every later one are keyed. The key is never
// stored. An event about an item also records, under "state", the item's status, revision and
// assignee and its current revision's steps as they are after the event, so that verification
// can compare the items and steps tables with what the events say. Only the writer appends,
// through append_event, the one function that computes hashes.

#include "bot/core/time.hpp"
#include "store/writer.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace signoff::store {

inline constexpr std::string_view chain_keyed_event = "chain_keyed";

struct event_record {
    millis at = 0;
    std::string type;
    std::optional<std::int64_t> item;
    std::optional<int> revision;
    std::optional<std::string> actor;
    std::optional<std::string> on_behalf_of;
    std::optional<std::string> recorded_by;
    std::optional<std::string> channel;
    std::optional<std::string> platform_message_id;
    nlohmann::json data = nlohmann::json::object();
};

std::string const& genesis_hash();

// The tip the writer extends, hashed under `key` from the chain_keyed event on. Throws
// store_error when the key does not fit the store: no key for a keyed chain, or a key under
// which the keyed tip does not verify (another key, or a tampered tip).
chain_tip load_chain_tip(sqlite::database& db, std::string const& key = {});

// With a key, on a chain not keyed yet, appends the chain_keyed event from which every event is
// keyed; otherwise does nothing. Returns the id of the event appended.
std::optional<std::int64_t> start_keyed_chain(write_tx& tx, millis now);

// Appends in the caller's transaction; returns the new event's id.
std::int64_t append_event(write_tx& tx, event_record const& event);

// Events as SPEC §5 objects, oldest first ("state" only where recorded).
std::vector<nlohmann::json> events_after(sqlite::database& db, std::int64_t after, int limit);
std::vector<nlohmann::json> events_of_item(sqlite::database& db, std::int64_t item);
// At most `limit` events of an item with ids above `after`, oldest first.
std::vector<nlohmann::json> events_of_item_after(sqlite::database& db, std::int64_t item, std::int64_t after,
                                                 int limit);

// The newest event (0 and genesis_hash() for an empty trail), read by any connection.
struct tip_ref {
    std::int64_t id = 0;
    std::string hash;
};
tip_ref read_tip(sqlite::database& db);

struct verify_options {
    std::string key;                  // audit.key; empty: a keyed chain cannot be checked
    std::optional<tip_ref> expected;  // a tip kept elsewhere (--tip): the chain must reach it with that hash
};

struct chain_report {
    std::int64_t checked = 0;                  // events verified before the first break
    std::optional<std::int64_t> broken_id;     // the first event that does not verify
    std::optional<std::int64_t> broken_item;   // the first item whose state contradicts its events
    std::string reason;
    std::optional<std::int64_t> keyed_from;    // the chain_keyed event, when the chain has one
    std::int64_t items_checked = 0;            // items whose rows and steps match their latest event
    std::int64_t items_unrecorded = 0;         // items whose latest event predates recorded state
    tip_ref tip;                               // the last event checked
    bool ok() const { return !broken_id && !broken_item; }
};
chain_report verify_chain(sqlite::database& db, verify_options const& options = {});

}  // namespace signoff::store
