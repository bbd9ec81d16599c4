// The names of kinds, statuses and event types: a known one is looked up in the catalogue
// ("kind.draft", "status.pending", "step.waiting", "event.submitted"); any other shows as itself.

#include <algorithm>
#include <array>

#include "bot/messages/parts.hpp"

namespace signoff::chat::detail {
namespace {

constexpr std::array<std::string_view, 4> kinds{"draft", "complaint", "query", "feedback"};
constexpr std::array<std::string_view, 9> statuses{"pending", "approved",  "published", "rejected",    "changes_requested",
                                                   "withdrawn", "open", "acknowledged", "resolved"};
constexpr std::array<std::string_view, 7> step_statuses{"waiting",           "pending", "approved",  "rejected",
                                                        "changes_requested", "skipped", "superseded"};
constexpr std::array<std::string_view, 19> events{
    "submitted", "tier_raised", "step_skipped", "step_approved", "approved",         "rejected",
    "changes_requested", "revised", "interim_response", "replied", "published", "withdrawn",
    "reassigned", "away", "back", "escalated", "reminder", "message_dead",
    "publication_reminder"};

template <std::size_t N>
std::string lookup(std::array<std::string_view, N> const& known, std::string_view prefix, std::string const& key,
                   lang l) {
    if (std::find(known.begin(), known.end(), key) == known.end()) return key;
    return text(l, std::string(prefix) + key);
}

}  // namespace

std::string kind_name(std::string const& kind, lang l, bool capital) {
    return lookup(kinds, capital ? "kind." : "kind_in_sentence.", kind, l);
}

std::string status_name(std::string const& status, lang l) { return lookup(statuses, "status.", status, l); }

std::string step_status_name(std::string const& status, lang l) { return lookup(step_statuses, "step.", status, l); }

std::string event_name(std::string const& type, lang l) { return lookup(events, "event.", type, l); }

}  // namespace signoff::chat::detail
