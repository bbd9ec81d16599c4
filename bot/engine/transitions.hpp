#pragma once
// The decisions people take on items, and the state changes they make (SPEC §5 statuses,
// §6 commands). Pure: the item and its current steps are changed in place; what must be
// recorded and announced is returned. Rule violations throw api_error.

#include "bot/core/item.hpp"
#include "config/config.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::engine {

enum class action { approve, reject, changes, interim, reply };

std::optional<action> parse_action(std::string_view name);  // "approve", "reject", "changes", "interim", "reply"
std::string_view action_name(action a);

struct decision {
    action what;
    std::string actor;                 // person id of who decides
    std::optional<std::string> text;   // note, reason or response text
    std::optional<int> revision;       // the revision the decider saw (buttons carry it)
};

struct decision_outcome {
    std::string event_type;                    // e.g. "step_approved", "approved", "rejected"
    std::optional<std::string> on_behalf_of;   // when the actor stands in for someone
    std::optional<std::string> callback;       // e.g. "item.approved"
    std::vector<int> changed_steps;            // positions of steps to save
    std::optional<std::string> next_person;    // who must act next, to be sent the item
    bool finished = false;                     // the item reached a final decision
};

// Throws: 409 "stale_revision", "invalid_transition", "not_assignee"; 422 "reason_required",
// "text_required", "not_applicable".
decision_outcome decide(config::config const& cfg, item& it, std::vector<step>& steps, decision const& d, millis now);

}  // namespace signoff::engine
