#include "adapters/telegram.hpp"
#include "bot/core/api_error.hpp"
#include "bot/chat/conversation.hpp"
#include "bot/core/log.hpp"
#include "bot/webhooks/webhooks.hpp"

#include <chrono>

namespace signoff {

void add_telegram_webhook(router& routes, app& a) {
    routes.add("POST", "/webhook/telegram", metered(a, "telegram",
               [&a](http_request const& req, route_params const&) -> boost::asio::awaitable<http_response> {
                   auto const& tg = a.cfg.channels.telegram;
                   if (!tg.active()) throw api_error(404, "not_found", "the Telegram channel is not configured");
                   if (!telegram::verify(req, tg))
                       throw api_error(401, "unauthorized", "missing or wrong X-Telegram-Bot-Api-Secret-Token");
                   chat::inbound_event event;
                   try {
                       event = telegram::parse_update(req.body);
                   } catch (telegram::parse_error const& e) {
                       throw api_error(400, "malformed_update", std::string("not a Telegram update: ") + e.what());
                   }
                   auto started = std::chrono::steady_clock::now();
                   auto const prepared = prepare_reply(a, event);
                   chat::handled result;
                   co_await a.writer.write([&](store::write_tx& tx) {
                       result = chat::handle_event(tx, a.cfg, a.clk.now(), event, std::nullopt, prepared);
                   });
                   auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                                   started);
                   log::info("webhook.accepted",
                             {{"channel", "telegram"},
                              {"update", std::visit([](auto const& e) { return e.dedupe_key; }, event)},
                              {"outcome", result.outcome},
                              {"duplicate", result.duplicate},
                              {"ms", static_cast<double>(us.count()) / 1000.0}});
                   co_return json_response(200, nlohmann::json::object());
               }),
               // The secret is a header: a wrong one is refused before the update is read.
               [&a](http_request const& head) {
                   auto const& tg = a.cfg.channels.telegram;
                   if (tg.active() && !telegram::verify(head, tg))
                       throw api_error(401, "unauthorized", "missing or wrong X-Telegram-Bot-Api-Secret-Token");
               });
}

}  // namespace signoff
