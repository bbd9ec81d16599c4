#pragma once
// The platform webhook endpoints of SPEC §5, one registration function per channel.

#include "bot/app.hpp"
#include "bot/net/router.hpp"

namespace signoff {

void add_telegram_webhook(router& routes, app& a);  // POST /webhook/telegram
void add_whatsapp_webhook(router& routes, app& a);  // GET and POST /webhook/whatsapp
void add_wecom_webhook(router& routes, app& a);     // GET and POST /webhook/wecom

}  // namespace signoff
