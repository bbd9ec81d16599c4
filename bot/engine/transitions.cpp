#include "bot/engine/transitions.hpp"

#include "bot/core/api_error.hpp"
#include "bot/engine/tiers.hpp"

namespace signoff::engine {

namespace {

std::string display(config::config const& cfg, std::string const& person) {
    auto const* p = cfg.find_person(person);
    return p && !p->name.empty() ? p->name + " (" + person + ")" : person;
}

// Whether `actor` may act where `person` (standing in for `for_person`) is expected, and for
// whom the event then records the act.
std::optional<std::string> authorise(config::config const& cfg, std::string const& actor, std::string const& person,
                                     std::optional<std::string> const& for_person) {
    if (actor == person) return for_person;
    if (for_person && actor == *for_person) return std::nullopt;
    auto const* p = cfg.find_person(actor);
    if (p && p->admin) return person;
    throw api_error(409, "not_assignee", "this waits for " + display(cfg, person) + ", not for " + display(cfg, actor),
                    "person");
}

bool blank(std::optional<std::string> const& text) {
    return !text || text->find_first_not_of(" \t\r\n") == std::string::npos;
}

decision_outcome decide_draft(config::config const& cfg, item& it, std::vector<step>& steps, decision const& d,
                              millis now) {
    if (d.what == action::interim || d.what == action::reply)
        throw api_error(422, "not_applicable",
                        std::string(action_name(d.what)) + " answers complaints, queries and feedback; #" +
                            std::to_string(it.id) + " is a draft",
                        "action");
    if (d.revision && *d.revision != it.revision)
        throw api_error(409, "stale_revision",
                        "draft #" + std::to_string(it.id) + " changed: revision " + std::to_string(it.revision) +
                            " replaced revision " + std::to_string(*d.revision),
                        "revision");
    if (it.status != item_status::pending)
        throw api_error(409, "invalid_transition",
                        "draft #" + std::to_string(it.id) + " is " + it.status + "; it cannot be decided now", "action");
    step* current = current_step(steps);
    if (!current) throw api_error(409, "invalid_transition", "draft #" + std::to_string(it.id) + " has no open step");
    decision_outcome out;
    out.on_behalf_of = authorise(cfg, d.actor, current->person, current->for_person);
    if ((d.what == action::reject || d.what == action::changes) && blank(d.text))
        throw api_error(422, "reason_required",
                        d.what == action::reject ? "say why the draft is rejected" : "say what should change", "text");
    current->decided_by = d.actor;
    current->decided_at = now;
    current->note = d.text;
    out.changed_steps.push_back(current->position);
    it.updated_at = now;

    switch (d.what) {
        case action::approve: {
            current->status = step_status::approved;
            step* next = nullptr;
            for (auto& s : steps)
                if (s.position > current->position && s.status == step_status::waiting) {
                    next = &s;
                    break;
                }
            if (next) {
                next->status = step_status::pending;
                out.changed_steps.push_back(next->position);
                it.assignee = next->person;
                out.next_person = next->person;
                out.event_type = "step_approved";
            } else {
                it.status = item_status::approved;
                it.assignee.reset();
                out.event_type = "approved";
                out.callback = "item.approved";
                out.finished = true;
            }
            break;
        }
        case action::reject:
            current->status = step_status::rejected;
            it.status = item_status::rejected;
            it.assignee.reset();
            out.event_type = "rejected";
            out.callback = "item.rejected";
            out.finished = true;
            break;
        case action::changes:
            current->status = step_status::changes_requested;
            it.status = item_status::changes_requested;
            it.assignee.reset();
            out.event_type = "changes_requested";
            out.callback = "item.changes_requested";
            out.finished = true;
            break;
        default:
            break;
    }
    return out;
}

decision_outcome decide_response(config::config const& cfg, item& it, decision const& d, millis now) {
    if (d.what == action::approve || d.what == action::reject || d.what == action::changes)
        throw api_error(422, "not_applicable",
                        std::string(action_name(d.what)) + " decides drafts; #" + std::to_string(it.id) + " is a " +
                            it.kind + " (answer it with interim or reply)",
                        "action");
    bool allowed = it.status == item_status::open || (d.what == action::reply && it.status == item_status::acknowledged);
    if (!allowed)
        throw api_error(409, "invalid_transition",
                        it.kind + " #" + std::to_string(it.id) + " is " + it.status + "; " +
                            std::string(action_name(d.what)) + " is not possible now",
                        "action");
    if (blank(d.text)) throw api_error(422, "text_required", "give the text of the response", "text");

    decision_outcome out;
    out.on_behalf_of = authorise(cfg, d.actor, it.assignee.value_or(""), it.assignee_for);
    it.updated_at = now;
    if (d.what == action::interim) {
        it.status = item_status::acknowledged;
        it.interim_due.reset();
        out.event_type = "interim_response";
        out.callback = "item.acknowledged";
    } else {
        it.status = item_status::resolved;
        it.assignee.reset();
        it.interim_due.reset();
        out.event_type = "replied";
        out.callback = "item.resolved";
        out.finished = true;
    }
    return out;
}

}  // namespace

std::optional<action> parse_action(std::string_view name) {
    if (name == "approve") return action::approve;
    if (name == "reject") return action::reject;
    if (name == "changes") return action::changes;
    if (name == "interim") return action::interim;
    if (name == "reply") return action::reply;
    return std::nullopt;
}

std::string_view action_name(action a) {
    switch (a) {
        case action::approve: return "approve";
        case action::reject: return "reject";
        case action::changes: return "changes";
        case action::interim: return "interim";
        case action::reply: return "reply";
    }
    return "approve";
}

decision_outcome decide(config::config const& cfg, item& it, std::vector<step>& steps, decision const& d, millis now) {
    if (is_draft_kind(it.kind)) return decide_draft(cfg, it, steps, d, now);
    return decide_response(cfg, it, d, now);
}

}  // namespace signoff::engine
