#pragma once
// Keys that make repeated requests harmless: inbound webhook de-duplication and REST
// Idempotency-Key replays. Both are written in the same transaction as the effects.

#include "bot/core/time.hpp"
#include "store/sqlite.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace signoff::store {

// Records (channel, key); false when it was already recorded (a duplicate delivery).
bool claim_inbound_key(sqlite::database& db, std::string const& channel, std::string const& key, millis now);

struct stored_response {
    std::string request_hash;
    int status = 0;
    std::string body;
};
std::optional<stored_response> find_idempotent(sqlite::database& db, std::string const& key_name,
                                               std::string const& idem_key);
void save_idempotent(sqlite::database& db, std::string const& key_name, std::string const& idem_key,
                     stored_response const& response, millis now);

// When `address` last wrote to the bot on `channel`, and whether the platform said the
// free-text window is closed (WhatsApp 131047) since then.
struct contact {
    std::optional<millis> last_inbound;
    bool window_closed = false;
};
std::optional<contact> find_contact(sqlite::database& db, std::string const& channel, std::string const& address);
// Whether the person wrote on `channel` within `window` before `now`, with no refusal of free
// text since (channels whose platform allows free text only within such a window).
bool service_window_open(sqlite::database& db, std::string const& channel, std::string const& address, millis window,
                         millis now);
void note_inbound(sqlite::database& db, std::string const& channel, std::string const& address, millis now);
void note_window_closed(sqlite::database& db, std::string const& channel, std::string const& address);

struct availability {
    bool away = false;
    std::optional<millis> until;  // away ends by itself at this instant
    bool away_at(millis now) const { return away && (!until || *until > now); }
};
std::optional<availability> find_availability(sqlite::database& db, std::string const& person);
std::vector<std::pair<std::string, availability>> all_away(sqlite::database& db);  // rows with away set
void save_availability(sqlite::database& db, std::string const& person, availability const& a, millis now);

}  // namespace signoff::store
