#include "store/reports.hpp"

#include <nlohmann/json.hpp>

namespace signoff::store {

std::vector<item_timeline> timelines_created_between(sqlite::database& db, millis from, millis to) {
    std::vector<item_timeline> out;
    {
        auto s = db.prepare("SELECT id, kind, role, created_ms, due_ms FROM items WHERE created_ms >= ? AND "
                            "created_ms < ? ORDER BY created_ms, id");
        s.bind(from, to);
        while (s.step())
            out.push_back({s.column_int(0), s.column_text(1), s.column_text(2), s.column_int(3), s.column_int(4)});
    }
    constexpr std::string_view events_sql =
        "SELECT type, at_ms, actor, data FROM events WHERE item_id = ? AND type IN "
        "('submitted', 'approved', 'rejected', 'changes_requested', 'replied', 'escalated') ORDER BY id";
    for (auto& t : out) {
        auto events = db.prepare(events_sql);  // cached: prepared once
        events.bind(t.id);
        while (events.step()) {
            auto const type = events.column_text(0);
            auto const at = events.column_int(1);
            if (type == "submitted") {
                auto data = nlohmann::json::parse(events.column_text(3), nullptr, false);
                if (data.is_object() && data.contains("due") && data["due"].is_string())
                    if (auto due = parse_rfc3339(data["due"].get<std::string>())) t.due = *due;
            } else if (type == "escalated") {
                ++t.escalations;
            } else if (!t.handled) {
                t.handled = at;
                t.handled_by = events.column_optional_text(2);
            }
        }
    }
    return out;
}

}  // namespace signoff::store
