#include "bot/actions/detail.hpp"

#include "bot/core/api_error.hpp"
#include "store/items.hpp"
#include "store/keys.hpp"

namespace signoff::actions {

engine::away_set away_now(sqlite::database& db, millis now) {
    engine::away_set away;
    for (auto const& [person, a] : store::all_away(db))
        if (a.away_at(now)) away.insert(person);
    return away;
}

item load(sqlite::database& db, std::int64_t id) {
    auto it = store::find_item(db, id);
    if (!it) throw api_error(404, "not_found", "no item #" + std::to_string(id), "id");
    return *it;
}

store::event_record event(context const& ctx, std::string type, item const& it) {
    store::event_record e;
    e.at = ctx.now;
    e.type = std::move(type);
    e.item = it.id;
    e.revision = it.revision;
    e.recorded_by = ctx.recorded_by;
    e.channel = ctx.channel;
    e.platform_message_id = ctx.platform_message_id;
    return e;
}

nlohmann::json or_null(std::optional<std::string> const& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace signoff::actions
