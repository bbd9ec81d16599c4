#pragma once
// The data a decision button carries, "<a|r|c>:<item>:<revision>" (e.g. "a:42:3"): written on
// every card, by every channel, and read back from presses. The revision is part of it so that
// a button from an older revision never decides a newer one.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signoff::buttons {

enum class decision { approve, reject, changes };

struct button_action {
    decision what;
    std::int64_t item;
    int revision;

    bool operator==(button_action const&) const = default;
};

constexpr std::size_t max_data_bytes = 64;  // the smallest platform limit (a chat button's callback data)

// At most 31 bytes. Precondition: item >= 1 and revision >= 1; otherwise throws std::invalid_argument.
std::string encode(button_action const& b);

// The inverse of encode and nothing else: accepts exactly the canonical text it writes
// (lowercase letter; decimal numbers with no sign, leading zero or space; item 1–18 digits,
// revision 1..INT_MAX), so decode(d) succeeds iff encode(*decode(d)) == d.
std::optional<button_action> decode(std::string_view data);

}  // namespace signoff::buttons
