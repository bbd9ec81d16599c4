#pragma once
// The console's sign-in (SPEC §10): one-time links valid ten minutes, and the sessions they
// open. Tokens are random; only their SHA-256 is stored.

#include "bot/core/time.hpp"
#include "store/sqlite.hpp"

#include <optional>
#include <string>

namespace signoff::store {

inline constexpr millis login_link_lifetime = 10 * ms_per_minute;

// A new one-time sign-in token for `person`, valid login_link_lifetime; returns the token.
std::string issue_login_token(sqlite::database& db, std::string const& person, millis now);

// Uses the token once: the person it was issued to, when it is known, unused and unexpired at
// `now`; nullopt otherwise (and then nothing changes).
std::optional<std::string> redeem_login_token(sqlite::database& db, std::string const& token, millis now);

struct session {
    std::string person;
    std::string csrf;  // sent by the page with every state-changing request
    millis expires = 0;
};

// Opens a session for `person` until now + lifetime; returns its id (the cookie's value).
std::string open_session(sqlite::database& db, std::string const& person, millis lifetime, millis now,
                         session& opened);
// The live session of this id at `now`; nullopt when unknown, ended or expired.
std::optional<session> find_session(sqlite::database& db, std::string const& id, millis now);
void end_session(sqlite::database& db, std::string const& id, millis now);

// Deletes tokens and sessions that expired before `cutoff`; returns how many rows went.
int prune_sign_ins(sqlite::database& db, millis cutoff, int limit);

}  // namespace signoff::store
