#pragma once
// Senders outside the directory: when each chat last got the bot's refusal, so a stranger who
// writes a hundred times gets one answer, not a hundred (SPEC §8: at most one per chat per 10 minutes).

#include "bot/core/time.hpp"
#include "store/sqlite.hpp"

#include <string>

namespace signoff::store {

inline constexpr millis stranger_refusal_interval = 10 * ms_per_minute;

// Records a refusal to `chat` on `channel` at `now` and returns true, unless one was recorded
// less than stranger_refusal_interval before `now` (then returns false and records nothing).
bool claim_stranger_refusal(sqlite::database& db, std::string const& channel, std::string const& chat, millis now);

}  // namespace signoff::store
