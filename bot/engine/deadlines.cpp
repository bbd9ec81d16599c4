#include "bot/engine/deadlines.hpp"

#include "bot/engine/digest_time.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace signoff::engine {

namespace {

constexpr std::array<std::pair<timer_kind, std::string_view>, 5> names = {{
    {timer_kind::reminder, "reminder"},
    {timer_kind::interim_reminder, "interim_reminder"},
    {timer_kind::escalation, "escalation"},
    {timer_kind::second_escalation, "second_escalation"},
    {timer_kind::urgent_escalation, "urgent_escalation"},
}};

millis sla_period(config::sla_config const& sla, item const& it) {
    return hours_to_ms(is_draft_kind(it.kind) ? sla.approval_hours : sla.response_hours);
}

bool is_reminder(timer_kind kind) { return kind == timer_kind::reminder || kind == timer_kind::interim_reminder; }

}  // namespace

std::string_view timer_name(timer_kind kind) {
    for (auto const& [k, name] : names)
        if (k == kind) return name;
    return "unknown";
}

std::vector<timer> timers_of(config::sla_config const& sla, item const& it) {
    std::vector<timer> out;
    if (!is_open_status(it.status)) return out;

    auto const remind_before = hours_to_ms(sla.remind_before_hours);
    auto const remind = [&](timer_kind kind, millis deadline) {
        auto const at = deadline - remind_before;
        if (remind_before > 0 && at > it.created_at) out.push_back({kind, at});
    };

    if (it.status == item_status::open && it.interim_due) remind(timer_kind::interim_reminder, *it.interim_due);
    remind(timer_kind::reminder, it.due);
    if (it.escalation_level < 1) out.push_back({timer_kind::escalation, it.due});
    if (it.escalation_level < 2) out.push_back({timer_kind::second_escalation, it.due + sla_period(sla, it)});
    if (it.urgent && it.escalation_level < 1) {
        auto const at = it.created_at + minutes_to_ms(sla.urgent_minutes);
        if (at < it.due) out.push_back({timer_kind::urgent_escalation, at});
    }

    std::stable_sort(out.begin(), out.end(),
                     [](timer const& a, timer const& b) { return a.at != b.at ? a.at < b.at : a.kind < b.kind; });
    return out;
}

std::vector<timer> due_timers(config::sla_config const& sla, item const& it, millis now) {
    std::vector<timer> out;
    for (auto const& t : timers_of(sla, it)) {
        if (t.at > now) continue;
        if (is_reminder(t.kind)) {
            auto const deadline = t.kind == timer_kind::reminder ? it.due : it.interim_due.value_or(it.due);
            if (deadline <= now) continue;
        }
        out.push_back(t);
    }
    return out;
}

std::optional<std::string> check_due(config::sla_config const&, millis due, millis now) {
    if (due <= now) return "due must be in the future (got " + rfc3339(due) + ", now is " + rfc3339(now) + ")";
    return std::nullopt;
}

millis draft_due(config::sla_config const& sla, millis now, std::optional<millis> publish_at) {
    millis due = now + hours_to_ms(sla.approval_hours);
    if (publish_at) due = std::max(now, std::min(due, *publish_at - ms_per_hour));
    return due;
}

millis publication_due(config::config const& cfg, std::optional<millis> publish_at, millis now) {
    if (publish_at) return *publish_at;
    return next_daily_at(cfg.timezone, "00:00", now);
}

}  // namespace signoff::engine
