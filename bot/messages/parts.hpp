#pragma once
// Internal to bot/messages_*.cpp: the language switch, the names every message shares
// (kinds, statuses, event types) and the pieces several messages are built from.
// Each messages_<topic>.cpp keeps the phrases only it uses.

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

enum class lang { en, zh, hi };

lang to_lang(std::string const& language);  // anything but "zh" and "hi" is en

// One sentence in the three languages; "{name}" marks a place filled by fill().
struct phrase {
    std::string_view en, zh, hi;
    std::string_view in(lang l) const { return l == lang::zh ? zh : l == lang::hi ? hi : en; }
};

// ": " before a text that follows a name or a label ("：" in Chinese).
inline constexpr phrase colon{": ", "：", ": "};

using args = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// `pattern` with each "{key}" replaced by its value; unknown keys stay as they are.
std::string fill(std::string_view pattern, args values = {});
inline std::string say(phrase const& p, lang l, args values = {}) { return fill(p.in(l), values); }

std::string person_name(config::config const& cfg, std::string const& id);    // the id when unknown
std::string kind_name(std::string const& kind, lang l, bool capital = true);  // "Draft" / "draft" / "草稿"
std::string status_name(std::string const& status, lang l);                   // item statuses
std::string step_status_name(std::string const& status, lang l);
std::string event_name(std::string const& type, lang l);

std::string item_ref(item const& it, lang l, bool capital = true);  // "Draft #42"
std::string local_time(config::config const& cfg, millis instant, lang l);

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
