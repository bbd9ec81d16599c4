#include "adapters/whatsapp.hpp"
#include "bot/core/api_error.hpp"
#include "bot/chat/conversation.hpp"
#include "bot/core/log.hpp"
#include "bot/webhooks/webhooks.hpp"

namespace signoff {

void add_whatsapp_webhook(router& routes, app& a) {
    routes.add("GET", "/webhook/whatsapp",
               [&a](http_request const& req, route_params const&) -> boost::asio::awaitable<http_response> {
                   auto challenge = whatsapp::verify_subscription(req, a.cfg.channels.whatsapp);
                   if (!challenge) throw api_error(403, "forbidden", "wrong hub.mode or hub.verify_token");
                   co_return http_response{.status = 200, .content_type = "text/plain", .body = *challenge};
               });
    routes.add("POST", "/webhook/whatsapp", metered(a, "whatsapp",
               [&a](http_request const& req, route_params const&) -> boost::asio::awaitable<http_response> {
                   auto const& wa = a.cfg.channels.whatsapp;
                   if (!wa.active()) throw api_error(404, "not_found", "the WhatsApp channel is not configured");
                   if (!whatsapp::verify_signature(req, wa))
                       throw api_error(401, "unauthorized", "missing or wrong X-Hub-Signature-256");
                   std::vector<chat::inbound_event> events;
                   try {
                       events = whatsapp::parse_notification(req.body, wa.phone_number_id);
                   } catch (whatsapp::parse_error const& e) {
                       throw api_error(400, "malformed_notification", e.what());
                   }
                   // Every message and status of one POST is committed together, before the 200.
                   std::vector<std::optional<chat::prepared_reply>> prepared;
                   for (auto const& event : events) prepared.push_back(prepare_reply(a, event));
                   std::vector<chat::handled> results;
                   co_await a.writer.write([&](store::write_tx& tx) {
                       results.clear();
                       for (std::size_t i = 0; i < events.size(); ++i)
                           results.push_back(chat::handle_event(tx, a.cfg, a.clk.now(), events[i],
                                                                whatsapp::service_window, prepared[i]));
                   });
                   for (std::size_t i = 0; i < events.size(); ++i)
                       log::info("webhook.accepted",
                                 {{"channel", "whatsapp"},
                                  {"update", std::visit([](auto const& e) { return e.dedupe_key; }, events[i])},
                                  {"outcome", results[i].outcome},
                                  {"duplicate", results[i].duplicate}});
                   co_return json_response(200, nlohmann::json::object());
               }),
               // The signature covers the body, so only its presence and form are known before it.
               [&a](http_request const& head) {
                   if (a.cfg.channels.whatsapp.active() && !whatsapp::signature_well_formed(head))
                       throw api_error(401, "unauthorized", "missing or wrong X-Hub-Signature-256");
               });
}

}  // namespace signoff
