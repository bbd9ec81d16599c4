#pragma once
// Instants are Unix milliseconds (UTC) everywhere inside signoff; RFC 3339 only at the edges.
// `clock` is the one place that reads the real time, so tests can move it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signoff {

using millis = std::int64_t;

constexpr millis ms_per_second = 1000;
constexpr millis ms_per_minute = 60 * ms_per_second;
constexpr millis ms_per_hour = 60 * ms_per_minute;

millis hours_to_ms(double hours);
millis minutes_to_ms(double minutes);

// "2026-11-22T10:00:00Z"; milliseconds are shown only when not zero ("…:00.250Z").
std::string rfc3339(millis instant);

// Accepts "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)" ('t'/'z' and a space separator too).
std::optional<millis> parse_rfc3339(std::string_view text);

// Minutes after midnight of a wall-clock time "HH:MM" from "00:00" to "23:59" (two digits
// each, as in config's sla.digest_at); nullopt for anything else ("9:30", "24:00", "12:60").
std::optional<int> parse_hh_mm(std::string_view text);

class clock {
public:
    virtual ~clock() = default;
    virtual millis now() const = 0;
};

class system_clock final : public clock {
public:
    millis now() const override;
};

}  // namespace signoff
