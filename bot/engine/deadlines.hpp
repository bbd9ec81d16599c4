#pragma once
// The timed actions of an open item (SPEC §7: reminders, escalation, urgent escalation) as data,
// computed from the item and the SLA alone. Pure: `now` is an input. The scheduler keeps one
// marker per (item, timer kind, at) so that each timer fires once, across restarts too.

#include "bot/core/item.hpp"
#include "bot/core/time.hpp"
#include "config/config.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::engine {

enum class timer_kind {
    reminder,           // remind the assignee remind_before_hours before `due`
    interim_reminder,   // the same before `interim_due` (complaints etc. still `open`)
    escalation,         // at `due`: level 1, to the fallback, copied to observers
    second_escalation,  // one SLA period after `due`: level 2, to the observers
    urgent_escalation,  // urgent items unanswered urgent_minutes after creation: level 1
};

// "reminder", "interim_reminder", "escalation", "second_escalation", "urgent_escalation":
// stable names for markers, events and logs.
std::string_view timer_name(timer_kind kind);

struct timer {
    timer_kind kind;
    millis at;  // UTC instant at which it is due to fire
    friend bool operator==(timer const&, timer const&) = default;
};

// All timers of `it` by `at`, then by kind in declaration order; none unless the status is open
// (pending, open, acknowledged).
//  - interim_reminder at interim_due - remind_before, while status is `open` and interim_due is set;
//  - reminder at due - remind_before;
//    (a reminder is left out when remind_before_hours <= 0, since it would coincide with its
//    deadline, or when its instant is not after created_at: the item was sent that late already);
//  - escalation at due, while escalation_level < 1;
//  - second_escalation at due + the item's SLA period (approval_hours for drafts, response_hours
//    otherwise), while escalation_level < 2;
//  - urgent_escalation at created_at + urgent_minutes, when `urgent`, escalation_level < 1 and
//    that instant is before `due` (otherwise the escalation at due covers it).
std::vector<timer> timers_of(config::sla_config const& sla, item const& it);

// The timers of timers_of whose instant is <= now, in the same order, without stale reminders:
// a reminder whose deadline (due or interim_due) is itself <= now is dropped, because "due in
// two hours" is false by then and the escalation speaks instead. A scheduler that was down may
// get several timers at once; it applies them in order (escalation before second_escalation).
std::vector<timer> due_timers(config::sla_config const& sla, item const& it, millis now);

// Why a submitted or changed `due` is refused, or nullopt when it is acceptable. Only a `due`
// not after `now` is refused: a `due` closer than remind_before_hours is legitimate (urgent
// items "sooner when the item says so") and simply gets no reminder.
std::optional<std::string> check_due(config::sla_config const& sla, millis due, millis now);

// SPEC §5: without an explicit due, a draft is due at the earlier of now + approval_hours and
// publish_at − 1 hour (never before now: a post planned within the hour is due at once).
millis draft_due(config::sla_config const& sla, millis now, std::optional<millis> publish_at);

// SPEC §7: when an approved draft not yet reported published reminds its publishers: at its
// publish_at, or without one at the end of the local day it was approved on (`now`).
millis publication_due(config::config const& cfg, std::optional<millis> publish_at, millis now);

}  // namespace signoff::engine
