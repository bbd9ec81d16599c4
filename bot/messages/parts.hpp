#pragma once
// Internal to bot/messages/*.cpp: the catalogue lookup, the names every message shares (kinds,
// statuses, event types) and the pieces several messages are built from. Each file names the
// message keys only it uses; the texts are in the catalogues.

#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/core/item.hpp"
#include "bot/core/time.hpp"
#include "config/config.hpp"

namespace signoff::chat::detail {

// A language of bot/core/language.hpp, by its index there.
struct lang {
    std::size_t index = 0;
};

lang to_lang(std::string_view language);  // languages::closest: an unsupported tag reads as the default
std::string_view tag_of(lang l);            // "zh-Hant"

// A message of the catalogues (bot/messages/po/*.po) by its msgid, e.g. "card.approved_by".
struct message_key {
    std::string_view id;
};

// Every msgid of the catalogues (the header's empty one included), in catalogue order.
std::vector<std::string> const& message_keys();

// The message in language `l` (catalogue.cpp); a key missing there shows as itself.
std::string text(lang l, std::string_view key);
// The plural form for `n` by the catalogue's Plural-Forms.
std::string text_n(lang l, std::string_view key, long n);

// ": " before a text that follows a name or a label ("：" in Chinese).
inline constexpr message_key colon{"common.colon"};

using args = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// `pattern` with each "{key}" replaced by its value; unknown keys stay as they are. "{approve}",
// "{reject}", … "{help}" (a verb_name in braces) are the command's word in the language.
std::string fill(std::string_view pattern, args values = {});
std::string fill(std::string_view pattern, lang l, args values);
inline std::string say(message_key k, lang l, args values = {}) { return fill(text(l, k.id), l, values); }
// The plural form for `n`, with "{n}" filled by it.
std::string say_n(message_key k, lang l, long n, args values = {});

std::string person_name(config::config const& cfg, std::string const& id);    // the id when unknown
std::string kind_name(std::string const& kind, lang l, bool capital = true);  // "Draft" / "draft" (in a sentence)
std::string status_name(std::string const& status, lang l);                   // item statuses
std::string step_status_name(std::string const& status, lang l);
std::string event_name(std::string const& type, lang l);

std::string item_ref(item const& it, lang l, bool capital = true);  // "Draft #42"
std::string local_time(config::config const& cfg, millis instant, lang l);

// A local wall-clock time (milliseconds since 1970-01-01 00:00 of local time) by the language's
// "format.date_time" pattern (ICU SimpleDateFormat syntax), with ICU's month names and digits.
std::string format_wall_clock(lang l, double wall_ms);

// "📝 Draft #42 · general · due 22 Nov 15:30 IST"; for complaints etc. both due times.
std::string card_header(config::config const& cfg, item const& it, lang l);

// A complaint's source ({"author","platform","url","received_at"}): "From:", "Received:", "Link:" lines.
std::vector<std::string> source_lines(config::config const& cfg, nlohmann::json const& source, lang l);

// The failed content checks, one "⚠ detail" line each.
std::vector<std::string> check_lines(nlohmann::json const& checks);

// At most `max` code points of `s` in whole graphemes, with "…" when cut.
std::string clip(std::string_view s, std::size_t max);

std::size_t utf16_units(std::string_view s);

// `text` cut (with "…") to at most `max_units` UTF-16 units.
std::string fit(std::string text, std::size_t max_units);

std::string join(std::vector<std::string> const& parts, std::string_view separator);

}  // namespace signoff::chat::detail
