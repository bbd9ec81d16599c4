#include "store/schedule.hpp"

#include "store/items.hpp"

namespace signoff::store {

std::vector<std::int64_t> items_with_timers_before(sqlite::database& db, millis horizon, int limit) {
    std::vector<std::int64_t> out;
    // Items escalated as far as they go have no timers left and are not looked at, so they can
    // never crowd out the others. One range per kind of timer, each on a partial index of
    // exactly its set (an OR of the three would read every open item's row on every tick).
    static std::string const open_with_timers = std::string(open_status_sql) + " AND escalation_level < 2";
    static std::string const sql =
        "SELECT id FROM ("
        "SELECT id, due_ms FROM items INDEXED BY items_with_timers WHERE " + open_with_timers +
        " AND due_ms <= ?1 UNION "
        "SELECT id, due_ms FROM items INDEXED BY items_interim_timers WHERE " + open_with_timers +
        " AND interim_due_ms IS NOT NULL AND interim_due_ms <= ?1 UNION "
        "SELECT id, due_ms FROM items INDEXED BY items_urgent_timers WHERE " + open_with_timers +
        " AND urgent = 1) ORDER BY due_ms, id LIMIT ?2";
    auto s = db.prepare(sql);
    s.bind(horizon, static_cast<std::int64_t>(limit));
    while (s.step()) out.push_back(s.column_int(0));
    return out;
}

std::vector<std::int64_t> publications_due(sqlite::database& db, millis now, int limit) {
    std::vector<std::int64_t> out;
    auto s = db.prepare("SELECT id FROM items WHERE publication_due_ms IS NOT NULL AND publication_due_ms <= ? "
                        "ORDER BY publication_due_ms LIMIT ?");
    s.bind(now, static_cast<std::int64_t>(limit));
    while (s.step()) out.push_back(s.column_int(0));
    return out;
}

bool claim_timer(sqlite::database& db, std::int64_t item, std::string const& kind, millis at, millis now) {
    db.prepare("INSERT OR IGNORE INTO timers_fired (item_id, kind, at_ms, fired_ms) VALUES (?, ?, ?, ?)")
        .bind(item, kind, at, now)
        .run();
    return db.changes() == 1;
}

bool claim_digest(sqlite::database& db, std::string const& person, std::string const& local_date, millis now) {
    db.prepare("INSERT OR IGNORE INTO digests_sent (person, local_date, sent_ms) VALUES (?, ?, ?)")
        .bind(person, local_date, now)
        .run();
    return db.changes() == 1;
}

std::vector<std::string> people_with_open_items(sqlite::database& db) {
    std::vector<std::string> out;
    static std::string const sql = "SELECT DISTINCT assignee FROM items WHERE " + std::string(open_status_sql) +
                                   " AND assignee IS NOT NULL ORDER BY assignee";
    auto s = db.prepare(sql);
    while (s.step()) out.push_back(s.column_text(0));
    return out;
}

}  // namespace signoff::store
