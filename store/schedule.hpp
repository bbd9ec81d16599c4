#pragma once
// What the scheduler reads and the markers that make each timer and digest fire once.

#include "bot/core/time.hpp"
#include "store/sqlite.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace signoff::store {

// Open items not yet escalated to the last level whose due time is before `horizon` or that
// are urgent (their timers may be due), earliest due first.
std::vector<std::int64_t> items_with_timers_before(sqlite::database& db, millis horizon, int limit);

// Approved drafts whose publication reminder is due at `now` (publication_due_ms), earliest first.
std::vector<std::int64_t> publications_due(sqlite::database& db, millis now, int limit);

// Records that a timer fired; false when it had fired already (do nothing then).
bool claim_timer(sqlite::database& db, std::int64_t item, std::string const& kind, millis at, millis now);

// Records one digest per person and local date; false when it was sent already.
bool claim_digest(sqlite::database& db, std::string const& person, std::string const& local_date, millis now);

// People who have open items waiting for them.
std::vector<std::string> people_with_open_items(sqlite::database& db);

}  // namespace signoff::store
