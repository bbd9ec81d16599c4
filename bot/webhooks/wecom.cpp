#include "adapters/wecom.hpp"
#include "bot/core/api_error.hpp"
#include "bot/chat/conversation.hpp"
#include "bot/core/log.hpp"
#include "bot/webhooks/webhooks.hpp"

namespace signoff {

void add_wecom_webhook(router& routes, app& a) {
    routes.add("GET", "/webhook/wecom",
               [&a](http_request const& req, route_params const&) -> boost::asio::awaitable<http_response> {
                   auto echo = wecom::verify_url(req, a.cfg.channels.wecom);
                   if (!echo) throw api_error(401, "unauthorized", "msg_signature or receive id does not verify");
                   co_return http_response{.status = 200, .content_type = "text/plain", .body = *echo};
               });
    routes.add("POST", "/webhook/wecom", metered(a, "wecom",
               [&a](http_request const& req, route_params const&) -> boost::asio::awaitable<http_response> {
                   auto const& wc = a.cfg.channels.wecom;
                   if (!wc.active()) throw api_error(404, "not_found", "the WeCom channel is not configured");
                   chat::inbound_event event;
                   try {
                       event = wecom::parse_message(wecom::open_callback(req, wc));
                   } catch (wecom::unauthorised const& e) {
                       throw api_error(401, "unauthorized", e.what());
                   } catch (wecom::parse_error const& e) {
                       throw api_error(400, "malformed_callback", e.what());
                   }
                   auto const prepared = prepare_reply(a, event);
                   chat::handled result;
                   co_await a.writer.write([&](store::write_tx& tx) {
                       result = chat::handle_event(tx, a.cfg, a.clk.now(), event, std::nullopt, prepared);
                   });
                   log::info("webhook.accepted",
                             {{"channel", "wecom"},
                              {"update", std::visit([](auto const& e) { return e.dedupe_key; }, event)},
                              {"outcome", result.outcome},
                              {"duplicate", result.duplicate}});
                   // An empty 200 is WeCom's "no passive reply": answers go through message/send.
                   co_return http_response{.status = 200, .content_type = "text/plain", .body = ""};
               }),
               // msg_signature covers the body's Encrypt, so only its presence is known before it.
               [&a](http_request const& head) {
                   bool const signed_query = head.query("msg_signature") && head.query("timestamp") && head.query("nonce");
                   if (a.cfg.channels.wecom.active() && !signed_query)
                       throw api_error(401, "unauthorized", "msg_signature, timestamp and nonce are required");
               });
}

}  // namespace signoff
