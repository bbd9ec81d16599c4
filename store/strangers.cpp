#include "store/strangers.hpp"

namespace signoff::store {

namespace {
constexpr std::string_view claim_sql =
    "INSERT INTO stranger_refusals (channel, chat, at_ms) VALUES (?, ?, ?) "
    "ON CONFLICT (channel, chat) DO UPDATE SET at_ms = excluded.at_ms WHERE at_ms <= ?";
}

bool claim_stranger_refusal(sqlite::database& db, std::string const& channel, std::string const& chat, millis now) {
    db.prepare(claim_sql).bind(channel, chat, now, now - stranger_refusal_interval).run();
    return db.changes() > 0;
}

}  // namespace signoff::store
