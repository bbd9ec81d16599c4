#pragma once
// The web console's pages (SPEC §10): GET / and GET /console/NAME serve the static files
// compiled into the binary; GET /console/texts?lang=TAG their words in a language. The pages
// call the REST API with the session's rights (bot/api/session.cpp signs people in).

#include "bot/net/router.hpp"

namespace signoff::console {

void add_console_routes(router& routes);

}  // namespace signoff::console
