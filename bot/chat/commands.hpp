#pragma once
// The chat grammar of SPEC §6 as pure functions: a person's text message into a `command`, an
// `away until …` date into an instant, and the approve/reject/changes buttons' data to and from
// text. Nothing here knows a platform, the store or the clock, and no function throws on input.

#include "bot/core/command_words.hpp"
#include "bot/core/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signoff::chat {

using signoff::verb;  // the commands and their words: bot/core/command_words.hpp
using signoff::verb_name;

struct command {
    verb what;
    std::optional<std::int64_t> item;  // "#42" or "42" after the verb; absent when not given
    std::string rest;                  // the raw text after the id (note, reason, reply, person), trimmed; "" if none
    std::optional<std::string> until;  // away: the raw date/time text after "until"/"至"/"到", e.g. "2026-12-01"

    bool operator==(command const&) const = default;
};

// Reads one chat message. nullopt when the text is not valid UTF-8, is blank, or does not start
// with a command; the caller answers that with help.
//
// - The first word (split at Unicode white space, U+3000 included) must be a whole word of
//   command_words() after text::fold, so case, fullwidth forms and U+FE0F do not matter and "okay",
//   "approved" or "ok." are not commands. It may start with "/" (also "／"); after a "/" an
//   "@botname" suffix of [A-Za-z0-9_] is dropped (any other "@…" is no command). "/start"
//   and "?" mean help. Emoji aliases take skin tones ("👍🏽"); ✔/✔️ approve as ✅ does.
// - Verbs that name an item (approve, reject, changes, reply, interim, assign, show, history)
//   take it from the next word when that is "#<digits>" or "<digits>": 1–18 ASCII, fullwidth or
//   Devanagari digits, leading zeros allowed, one trailing "," "." ":" ";" "!" or "。" "、"
//   ignored. The id may be glued to the verb as "approve#42"; after a Chinese or emoji alias
//   also without "#": "批准42", "👍#42". A glued id must end the word ("批准42个" is no command).
// - A next word that tries to be an id but is not one ("#", "#abc", "-42", "+7", "42x", 19
//   digits) makes the whole message nullopt, so a mistyped id never falls back to the
//   quoted item. Any other text after the verb is `rest`, and the item stays absent.
// - pending, back and help take no id: all their text is `rest`. away takes "until DATE" ("iki DATE"),
//   "至 DATE", "到 DATE" (also glued: "休假到2026-12-01") or a word starting with a digit as
//   DATE; DATE is that word plus a following "HH:MM[:SS]" word. "away until" alone gives
//   until == "", so the caller can say the date is missing. Text after DATE is `rest`.
std::optional<command> parse_command(std::string_view text);

// The instant (UTC ms) of an away-until text, or nullopt when unparseable. Accepts
// "2026-12-01", "2026-12-01 18:00", "2026-12-01T18:00" (seconds optional, '/' as date
// separator, one-digit month/day/hour, fullwidth digits) as local time in the IANA zone `tz`
// (a date alone is 00:00 there), and full RFC 3339 with its own offset. A local time skipped
// by a DST change maps to the instant the clocks jump; a repeated one takes the earlier.
// Throws std::runtime_error when `tz` is not a known zone (config validation rules that out).
std::optional<millis> parse_until(std::string_view text, std::string const& tz);

// What a button press asks: only approve, reject or changes.
struct button_action {
    verb what;
    std::int64_t item;
    int revision;

    bool operator==(button_action const&) const = default;
};

constexpr std::size_t max_button_data_bytes = 64;  // the smallest platform limit on button data

// buttons::encode (bot/core/button_data.hpp) in the chat's vocabulary; at most 31 bytes. Precondition: `what` is
// approve, reject or changes, item >= 1 and revision >= 1; otherwise throws std::invalid_argument.
std::string encode_button(button_action const& b);

// The inverse of encode_button and nothing else: accepts exactly the canonical text it writes
// (lowercase letter; decimal numbers with no sign, leading zero or space; item 1–18 digits,
// revision 1..INT_MAX, both >= 1), so decode(d) succeeds iff encode(*decode(d)) == d.
std::optional<button_action> decode_button(std::string_view data);

}  // namespace signoff::chat
