#pragma once
// The creatives a card shows (SPEC §6), read for its channel at send time: uploaded ones with
// their stored bytes when the channel uploads them, and a signed link when the server has a
// public URL; external ones by their URL.

#include "adapters/channel.hpp"
#include "bot/media/library.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace signoff {

struct card_creatives {
    std::vector<channels::creative> creatives;  // to send with the card, in the item's order
    bool too_large = false;  // some could be neither uploaded nor linked: the card says so
};

// `media`: an item's media entries. A file missing or unreadable now is left out and logged
// (with `outbox_id`), so the card still goes. None when the channel shows no creatives.
card_creatives prepare_creatives(nlohmann::json const& media, media::library const& library,
                                 channels::channel const& ch, std::int64_t outbox_id, millis now);

// Whether two media lists hold the same creatives in the same order (by id, or URL for external ones).
bool same_creatives(nlohmann::json const& a, nlohmann::json const& b);

}  // namespace signoff
