#pragma once
// Local wall-clock arithmetic for the daily digest (SPEC §7), safe across daylight-saving
// changes. Instants stay UTC milliseconds; the IANA zone only decides which instant a local
// time names. Pure functions of their arguments (the zone database is read-only data).

#include "bot/core/time.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace signoff {

// The first instant strictly after `now` at which the wall clock in `timezone` reads `hh_mm`
// ("09:30"). A local time skipped by a DST jump gives the instant the clocks jump to (02:30 on
// New York's spring-forward day → 03:00 EDT); a repeated one gives the earlier of the two, so a
// day never gets two. Throws std::invalid_argument for `hh_mm` not "HH:MM" within 00:00–23:59,
// and std::runtime_error for an unknown zone (config validation refuses both at start).
millis next_daily_at(std::string const& timezone, std::string const& hh_mm, millis now);

// The local calendar date "YYYY-MM-DD" of `instant` in `timezone`, e.g. to key "one digest per
// person per local day". Throws std::runtime_error for an unknown zone.
std::string local_date(std::string const& timezone, millis instant);

// The instant local midnight starts the date "YYYY-MM-DD" in `timezone` (a midnight skipped by
// DST: the first instant of that day); nullopt when `date` is not a valid calendar date.
// Throws std::runtime_error for an unknown zone.
std::optional<millis> local_day_start(std::string const& timezone, std::string_view date);

}  // namespace signoff
