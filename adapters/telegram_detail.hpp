#pragma once
// The Bot API request pieces that telegram.cpp and telegram_media.cpp share.

#include "bot/core/chat_types.hpp"
#include "bot/core/http_types.hpp"
#include "config/config.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace signoff::telegram::detail {

// An integer chat id, or "@channelusername" as is.
nlohmann::ordered_json chat_id_of(std::string const& to);
// At most `max_units` UTF-16 code units, cut with "…"; throws std::invalid_argument on invalid UTF-8.
std::string fit_utf16(std::string const& s, std::size_t max_units);
// An InlineKeyboardMarkup; throws std::invalid_argument for callback data outside 1–64 bytes.
nlohmann::ordered_json keyboard(std::vector<std::vector<chat::button>> const& rows);
// POST api_base/bot<token>/<method> with a JSON body.
http_call api_call(config::telegram_config const& cfg, std::string_view method, nlohmann::ordered_json const& body);

}  // namespace signoff::telegram::detail
