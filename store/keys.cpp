#include "store/keys.hpp"

namespace signoff::store {

bool claim_inbound_key(sqlite::database& db, std::string const& channel, std::string const& key, millis now) {
    db.prepare("INSERT OR IGNORE INTO inbound_keys (channel, key, at_ms) VALUES (?, ?, ?)").bind(channel, key, now).run();
    return db.changes() == 1;
}

std::optional<stored_response> find_idempotent(sqlite::database& db, std::string const& key_name,
                                               std::string const& idem_key) {
    auto s = db.prepare("SELECT request_hash, status, response FROM idempotency WHERE key_name = ? AND idem_key = ?");
    s.bind(key_name, idem_key);
    if (!s.step()) return std::nullopt;
    return stored_response{s.column_text(0), static_cast<int>(s.column_int(1)), s.column_text(2)};
}

void save_idempotent(sqlite::database& db, std::string const& key_name, std::string const& idem_key,
                     stored_response const& r, millis now) {
    db.prepare("INSERT INTO idempotency (key_name, idem_key, request_hash, status, response, at_ms) "
               "VALUES (?, ?, ?, ?, ?, ?)")
        .bind(key_name, idem_key, r.request_hash, r.status, r.body, now)
        .run();
}

std::optional<availability> find_availability(sqlite::database& db, std::string const& person) {
    auto s = db.prepare("SELECT away, until_ms FROM availability WHERE person = ?");
    s.bind(person);
    if (!s.step()) return std::nullopt;
    return availability{s.column_int(0) != 0, s.column_optional_int(1)};
}

std::vector<std::pair<std::string, availability>> all_away(sqlite::database& db) {
    std::vector<std::pair<std::string, availability>> out;
    auto s = db.prepare("SELECT person, until_ms FROM availability WHERE away = 1 ORDER BY person");
    while (s.step()) out.emplace_back(s.column_text(0), availability{true, s.column_optional_int(1)});
    return out;
}

void save_availability(sqlite::database& db, std::string const& person, availability const& a, millis now) {
    db.prepare("INSERT INTO availability (person, away, until_ms, updated_ms) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (person) DO UPDATE SET away = excluded.away, until_ms = excluded.until_ms, "
               "updated_ms = excluded.updated_ms")
        .bind(person, a.away, a.until, now)
        .run();
}

std::optional<contact> find_contact(sqlite::database& db, std::string const& channel, std::string const& address) {
    auto s = db.prepare("SELECT last_inbound_ms, window_closed FROM contacts WHERE channel = ? AND address = ?");
    s.bind(channel, address);
    if (!s.step()) return std::nullopt;
    return contact{s.column_optional_int(0), s.column_int(1) != 0};
}

bool service_window_open(sqlite::database& db, std::string const& channel, std::string const& address, millis window,
                         millis now) {
    auto c = find_contact(db, channel, address);
    return c && c->last_inbound && now - *c->last_inbound < window && !c->window_closed;
}

void note_inbound(sqlite::database& db, std::string const& channel, std::string const& address, millis now) {
    db.prepare("INSERT INTO contacts (channel, address, last_inbound_ms, window_closed) VALUES (?, ?, ?, 0) "
               "ON CONFLICT (channel, address) DO UPDATE SET last_inbound_ms = excluded.last_inbound_ms, "
               "window_closed = 0")
        .bind(channel, address, now)
        .run();
}

void note_window_closed(sqlite::database& db, std::string const& channel, std::string const& address) {
    db.prepare("INSERT INTO contacts (channel, address, last_inbound_ms, window_closed) VALUES (?, ?, NULL, 1) "
               "ON CONFLICT (channel, address) DO UPDATE SET window_closed = 1")
        .bind(channel, address)
        .run();
}

}  // namespace signoff::store
