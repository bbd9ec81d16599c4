#include "bot/actions/actions.hpp"

#include "bot/actions/detail.hpp"
#include "bot/core/api_error.hpp"
#include "bot/actions/notify.hpp"
#include "bot/engine/routing.hpp"
#include "bot/engine/tiers.hpp"
#include "store/audit.hpp"
#include "store/items.hpp"
#include "store/keys.hpp"

// Who holds an item: handing it on, and availability (away/back) with its reassignments.
namespace signoff::actions {

nlohmann::json assign(store::write_tx& tx, context const& ctx, std::int64_t id, std::string const& actor,
                      std::string const& to) {
    if (!ctx.cfg.find_person(to))
        throw api_error(422, "unknown_person", "no person \"" + to + "\" in the directory", "person");
    auto it = load(tx.db, id);
    if (!is_open_status(it.status))
        throw api_error(409, "invalid_transition", it.kind + " #" + std::to_string(id) + " is " + it.status +
                                                       "; there is nothing to hand on");
    auto const* sender = ctx.cfg.find_person(actor);
    bool const admin = sender && sender->admin;
    std::string from;
    if (is_draft_kind(it.kind)) {
        auto steps = store::steps_of(tx.db, id, it.revision);
        auto* current = engine::current_step(steps);
        if (!current) throw api_error(409, "invalid_transition", "draft #" + std::to_string(id) + " has no open step");
        if (current->person != actor && current->for_person != actor && !admin)
            throw api_error(409, "not_assignee", "this waits for " + current->person + ", not for " + actor, "person");
        from = current->person;
        current->for_person = current->for_person.value_or(current->person);
        current->person = to;
        if (current->for_person == to) current->for_person.reset();
        store::update_step(tx.db, id, *current);
    } else {
        if (it.assignee != actor && it.assignee_for != actor && !admin)
            throw api_error(409, "not_assignee", "this waits for " + it.assignee.value_or("nobody") + ", not for " + actor,
                            "person");
        from = it.assignee.value_or(actor);
        it.assignee_for = it.assignee_for.value_or(from);
        if (it.assignee_for == to) it.assignee_for.reset();
    }
    if (from == to) throw api_error(409, "invalid_transition", "#" + std::to_string(id) + " is already with " + to);
    it.assignee = to;
    it.updated_at = ctx.now;
    store::update_item(tx.db, it);
    auto e = event(ctx, "assigned", it);
    e.actor = actor;
    e.data = {{"from", from}, {"to", to}};
    store::append_event(tx, e);
    notify::card_updates(tx, it, {{"event", "assigned"}, {"actor", actor}, {"text", to}, {"at", ctx.now}}, false, to,
                         ctx.now);
    notify::to_person(tx, ctx.cfg, to, "item_card", it, {{"assigned_by", actor}}, ctx.now);
    return item_json(tx.db, id, false);
}

void set_availability(store::write_tx& tx, context const& ctx, std::string const& person, availability_input const& a) {
    if (!ctx.cfg.find_person(person)) throw api_error(404, "not_found", "no person \"" + person + "\"", "id");
    if (a.until && *a.until <= ctx.now)
        throw api_error(422, "until_in_past", "until " + rfc3339(*a.until) + " is not in the future", "until");
    store::save_availability(tx.db, person, {a.away, a.away ? a.until : std::nullopt}, ctx.now);
    store::event_record e;
    e.at = ctx.now;
    e.type = a.away ? "away" : "back";
    e.actor = person;
    e.recorded_by = ctx.recorded_by;
    e.channel = ctx.channel;
    e.platform_message_id = ctx.platform_message_id;
    e.data = {{"until", a.until ? nlohmann::json(rfc3339(*a.until)) : nlohmann::json(nullptr)}};
    store::append_event(tx, e);
    if (!a.away) return;

    // What waits for someone who goes away moves to their stand-in at once.
    auto away = away_now(tx.db, ctx.now);
    for (auto id : store::open_item_ids_for(tx.db, person)) {
        auto it = load(tx.db, id);
        auto const& role = engine::route(ctx.cfg, it.role, std::nullopt);
        if (role.head != person) continue;  // only a role's head has a stand-in
        auto who = engine::stand_in(ctx.cfg, role, away);
        if (who.person == person) continue;
        if (is_draft_kind(it.kind)) {
            auto steps = store::steps_of(tx.db, id, it.revision);
            auto* current = engine::current_step(steps);
            if (!current || current->person != person) continue;
            current->person = who.person;
            current->for_person = person;
            store::update_step(tx.db, id, *current);
        } else {
            it.assignee_for = person;
        }
        it.assignee = who.person;
        it.updated_at = ctx.now;
        store::update_item(tx.db, it);
        auto moved = event(ctx, "reassigned", it);
        moved.data = {{"from", person}, {"to", who.person}, {"because", "away"}};
        store::append_event(tx, moved);
        notify::to_person(tx, ctx.cfg, who.person, "item_card", it, {{"standing_in_for", person}}, ctx.now);
    }
}

}  // namespace signoff::actions
