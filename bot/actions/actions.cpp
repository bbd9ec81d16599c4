#include "bot/actions/actions.hpp"

#include "bot/actions/detail.hpp"

#include "bot/core/api_error.hpp"
#include "bot/core/word_diff.hpp"
#include "bot/engine/content_checks.hpp"
#include "bot/engine/deadlines.hpp"
#include "bot/actions/notify.hpp"
#include "bot/engine/routing.hpp"
#include "bot/engine/tiers.hpp"
#include "store/audit.hpp"
#include "store/items.hpp"
#include "store/keys.hpp"
#include "store/media.hpp"
#include "bot/media/media_id.hpp"

#include <algorithm>

namespace signoff::actions {

namespace {

std::vector<content::media_ref> media_refs(nlohmann::json const& media) {
    std::vector<content::media_ref> out;
    for (auto const& m : media) {
        content::media_ref r{m.value("url", ""), m.value("type", ""), std::nullopt};
        if (m.contains("bytes")) r.bytes = m["bytes"].get<std::uint64_t>();
        r.uploaded = m.contains("id");
        if (m.contains("width") && m["width"].is_number_integer()) r.width = m["width"].get<std::int64_t>();
        if (m.contains("height") && m["height"].is_number_integer()) r.height = m["height"].get<std::int64_t>();
        out.push_back(std::move(r));
    }
    return out;
}

// Fills each uploaded entry ({"id"}) with the type, size and dimensions of its stored bytes;
// an id nothing was uploaded under is 422.
void resolve_uploads(sqlite::database& db, nlohmann::json& media) {
    for (std::size_t i = 0; i < media.size(); ++i) {
        auto& m = media[i];
        if (!m.contains("id")) continue;
        auto const id = m["id"].get<std::string>();
        auto hex = media::parse_media_id(id);
        auto found = hex ? store::find_media(db, *hex) : std::nullopt;
        if (!found)
            throw api_error(422, "unknown_media", "nothing was uploaded as " + id + "; upload it with POST /api/v1/media first",
                            "media[" + std::to_string(i) + "].id");
        m = {{"id", id}, {"type", found->type}, {"bytes", found->bytes}};
        if (found->width) m["width"] = *found->width;
        if (found->height) m["height"] = *found->height;
    }
}

// Checks a draft revision and raises its tier when a prohibited term calls for it; returns
// the data of the tier_raised event when it did.
std::optional<nlohmann::json> check_draft(context const& ctx, item& it) {
    auto results = content::check_revision(ctx.cfg.content, it.title, it.body, it.platforms, media_refs(it.media));
    it.checks = nlohmann::json::array();
    bool prohibited = false;
    for (auto const& r : results) {
        it.checks.push_back({{"rule", r.rule}, {"ok", r.ok}, {"detail", r.detail}});
        prohibited = prohibited || (r.rule == "prohibited" && !r.ok);
    }
    auto const& target = ctx.cfg.content.prohibited_raises_tier_to;
    if (!prohibited || target.empty() || !engine::tier_is_higher(ctx.cfg, it.tier, target)) return std::nullopt;
    nlohmann::json raised = {{"from", it.tier}, {"to", target}, {"because", "prohibited terms"}};
    it.tier = target;
    return raised;
}

// Plans and saves the approval chain of the item's current revision.
std::vector<step> start_chain(store::write_tx& tx, context const& ctx, item& it) {
    auto const& role = engine::route(ctx.cfg, it.role, std::nullopt);
    auto steps = engine::plan_steps(ctx.cfg, role, it.tier, it.revision, away_now(tx.db, ctx.now));
    for (auto const& s : steps) store::insert_step(tx.db, it.id, s);
    auto const* current = engine::current_step(steps);
    it.assignee = current ? std::optional<std::string>(current->person) : std::nullopt;
    return steps;
}

// The events that explain a new revision's chain: a raised tier, then each skipped step.
void record_chain(store::write_tx& tx, context const& ctx, item const& it, std::optional<nlohmann::json> const& raised,
                  std::vector<step> const& steps) {
    if (raised) {
        auto e = event(ctx, "tier_raised", it);
        e.data = *raised;
        store::append_event(tx, e);
    }
    for (auto const& s : steps) {
        if (s.status != step_status::skipped) continue;
        auto e = event(ctx, "step_skipped", it);
        e.data = {{"position", s.position}, {"spec", s.spec}, {"person", s.person}, {"why", s.note.value_or("")}};
        store::append_event(tx, e);
    }
}

nlohmann::json failed_checks(item const& it) {
    nlohmann::json out = nlohmann::json::array();
    for (auto const& c : it.checks)
        if (!c.value("ok", true)) out.push_back(c.value("detail", ""));
    return out;
}

}  // namespace

nlohmann::json item_json(sqlite::database& db, std::int64_t id, bool detail) {
    auto it = load(db, id);
    auto out = to_json(it, store::steps_of(db, id, it.revision));
    if (detail) {
        out["revisions"] = nlohmann::json::array();
        // Each later revision carries the word diff from the one before it, as the approver's card shows it.
        std::optional<revision> previous;
        for (auto const& r : store::revisions_of(db, id)) {
            auto shown = to_json(r);
            if (previous) shown["changes"] = word_diff(previous->title + "\n" + previous->body, r.title + "\n" + r.body);
            out["revisions"].push_back(std::move(shown));
            previous = r;
        }
    }
    return out;
}

nlohmann::json preview_checks(sqlite::database& db, config::config const& cfg, submission const& s) {
    if (!cfg.tiers.contains(s.tier)) throw api_error(400, "invalid_value", "tier: unknown tier \"" + s.tier + "\"", "tier");
    item it;
    it.title = s.title;
    it.body = s.body;
    it.platforms = s.platforms;
    it.tier = s.tier;
    it.media = s.media;
    resolve_uploads(db, it.media);
    check_draft({.cfg = cfg, .now = 0}, it);
    return {{"checks", it.checks}, {"tier", it.tier}};
}

nlohmann::json submit(store::write_tx& tx, context const& ctx, submission const& s, std::string const& submitted_by) {
    auto const& role = engine::route(ctx.cfg, s.role, s.topic);
    if (!ctx.cfg.tiers.contains(s.tier))
        throw api_error(400, "invalid_value", "tier: unknown tier \"" + s.tier + "\"", "tier");
    if (auto refused = s.due ? engine::check_due(ctx.cfg.sla, *s.due, ctx.now) : std::nullopt)
        throw api_error(422, "due_in_past", *refused, "due");
    if (auto refused = s.publish_at ? engine::check_due(ctx.cfg.sla, *s.publish_at, ctx.now) : std::nullopt)
        throw api_error(422, "due_in_past", "publish_at: " + *refused, "publish_at");

    item it;
    it.kind = s.kind;
    it.status = is_draft_kind(s.kind) ? item_status::pending : item_status::open;
    it.title = s.title;
    it.body = s.body;
    it.platforms = s.platforms;
    it.topic = s.topic;
    it.role = role.id;
    it.region = s.region;
    it.tier = s.tier;
    it.urgent = s.urgent;
    it.media = s.media;
    resolve_uploads(tx.db, it.media);
    it.source = s.source;
    it.external_ref = s.external_ref;
    it.submitted_by = submitted_by;
    it.created_at = it.updated_at = ctx.now;
    it.due_given = s.due.has_value();
    auto const& sla = ctx.cfg.sla;
    it.publish_at = s.publish_at;
    if (is_draft_kind(s.kind)) {
        it.due = s.due.value_or(engine::draft_due(sla, ctx.now, s.publish_at));
    } else {
        it.due = s.due.value_or(ctx.now + hours_to_ms(sla.response_hours));
        it.interim_due = std::min(it.due, ctx.now + hours_to_ms(sla.interim_hours));
        auto who = engine::stand_in(ctx.cfg, role, away_now(tx.db, ctx.now));
        it.assignee = who.person;
        it.assignee_for = who.for_person;
    }
    it.id = store::insert_item(tx.db, it);

    std::optional<nlohmann::json> raised;
    std::vector<step> steps;
    if (is_draft_kind(s.kind)) {
        raised = check_draft(ctx, it);
        steps = start_chain(tx, ctx, it);
    }
    store::update_item(tx.db, it);
    store::insert_revision(tx.db, it.id,
                           {1, it.title, it.body, it.media, std::nullopt, it.checks, submitted_by, ctx.now});
    auto submitted = event(ctx, "submitted", it);
    submitted.actor = submitted_by;
    submitted.data = {{"kind", it.kind},         {"role", it.role},
                      {"tier", it.tier},         {"assignee", or_null(it.assignee)},
                      {"for", or_null(it.assignee_for)}, {"due", rfc3339(it.due)},
                      {"failed_checks", failed_checks(it)}};
    store::append_event(tx, submitted);
    record_chain(tx, ctx, it, raised, steps);

    // Urgent items go at once on every channel of the assignee, SMS included.
    if (it.assignee && it.urgent) notify::to_person_everywhere(tx, ctx.cfg, *it.assignee, "item_card", it, {}, ctx.now);
    else if (it.assignee) notify::to_person(tx, ctx.cfg, *it.assignee, "item_card", it, {}, ctx.now);
    for (auto const& coordinator : engine::region_coordinators(ctx.cfg, it.region))
        if (coordinator != it.assignee) notify::to_person(tx, ctx.cfg, coordinator, "item_copy", it, {}, ctx.now);
    return item_json(tx.db, it.id, false);
}

nlohmann::json revise(store::write_tx& tx, context const& ctx, std::int64_t id, nlohmann::json const& body,
                      std::string const& submitted_by) {
    auto it = load(tx.db, id);
    if (!is_draft_kind(it.kind))
        throw api_error(422, "not_applicable", it.kind + " #" + std::to_string(id) + " has no revisions; only drafts do");
    if (it.status != item_status::pending && it.status != item_status::changes_requested &&
        it.status != item_status::approved)
        throw api_error(409, "invalid_transition",
                        "draft #" + std::to_string(id) + " is " + it.status + "; it takes no new revision");
    auto r = parse_revision(body, {it.title, it.body, it.media, std::nullopt});

    for (auto s : store::steps_of(tx.db, id, it.revision))
        if (s.status == step_status::pending || s.status == step_status::waiting) {
            s.status = step_status::superseded;
            store::update_step(tx.db, id, s);
        }
    int const previous = it.revision;
    it.revision = previous + 1;
    it.title = r.title;
    it.body = r.body;
    it.media = r.media;
    resolve_uploads(tx.db, it.media);
    it.status = item_status::pending;
    it.updated_at = ctx.now;
    if (!it.due_given) it.due = engine::draft_due(ctx.cfg.sla, ctx.now, it.publish_at);
    auto raised = check_draft(ctx, it);
    auto steps = start_chain(tx, ctx, it);
    store::update_item(tx.db, it);
    store::insert_revision(tx.db, id, {it.revision, it.title, it.body, it.media, r.note, it.checks, submitted_by, ctx.now});

    notify::card_updates(tx, it, {{"event", "revised"}, {"at", ctx.now}, {"to_revision", it.revision}}, true,
                         std::nullopt, ctx.now);
    auto e = event(ctx, "revised", it);
    e.actor = submitted_by;
    e.data = {{"from", previous}, {"note", or_null(r.note)}, {"assignee", or_null(it.assignee)},
              {"failed_checks", failed_checks(it)}};
    store::append_event(tx, e);
    record_chain(tx, ctx, it, raised, steps);
    if (it.assignee)
        notify::to_person(tx, ctx.cfg, *it.assignee, "item_card", it, {{"previous_revision", previous}}, ctx.now);
    return item_json(tx.db, id, false);
}

nlohmann::json publish(store::write_tx& tx, context const& ctx, std::int64_t id, publication const& p) {
    auto it = load(tx.db, id);
    if (!is_draft_kind(it.kind))
        throw api_error(422, "not_applicable", it.kind + " #" + std::to_string(id) + " is not published; drafts are");
    if (it.status != item_status::approved && it.status != item_status::published)
        throw api_error(409, "invalid_transition",
                        "draft #" + std::to_string(id) + " is " + it.status + "; only an approved draft is published");
    if (!it.platforms.empty() && std::find(it.platforms.begin(), it.platforms.end(), p.platform) == it.platforms.end())
        throw api_error(422, "unknown_platform", p.platform + " is not among the draft's platforms", "platform");
    it.published[p.platform] = p.url;
    bool all = std::all_of(it.platforms.begin(), it.platforms.end(),
                           [&](std::string const& name) { return it.published.contains(name); });
    if (all) it.status = item_status::published;
    it.updated_at = ctx.now;
    store::update_item(tx.db, it);
    auto e = event(ctx, "published", it);
    e.data = {{"platform", p.platform}, {"url", p.url}, {"all_published", all}};
    store::append_event(tx, e);
    return item_json(tx.db, id, false);
}

nlohmann::json withdraw(store::write_tx& tx, context const& ctx, std::int64_t id, std::optional<std::string> reason) {
    auto it = load(tx.db, id);
    bool const withdrawable = it.status == item_status::pending || it.status == item_status::changes_requested ||
                              it.status == item_status::approved || it.status == item_status::open ||
                              it.status == item_status::acknowledged;
    if (!withdrawable)
        throw api_error(409, "invalid_transition",
                        it.kind + " #" + std::to_string(id) + " is " + it.status + "; it can no longer be withdrawn");
    for (auto s : store::steps_of(tx.db, id, it.revision))
        if (s.status == step_status::pending || s.status == step_status::waiting) {
            s.status = step_status::superseded;
            store::update_step(tx.db, id, s);
        }
    auto const previous_assignee = it.assignee;
    it.status = item_status::withdrawn;
    it.assignee.reset();
    it.interim_due.reset();
    it.updated_at = ctx.now;
    store::update_item(tx.db, it);
    notify::card_updates(tx, it, {{"event", "withdrawn"}, {"at", ctx.now}, {"text", or_null(reason)}}, true,
                         std::nullopt, ctx.now);
    auto e = event(ctx, "withdrawn", it);
    e.data = {{"reason", or_null(reason)}};
    store::append_event(tx, e);
    if (previous_assignee)
        notify::to_person(tx, ctx.cfg, *previous_assignee, "withdrawn_notice", it, {{"reason", or_null(reason)}},
                          ctx.now);
    return item_json(tx.db, id, false);
}

item decide(store::write_tx& tx, context const& ctx, std::int64_t id, engine::decision const& d) {
    if (!ctx.cfg.find_person(d.actor))
        throw api_error(422, "unknown_person", "no person \"" + d.actor + "\" in the directory", "person");
    auto it = load(tx.db, id);
    auto steps = store::steps_of(tx.db, id, it.revision);
    auto const before = it.status;
    auto outcome = engine::decide(ctx.cfg, it, steps, d, ctx.now);
    if (it.status == item_status::approved && before != item_status::approved)
        it.publication_due = engine::publication_due(ctx.cfg, it.publish_at, ctx.now);
    store::update_item(tx.db, it);
    for (int position : outcome.changed_steps) store::update_step(tx.db, id, steps[static_cast<std::size_t>(position)]);

    auto e = event(ctx, outcome.event_type, it);
    e.actor = d.actor;
    e.on_behalf_of = outcome.on_behalf_of;
    e.data = {{"action", engine::action_name(d.what)}, {"text", or_null(d.text)}};
    if (!outcome.changed_steps.empty()) e.data["step"] = outcome.changed_steps.front();
    store::append_event(tx, e);

    nlohmann::json what = {{"event", outcome.event_type}, {"actor", d.actor}, {"text", or_null(d.text)},
                           {"at", ctx.now}};
    notify::card_updates(tx, it, what, outcome.finished, outcome.next_person, ctx.now);
    if (outcome.next_person) notify::to_person(tx, ctx.cfg, *outcome.next_person, "item_card", it, {}, ctx.now);
    nlohmann::json notice = {{"event", outcome.event_type}, {"by", d.actor}, {"text", or_null(d.text)}};
    for (auto const& observer : ctx.cfg.observers)
        if (observer != d.actor) notify::to_person(tx, ctx.cfg, observer, "decision_copy", it, notice, ctx.now);
    // The item and steps as just written: the same JSON item_json would read back.
    if (outcome.callback) notify::callback(tx, ctx.cfg, *outcome.callback, to_json(it, steps), ctx.now);
    return it;
}

}  // namespace signoff::actions
