#include "bot/engine/tiers.hpp"

#include "bot/core/api_error.hpp"

#include <algorithm>

namespace signoff::engine {

namespace {
// A step's approver: "@head" → the routed role's stand-in, "@fallback" → its fallback,
// a role id → that role's stand-in, anything else → that person.
std::optional<assignment> resolve(config::config const& cfg, config::role const& role, std::string const& spec,
                                  away_set const& away) {
    if (spec == "@head") return stand_in(cfg, role, away);
    if (spec == "@fallback") {
        if (role.fallback.empty()) return std::nullopt;
        return assignment{role.fallback, std::nullopt};
    }
    if (auto const* other = cfg.find_role(spec)) return stand_in(cfg, *other, away);
    return assignment{spec, std::nullopt};
}
}  // namespace

std::vector<step> plan_steps(config::config const& cfg, config::role const& role, std::string const& tier,
                             int revision, away_set const& away) {
    auto it = cfg.tiers.find(tier);
    if (it == cfg.tiers.end()) throw api_error(400, "invalid_value", "unknown tier \"" + tier + "\"", "tier");
    std::vector<step> steps;
    bool have_pending = false;
    for (auto const& spec : it->second) {
        step s;
        s.revision = revision;
        s.position = static_cast<int>(steps.size());
        s.spec = spec;
        auto who = resolve(cfg, role, spec, away);
        if (!who) {
            s.person = role.head;
            s.status = step_status::skipped;
            s.note = "role " + role.id + " has no fallback";
            steps.push_back(std::move(s));
            continue;
        }
        s.person = who->person;
        s.for_person = who->for_person;
        auto earlier = std::find_if(steps.begin(), steps.end(), [&](step const& e) {
            return e.status != step_status::skipped && e.person == s.person;
        });
        if (earlier != steps.end()) {
            s.status = step_status::skipped;
            s.note = s.person + " already approves this revision at step " + std::to_string(earlier->position + 1);
        } else {
            s.status = have_pending ? step_status::waiting : step_status::pending;
            have_pending = true;
        }
        steps.push_back(std::move(s));
    }
    return steps;
}

step* current_step(std::vector<step>& steps) {
    for (auto& s : steps)
        if (s.status == step_status::pending) return &s;
    return nullptr;
}

step const* current_step(std::vector<step> const& steps) {
    for (auto const& s : steps)
        if (s.status == step_status::pending) return &s;
    return nullptr;
}

bool tier_is_higher(config::config const& cfg, std::string const& from, std::string const& to) {
    auto f = cfg.tiers.find(from), t = cfg.tiers.find(to);
    if (f == cfg.tiers.end() || t == cfg.tiers.end() || from == to) return false;
    return t->second.size() > f->second.size();
}

}  // namespace signoff::engine
