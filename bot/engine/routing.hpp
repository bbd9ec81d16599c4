#pragma once
// Who an item goes to (SPEC §7): the routed role's head, or a stand-in while the head is away.
// Pure: the directory and the set of people away now are inputs.

#include "config/config.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace signoff::engine {

using away_set = std::set<std::string, std::less<>>;

// The role for `role` if given, else the one owning `topic`; throws api_error 422 "unroutable".
config::role const& route(config::config const& cfg, std::optional<std::string> const& role,
                          std::optional<std::string> const& topic);

struct assignment {
    std::string person;                     // who acts
    std::optional<std::string> for_person;  // whom they stand in for, when not themselves
};

// The role's head; while away the fallback; if that one is away too, the first observer who is
// not away; never nobody (the head, when everyone is away).
assignment stand_in(config::config const& cfg, config::role const& role, away_set const& away);

// Heads of the roles that coordinate `region` (they get copies, not steps).
std::vector<std::string> region_coordinators(config::config const& cfg, std::optional<std::string> const& region);

}  // namespace signoff::engine
