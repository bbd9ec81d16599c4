#pragma once
// Turns one outbox row into the requests its channel needs: the row holds the intent (purpose,
// item, revision, extra fields); the item is read now and composed in the recipient's language,
// then the channel renders it for its platform.

#include "adapters/channel.hpp"
#include "bot/media/library.hpp"
#include "config/config.hpp"
#include "store/outbox.hpp"

#include <string>

namespace signoff {

// The chat a row counts against for rate limits, known without rendering it: "" (only the
// channel's overall rate) when its channel does not count the row's purpose per chat, else the
// chat's address.
std::string rate_key_of(store::outbox_message const& m, channels::channel const& ch);

// `ch` is the row's channel, or null when the server has none of that name. Item cards carry
// the item's creatives from `library` (those the recipient has not seen yet).
channels::rendering render_outbox(config::config const& cfg, sqlite::database& db, media::library const& library,
                                  store::outbox_message const& m, channels::channel const* ch, millis now);

// The cards queued for one chat as one list message (SPEC §6), delivered as the row `head`;
// no requests (with `why`) when they cannot go as a list now (the channel's service window is
// closed, or none of their items is left), so each goes as itself.
channels::rendering render_card_list(config::config const& cfg, sqlite::database& db, store::outbox_message const& head,
                                     std::vector<store::outbox_message> const& cards, channels::channel const* ch,
                                     millis now);

}  // namespace signoff
