#pragma once
// The audit trail: append-only events chained by hash (SPEC §8).
//   hash = hex(SHA-256(prev_hash ‖ canonical JSON of the event without prev_hash and hash))
// Canonical JSON is nlohmann's compact dump with keys sorted; prev_hash of the first event is
// 64 zeros. Only the writer appends, so the chain tip it holds is always the table's last row.

#include "bot/core/time.hpp"
#include "store/writer.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace signoff::store {

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
chain_tip load_chain_tip(sqlite::database& db);

// Appends in the caller's transaction; returns the new event's id.
std::int64_t append_event(write_tx& tx, event_record const& event);

// Events as SPEC §5 objects, oldest first.
std::vector<nlohmann::json> events_after(sqlite::database& db, std::int64_t after, int limit);
std::vector<nlohmann::json> events_of_item(sqlite::database& db, std::int64_t item);

struct chain_report {
    std::int64_t checked = 0;                 // events verified before the first break
    std::optional<std::int64_t> broken_id;    // the first event that does not verify
    std::string reason;
};
chain_report verify_chain(sqlite::database& db);

}  // namespace signoff::store
