#pragma once
// Persistence of items, revisions and steps. Functions take the connection they run on:
// the writer's inside a write job, or a reader's for queries.

#include "bot/core/item.hpp"
#include "store/sqlite.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::store {

// An item is open in these statuses, spelt as the partial indexes of open items spell it (an
// OR of equalities, which SQLite tests in place: see migration 12). A query that should read
// one of those indexes says it the same way, so the planner can tell the index covers it.
inline constexpr std::string_view open_status_sql =
    "(status = 'pending' OR status = 'open' OR status = 'acknowledged')";

std::int64_t insert_item(sqlite::database& db, item const& i);  // returns the new id
void update_item(sqlite::database& db, item const& i);
std::optional<item> find_item(sqlite::database& db, std::int64_t id);

void insert_revision(sqlite::database& db, std::int64_t item_id, revision const& r);
std::vector<revision> revisions_of(sqlite::database& db, std::int64_t item_id);

void insert_step(sqlite::database& db, std::int64_t item_id, step const& s);
void update_step(sqlite::database& db, std::int64_t item_id, step const& s);
std::vector<step> steps_of(sqlite::database& db, std::int64_t item_id, int revision);

struct item_filter {
    std::optional<std::string> status;
    std::optional<std::string> kind;
    std::optional<std::string> assignee;
    std::optional<std::string> role;
    std::optional<millis> overdue_at;  // only open items with due before this instant
    std::optional<std::int64_t> before_id;  // the `after` cursor: items older than this id
    int limit = 50;
};
std::vector<item> list_items(sqlite::database& db, item_filter const& filter);  // newest first

// Drafts planned for publication in [from, to) by publish_at, earliest first (the calendar).
std::vector<item> planned_between(sqlite::database& db, millis from, millis to, int limit);

// Open items waiting for `person`, oldest due first.
std::vector<item> open_items_for(sqlite::database& db, std::string const& person, int limit);

// Open items whose pending step or assignee is `person` (for reassignment when they go away).
std::vector<std::int64_t> open_item_ids_for(sqlite::database& db, std::string const& person);

}  // namespace signoff::store
