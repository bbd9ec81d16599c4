#pragma once
// Helpers shared by the files that implement bot/actions.hpp; not for other callers.

#include "bot/actions/actions.hpp"
#include "bot/core/item.hpp"
#include "bot/engine/routing.hpp"
#include "store/audit.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace signoff::actions {

engine::away_set away_now(sqlite::database& db, millis now);  // people away at `now`
item load(sqlite::database& db, std::int64_t id);            // 404 when unknown
store::event_record event(context const& ctx, std::string type, item const& it);
nlohmann::json or_null(std::optional<std::string> const& value);

}  // namespace signoff::actions
