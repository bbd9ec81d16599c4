#include "bot/engine/digest_time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace signoff {

namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

minutes parse_clock_time(std::string const& hh_mm) {
    auto const m = parse_hh_mm(hh_mm);
    if (!m) throw std::invalid_argument("expected a time \"HH:MM\" from 00:00 to 23:59, got \"" + hh_mm + "\"");
    return minutes{*m};
}

// The UTC instant a local time names: for a gap, the end of the gap (the transition instant);
// for an overlap, the earlier reading.
date::sys_time<milliseconds> resolve(date::time_zone const& zone, date::local_time<milliseconds> local) {
    auto const info = zone.get_info(local);
    switch (info.result) {
        case date::local_info::nonexistent:
            return date::sys_time<milliseconds>{info.second.begin};
        case date::local_info::ambiguous:
        case date::local_info::unique:
        default:
            return date::sys_time<milliseconds>{local.time_since_epoch() - info.first.offset};
    }
}

}  // namespace

millis next_daily_at(std::string const& timezone, std::string const& hh_mm, millis now) {
    auto const time_of_day = parse_clock_time(hh_mm);
    auto const* zone = date::locate_zone(timezone);
    date::sys_time<milliseconds> const now_tp{milliseconds{now}};
    auto const today = date::floor<date::days>(zone->to_local(now_tp));
    // Today's candidate may precede `now`, and so may tomorrow's when `now` is late in the day
    // and the clocks go back in between; the one two local days on never does.
    for (int d = 0; d < 3; ++d) {
        auto const local = date::local_time<milliseconds>{today + date::days{d} + time_of_day};
        auto const instant = resolve(*zone, local);
        if (instant > now_tp) return instant.time_since_epoch().count();
    }
    throw std::logic_error("next_daily_at: no candidate within three local days");
}

std::string local_date(std::string const& timezone, millis instant) {
    auto const* zone = date::locate_zone(timezone);
    auto const local = zone->to_local(date::sys_time<milliseconds>{milliseconds{instant}});
    date::year_month_day const ymd{date::floor<date::days>(local)};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
}

std::optional<millis> local_day_start(std::string const& timezone, std::string_view text) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) return std::nullopt;
    if (std::sscanf(std::string(text).c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
    date::year_month_day const ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok()) return std::nullopt;
    auto const* zone = date::locate_zone(timezone);
    auto const local = date::local_time<milliseconds>{date::local_days{ymd}.time_since_epoch()};
    return resolve(*zone, local).time_since_epoch().count();
}

}  // namespace signoff
