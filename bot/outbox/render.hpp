#pragma once
// Turns one outbox row into the request its channel needs: the row holds the intent (purpose,
// item, revision, extra fields); the item is read now, rendered in the recipient's language,
// then translated by the channel's adapter. Also reads the channel's answer.

#include "bot/core/chat_types.hpp"
#include "config/config.hpp"
#include "store/outbox.hpp"

#include <optional>
#include <string>
#include <vector>

namespace signoff {

struct rendered_request {
    std::vector<chat::outbound_request> requests;  // sent in order; the last one's message id is kept
    std::string why;                               // when there are no requests and not `skip`: why not
    bool skip = false;                             // nothing needs sending on this channel: done as is
    bool as_template = false;                      // WhatsApp: the template instead of free text
    std::vector<chat::outbound_request> fallback;  // sent instead when `requests` are refused for good
};

// WeCom URLs carry the access token; rows are rendered with this placeholder, which the
// dispatcher replaces with the cached token just before sending.
inline constexpr char const* wecom_token_placeholder = "SIGNOFF_ACCESS_TOKEN";

// The chat a row counts against for rate limits, known without rendering it: "" (only the
// channel's overall rate) for edits, button answers and callbacks, else the chat's address.
std::string rate_key_of(store::outbox_message const& m);

rendered_request render_outbox(config::config const& cfg, sqlite::database& db, store::outbox_message const& m,
                               millis now);

// Whether a WhatsApp user wrote to the bot within the last 24 hours (and no 131047 since).
bool whatsapp_window_open(sqlite::database& db, std::string const& address, millis now);

chat::send_result read_outbox_result(config::config const& cfg, store::outbox_message const& m, int status,
                                     std::string const& body);

}  // namespace signoff
