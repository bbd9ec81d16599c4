#pragma once
// What signoff owes people and the agency, written as outbox rows in the transaction of the
// change that causes it. Rows hold the intent (purpose, item, revision, text); the dispatcher
// renders it for the recipient's channel and language when it delivers.

#include "bot/core/item.hpp"
#include "config/config.hpp"
#include "store/writer.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace signoff::notify {

struct channel_choice {
    std::string channel;  // one of config::chat_channels
    std::string address;  // chat id, wa_id, userid
};

// The first channel in the person's `prefer` order (then config::chat_channels) that is
// active and on which they have an address. SMS is never chosen here: it is for urgent items.
std::optional<channel_choice> preferred_channel(config::config const& cfg, config::person const& person);

// Queues a message about `it` for `person`; recorded as undeliverable when no channel reaches them.
void to_person(store::write_tx& tx, config::config const& cfg, std::string const& person, std::string const& purpose,
               item const& it, nlohmann::json extra, millis now);

// Urgent items: the message goes at once on every channel that reaches the person, SMS
// included; recorded as undeliverable when none does.
void to_person_everywhere(store::write_tx& tx, config::config const& cfg, std::string const& person,
                          std::string const& purpose, item const& it, nlohmann::json extra, millis now);

// The daily digest for `person` (rendered from their open items when delivered).
void digest(store::write_tx& tx, config::config const& cfg, std::string const& person, std::string const& local_date,
            millis now);

// Queues edits of the cards already delivered about `it`, so their buttons go and they say
// what happened: all of them when `everyone`, else those of `revision` sent to anyone but `keep`.
void card_updates(store::write_tx& tx, item const& it, nlohmann::json const& what, bool everyone,
                  std::optional<std::string> const& keep, millis now);

// A direct answer in a chat (to a command or a button press), sent on the channel it came from.
void chat_reply(store::write_tx& tx, std::string const& channel, std::string const& chat,
                std::optional<std::string> const& recipient, std::string const& purpose, nlohmann::json payload,
                std::optional<std::int64_t> item, std::optional<int> revision, millis now);

// Queues the agency callback (when api.callback is set) with the exact body to sign and send.
void callback(store::write_tx& tx, config::config const& cfg, std::string const& event, nlohmann::json item_json,
              millis now);

}  // namespace signoff::notify
