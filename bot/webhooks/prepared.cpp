#include "bot/webhooks/webhooks.hpp"

#include "bot/core/log.hpp"

namespace signoff {

std::optional<chat::prepared_reply> prepare_reply(app& a, chat::inbound_event const& event) {
    try {
        return chat::prepare_reply(a.readers, a.cfg, event);
    } catch (std::exception const& e) {
        // Not an answer lost: the writer renders it instead, as it does any other command.
        log::warn("webhook.prepare_failed", {{"error", e.what()}});
        return std::nullopt;
    }
}

}  // namespace signoff
