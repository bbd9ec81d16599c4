#include "store/health.hpp"

namespace signoff::store {

std::vector<channel_backlog> outbox_backlog(sqlite::database& db) {
    auto s = db.prepare(health_sql::backlog);
    std::vector<channel_backlog> out;
    while (s.step()) out.push_back({s.column_text(0), s.column_int(1), s.column_int(2)});
    return out;
}

std::optional<millis> oldest_due_queued(sqlite::database& db) {
    auto s = db.prepare(health_sql::oldest_due);
    if (!s.step() || s.column_is_null(0)) return std::nullopt;
    return s.column_int(0);
}

std::vector<role_load> open_items_by_role(sqlite::database& db, millis now) {
    auto s = db.prepare(health_sql::by_role);
    s.bind(now);
    std::vector<role_load> out;
    while (s.step()) out.push_back({s.column_text(0), s.column_int(1), s.column_int(2)});
    return out;
}

}  // namespace signoff::store
