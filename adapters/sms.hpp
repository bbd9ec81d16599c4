#pragma once
// SMS through a Twilio-style Messages API (outbound only, SPEC §2 and §7: urgent and escalated
// items). Pure translators: text into an HTTP request, an HTTP answer into a send_result, and the
// GSM 03.38 segment arithmetic that decides how much text one message may carry. No sockets,
// clock, store or globals.

#include "adapters/channel.hpp"
#include "bot/core/chat_types.hpp"
#include "config/config.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace signoff::sms {

inline constexpr std::size_t gsm_single = 160;  // septets in a one-segment GSM-7 message
inline constexpr std::size_t gsm_multi = 153;   // septets per segment of a concatenated one (UDH)
inline constexpr std::size_t ucs2_single = 70;  // UTF-16 code units, one segment
inline constexpr std::size_t ucs2_multi = 67;   // UTF-16 code units per concatenated segment
inline constexpr int default_max_segments = 3;  // what render_sms lets through at most

// POST {api_base}/2010-04-01/Accounts/{account_sid}/Messages.json with
// Authorization: Basic base64(account_sid:auth_token) and an application/x-www-form-urlencoded
// body To=…&From=…&Body=… (UTF-8, every byte but A–Z a–z 0–9 - . _ ~ percent-encoded, so "+"
// is %2B and a space %20). The text goes through fit_segments(text, default_max_segments) as a
// safety net; callers that end a message with an item id and a command fit it themselves first.
// The request carries the auth token in a header: never log it. Throws std::invalid_argument for
// an empty `to` or text, or text that is not valid UTF-8.
http_call render_sms(std::string const& to, std::string const& text, config::sms_config const& cfg);

// How many segments `text` takes: GSM-7 when every character is in the GSM 03.38 basic set or
// its extension (^ { } \ [ ] ~ | € and form feed, 2 septets each), 160 septets in one segment or
// 153 per segment when concatenated; otherwise UCS-2, 70 UTF-16 code units or 67 per segment.
// A character (an escape pair, a surrogate pair) is never split between segments. 0 for "".
// Throws std::invalid_argument when `text` is not valid UTF-8.
int segments_of(std::string_view text);

// `text` unchanged when it takes at most `max_segments`, else its longest prefix of whole
// grapheme clusters that fits together with an ellipsis: "..." for GSM-7 text (U+2026 is not in
// GSM and would force UCS-2, less than half the room), "…" for UCS-2 text. The result always
// takes at most `max_segments`. Throws std::invalid_argument for max_segments < 1 or invalid UTF-8.
std::string fit_segments(std::string_view text, int max_segments = default_max_segments);

// fit_segments of `text` + `tail`, except that the cut and the ellipsis fall inside `text` and
// `tail` stays whole, so an item id and a command at the end survive: "Urgent #42: new pos...\n
// Answer in Telegram: approve 42". When `tail` leaves no room, the whole is cut like fit_segments.
std::string fit_segments_with_tail(std::string_view text, std::string_view tail,
                                   int max_segments = default_max_segments);

// Reads a Messages API answer. sent: any 2xx (message_id = "sid" when present; a 2xx is never
// retried, so no SMS goes twice). retry: 429 and 5xx. give_up: everything else. `error` is
// "<code>: <message>" from Twilio's error body ({"code":21211,"message":…,"more_info":…,
// "status":400}), else "HTTP <status>" with what can be read; the request's credentials are never
// part of it.
chat::send_result read_send_result(int status, std::string_view body);

// The outbox's channel for SMS: a card's header and title with the command to answer, in at
// most 3 segments.
std::unique_ptr<channels::channel> make_channel(config::sms_config const& cfg);

}  // namespace signoff::sms
