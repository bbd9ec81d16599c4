#pragma once
// A tier's step specs resolved to a sequential chain of approvers for one revision.
// A step that resolves to someone already in the chain is kept, marked skipped, with why.

#include "bot/core/item.hpp"
#include "bot/engine/routing.hpp"

#include <string>
#include <vector>

namespace signoff::engine {

// The first step that is not skipped is pending; the rest wait. Throws api_error 400 for an
// unknown tier.
std::vector<step> plan_steps(config::config const& cfg, config::role const& role, std::string const& tier,
                             int revision, away_set const& away);

// The chain's current step, or nullptr when none is pending.
step* current_step(std::vector<step>& steps);
step const* current_step(std::vector<step> const& steps);

// Whether `to` asks for more approvals than `from` (used when a prohibited term raises a tier).
bool tier_is_higher(config::config const& cfg, std::string const& from, std::string const& to);

}  // namespace signoff::engine
