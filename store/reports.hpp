#pragma once
// What the SLA report reads: for each item created in a period, when it was due when submitted,
// when it was first handled (a draft's decision, a complaint's final reply) and whether it was
// escalated — from the items table by creation time and each item's events by item.

#include "bot/core/item.hpp"
#include "bot/core/time.hpp"
#include "store/sqlite.hpp"

#include <vector>

namespace signoff::store {

// Items created in [from, to), oldest first.
std::vector<item_timeline> timelines_created_between(sqlite::database& db, millis from, millis to);

}  // namespace signoff::store
