#pragma once
// The chat core, channel-neutral: applies one inbound message or button press for a person in
// the directory with the engine's rules, inside the caller's write transaction, and queues
// every answer in the outbox (so the webhook's 200 means all of it is committed). Refusals are
// answers in the sender's language, never errors.

#include "bot/core/chat_types.hpp"
#include "bot/core/time.hpp"
#include "config/config.hpp"
#include "store/reader_pool.hpp"
#include "store/writer.hpp"

#include <optional>
#include <string>

namespace signoff::chat {

struct handled {
    bool duplicate = false;  // the delivery was seen before: nothing was done
    std::string outcome;     // for the log: "approve", "refused:not_assignee", "stranger", "ignored:sticker", …
};

// `service_window`: for a channel that allows free text only within a window after the person's
// last message, its length; each message then reopens it, and the cards that reached the
// person meanwhile only as templates follow in full.

// The answer to a read-only command (`show N` from a person in the directory), rendered from a
// reader on the request's thread before the write: the single writer then only records it with
// the update, instead of rendering it while every other update waits. Empty for anything else.
struct prepared_reply {
    std::int64_t item = 0;
    int revision = 0;
    std::string text;
};
// Takes a reader from the pool only for such a command.
std::optional<prepared_reply> prepare_reply(store::reader_pool& readers, config::config const& cfg,
                                            inbound_event const& event);

// `prepared`: what prepare_reply gave for this event, if anything.
handled handle_event(store::write_tx& tx, config::config const& cfg, millis now, inbound_event const& event,
                     std::optional<millis> service_window = std::nullopt,
                     std::optional<prepared_reply> const& prepared = std::nullopt);

}  // namespace signoff::chat
