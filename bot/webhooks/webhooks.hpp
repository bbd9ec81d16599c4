#pragma once
// The platform webhook endpoints of SPEC §5, one registration function per channel.

#include "bot/app.hpp"
#include "bot/chat/conversation.hpp"
#include "bot/net/router.hpp"

namespace signoff {

void add_telegram_webhook(router& routes, app& a);  // POST /webhook/telegram
void add_whatsapp_webhook(router& routes, app& a);  // GET and POST /webhook/whatsapp
void add_wecom_webhook(router& routes, app& a);     // GET and POST /webhook/wecom

// Wraps a webhook handler to count signoff_webhook_requests_total{channel, code} and observe
// signoff_webhook_request_duration_seconds{channel}, errors included.
router::handler metered(app& a, std::string const& channel, router::handler h);

// chat::prepare_reply on the store's readers; empty when the event has nothing to prepare or
// the read failed (the writer then renders the answer itself).
std::optional<chat::prepared_reply> prepare_reply(app& a, chat::inbound_event const& event);

}  // namespace signoff
