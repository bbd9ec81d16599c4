#include "bot/actions/actions.hpp"

#include "bot/actions/detail.hpp"
#include "bot/actions/notify.hpp"
#include "bot/engine/tiers.hpp"
#include "store/audit.hpp"
#include "store/items.hpp"

// What time does to items: reminders and escalation (driven by bot/scheduler).
namespace signoff::actions {

namespace {
// Level 1: the role's fallback, unless away or already holding it; level 2 (or when no fallback
// can take it): the first observer present; never nobody.
std::optional<std::string> escalation_target(context const& ctx, item const& it, std::string const& holder,
                                             int& level, engine::away_set const& away) {
    auto const* role = ctx.cfg.find_role(it.role);
    if (level == 1 && role && !role->fallback.empty() && role->fallback != holder && !away.contains(role->fallback))
        return role->fallback;
    level = 2;
    for (auto const& observer : ctx.cfg.observers)
        if (observer != holder && !away.contains(observer)) return observer;
    for (auto const& observer : ctx.cfg.observers)
        if (observer != holder) return observer;
    return std::nullopt;
}
}  // namespace

void escalate(store::write_tx& tx, context const& ctx, std::int64_t id, int level, std::string const& why) {
    auto it = load(tx.db, id);
    if (!is_open_status(it.status) || it.escalation_level >= level) return;
    auto steps = store::steps_of(tx.db, id, it.revision);
    auto* current = is_draft_kind(it.kind) ? engine::current_step(steps) : nullptr;
    std::string holder = current ? current->person : it.assignee.value_or("");
    auto target = escalation_target(ctx, it, holder, level, away_now(tx.db, ctx.now));

    auto e = event(ctx, "escalated", it);
    e.data = {{"level", level}, {"from", holder}, {"to", or_null(target)}, {"because", why}};
    it.escalation_level = level;
    it.updated_at = ctx.now;
    if (target) {
        if (current) {
            current->for_person = current->for_person.value_or(holder);
            current->person = *target;
            store::update_step(tx.db, id, *current);
        } else {
            it.assignee_for = it.assignee_for.value_or(holder);
        }
        it.assignee = *target;
    }
    store::update_item(tx.db, it);
    store::append_event(tx, e);

    if (target) {
        notify::card_updates(tx, it, {{"event", "escalated"}, {"actor", ""}, {"text", *target}, {"at", ctx.now}}, false,
                             *target, ctx.now);
        notify::to_person_everywhere(tx, ctx.cfg, *target, "item_card", it, {{"escalated", level}}, ctx.now);
    }
    nlohmann::json notice = {{"event", "escalated"}, {"by", ""}, {"text", or_null(target)}};
    for (auto const& observer : ctx.cfg.observers)
        if (observer != target) notify::to_person(tx, ctx.cfg, observer, "decision_copy", it, notice, ctx.now);
    notify::callback(tx, ctx.cfg, "item.escalated", item_json(tx.db, id, false), ctx.now);
}

void remind(store::write_tx& tx, context const& ctx, std::int64_t id, std::string const& kind) {
    auto it = load(tx.db, id);
    if (!is_open_status(it.status) || !it.assignee) return;
    auto e = event(ctx, "reminder", it);
    e.data = {{"kind", kind}, {"to", *it.assignee}};
    store::append_event(tx, e);
    if (it.urgent) notify::to_person_everywhere(tx, ctx.cfg, *it.assignee, "reminder", it, {{"kind", kind}}, ctx.now);
    else notify::to_person(tx, ctx.cfg, *it.assignee, "reminder", it, {{"kind", kind}}, ctx.now);
}

void remind_publication(store::write_tx& tx, context const& ctx, std::int64_t id) {
    auto it = load(tx.db, id);
    if (it.status != item_status::approved || !it.publication_due) return;
    nlohmann::json publishers = nlohmann::json::array();
    for (auto const& p : ctx.cfg.people)
        if (p.publisher) publishers.push_back(p.id);
    auto e = event(ctx, "publication_reminder", it);
    e.data = {{"planned", rfc3339(*it.publication_due)}, {"to", publishers}};
    store::append_event(tx, e);
    for (auto const& p : publishers)
        notify::to_person(tx, ctx.cfg, p.get<std::string>(), "publication_reminder", it, {}, ctx.now);
    it.publication_due.reset();  // once
    store::update_item(tx.db, it);
}

}  // namespace signoff::actions
