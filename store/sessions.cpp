#include "store/sessions.hpp"

#include "bot/core/crypto.hpp"

namespace signoff::store {

namespace {
constexpr std::size_t token_bytes = 32;  // 256 bits from the CSPRNG
}

std::string issue_login_token(sqlite::database& db, std::string const& person, millis now) {
    auto token = crypto::random_hex(token_bytes);
    db.prepare("INSERT INTO login_tokens (token_sha256, person, created_ms, expires_ms) VALUES (?, ?, ?, ?)")
        .bind(crypto::sha256_hex(token), person, now, now + login_link_lifetime)
        .run();
    return token;
}

std::optional<std::string> redeem_login_token(sqlite::database& db, std::string const& token, millis now) {
    auto hash = crypto::sha256_hex(token);
    auto s = db.prepare("UPDATE login_tokens SET used_ms = ? WHERE token_sha256 = ? AND used_ms IS NULL AND "
                        "expires_ms > ? RETURNING person");
    s.bind(now, hash, now);
    if (!s.step()) return std::nullopt;
    return s.column_text(0);
}

std::string open_session(sqlite::database& db, std::string const& person, millis lifetime, millis now,
                         session& opened) {
    auto id = crypto::random_hex(token_bytes);
    opened = {person, crypto::random_hex(token_bytes), now + lifetime};
    db.prepare("INSERT INTO sessions (id_sha256, person, csrf, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?)")
        .bind(crypto::sha256_hex(id), person, opened.csrf, now, opened.expires)
        .run();
    return id;
}

std::optional<session> find_session(sqlite::database& db, std::string const& id, millis now) {
    auto s = db.prepare("SELECT person, csrf, expires_ms FROM sessions WHERE id_sha256 = ? AND ended_ms IS NULL AND "
                        "expires_ms > ?");
    s.bind(crypto::sha256_hex(id), now);
    if (!s.step()) return std::nullopt;
    return session{s.column_text(0), s.column_text(1), s.column_int(2)};
}

void end_session(sqlite::database& db, std::string const& id, millis now) {
    db.prepare("UPDATE sessions SET ended_ms = ? WHERE id_sha256 = ? AND ended_ms IS NULL")
        .bind(now, crypto::sha256_hex(id))
        .run();
}

int prune_sign_ins(sqlite::database& db, millis cutoff, int limit) {
    db.prepare("DELETE FROM login_tokens WHERE token_sha256 IN (SELECT token_sha256 FROM login_tokens WHERE "
               "expires_ms < ? LIMIT ?)")
        .bind(cutoff, static_cast<std::int64_t>(limit))
        .run();
    int n = db.changes();
    db.prepare("DELETE FROM sessions WHERE id_sha256 IN (SELECT id_sha256 FROM sessions WHERE expires_ms < ? LIMIT ?)")
        .bind(cutoff, static_cast<std::int64_t>(limit))
        .run();
    return n + db.changes();
}

}  // namespace signoff::store
