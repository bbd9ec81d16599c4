#pragma once
// The reads an operator watches, each one indexed query cheap enough to run at every scrape of
// /metrics or probe of /readyz: the outbox backlog per channel, the oldest row overdue for a
// delivery attempt, and the open and overdue items per role.

#include "bot/core/time.hpp"
#include "store/items.hpp"
#include "store/sqlite.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::store {

struct channel_backlog {
    std::string channel;
    std::int64_t queued = 0;   // rows waiting to be delivered (status queued)
    millis oldest_created = 0;  // when the oldest of them was written
};

struct role_load {
    std::string role;
    std::int64_t open = 0;     // items waiting for an approver or responder
    std::int64_t overdue = 0;  // of those, past their due time at `now`
};

// The queries, for the test that checks each is answered from an index (schema v4 and v1's
// outbox_due), never by a table scan. Without ANALYZE statistics SQLite prefers items_by_status
// for the role query, which reads every row of each open status and sorts them; INDEXED BY keeps
// it on the covering partial index, and fails loudly if that index is ever dropped.
namespace health_sql {
inline constexpr std::string_view backlog =
    "SELECT channel, COUNT(*), MIN(created_ms) FROM outbox WHERE status = 'queued' GROUP BY channel ORDER BY channel";
inline constexpr std::string_view oldest_due = "SELECT MIN(next_attempt_ms) FROM outbox WHERE status = 'queued'";
inline std::string const by_role =
    "SELECT role, COUNT(*), COALESCE(SUM(due_ms < ?), 0) FROM items INDEXED BY items_open_by_role WHERE " +
    std::string(open_status_sql) + " GROUP BY role ORDER BY role";
}  // namespace health_sql

std::vector<channel_backlog> outbox_backlog(sqlite::database& db);  // by channel name
// The earliest next-attempt time of a queued row: how long the dispatcher has left it waiting.
std::optional<millis> oldest_due_queued(sqlite::database& db);
std::vector<role_load> open_items_by_role(sqlite::database& db, millis now);  // by role id

}  // namespace signoff::store
