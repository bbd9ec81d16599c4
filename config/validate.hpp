#pragma once
// The semantic checks of configuration loading, run over the decoded structs: formats (ids,
// phone numbers, addresses, URLs, times), references (heads, fallbacks, observers, tier steps),
// uniqueness, and the warnings about inactive channels, disabled keys and unreachable people.
// Values that came from the environment are never quoted in a message.

#include <vector>

#include "config/config.hpp"
#include "config/env_expand.hpp"
#include "config/load.hpp"

namespace signoff::config {

// Appends every problem found in C; SRC tells which blocks the document had and which values
// came from the environment. Order is not significant: the loader sorts by document position.
void validate(config const& c, source_info const& src, std::vector<problem>& out);

}  // namespace signoff::config
