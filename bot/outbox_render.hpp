#pragma once
// Turns one outbox row into the request its channel needs: the row holds the intent (purpose,
// item, revision, extra fields); the item is read now, rendered in the recipient's language,
// then translated by the channel's adapter. Also reads the channel's answer.

#include "bot/chat_types.hpp"
#include "config/config.hpp"
#include "store/outbox.hpp"

#include <optional>
#include <string>

namespace signoff {

struct rendered_request {
    std::optional<chat::outbound_request> request;  // nullopt: nothing can be sent (see why)
    std::string why;                                // when request is nullopt
};

// The chat a row counts against for rate limits, known without rendering it: "" (only the
// channel's overall rate) for edits, button answers and callbacks, else the chat's address.
std::string rate_key_of(store::outbox_message const& m);

rendered_request render_outbox(config::config const& cfg, sqlite::database& db, store::outbox_message const& m);

chat::send_result read_outbox_result(config::config const& cfg, store::outbox_message const& m, int status,
                                     std::string const& body);

}  // namespace signoff
