#pragma once
// A few example items for the embedded demo configuration, so that a first `scripts/run.sh`
// shows what signoff does: submitted on first start into an empty store, only when no
// configuration file was given, each titled "Example:" and with external_ref "demo-seed-N".

#include "bot/app.hpp"

namespace signoff {

// Returns how many items were seeded (0 when the store already has items).
int seed_demo_items(app& a);

}  // namespace signoff
