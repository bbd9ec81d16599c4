#pragma once
// The changes people and tools make, each as one unit of work inside a write transaction:
// load state, apply the engine's rules, save state, append the audit event, queue the
// messages it causes. Called from REST handlers and (later) chat commands alike.

#include "bot/actions/submission.hpp"
#include "bot/engine/transitions.hpp"
#include "config/config.hpp"
#include "store/writer.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace signoff::actions {

// Who is acting and through what, for the audit trail.
struct context {
    config::config const& cfg;
    millis now;
    std::optional<std::string> recorded_by;          // API key name
    std::string channel = "api";
    std::optional<std::string> platform_message_id;  // the inbound message it came through
};

nlohmann::json submit(store::write_tx& tx, context const& ctx, submission const& s, std::string const& submitted_by);
nlohmann::json revise(store::write_tx& tx, context const& ctx, std::int64_t id, nlohmann::json const& body,
                      std::string const& submitted_by);
nlohmann::json publish(store::write_tx& tx, context const& ctx, std::int64_t id, publication const& p);
nlohmann::json withdraw(store::write_tx& tx, context const& ctx, std::int64_t id, std::optional<std::string> reason);
// Returns the item as decided; its JSON (item_json) is for callers that answer with it.
item decide(store::write_tx& tx, context const& ctx, std::int64_t id, engine::decision const& d);
// Hands `actor`'s step (draft) or assignment (complaint) to `to`; 409 not_assignee when it is
// not theirs (admins may hand anyone's on).
nlohmann::json assign(store::write_tx& tx, context const& ctx, std::int64_t id, std::string const& actor,
                      std::string const& to);
void set_availability(store::write_tx& tx, context const& ctx, std::string const& person,
                      availability_input const& a);

// Escalation (SPEC §7): level 1 hands the item to its role's fallback, level 2 to the first
// observer present; observers get a copy and the agency the callback item.escalated. The new
// holder is reached on every channel, SMS included. No-op for closed or already escalated items.
void escalate(store::write_tx& tx, context const& ctx, std::int64_t id, int level, std::string const& why);

// Reminds whoever the item waits for of its coming deadline.
void remind(store::write_tx& tx, context const& ctx, std::int64_t id, std::string const& kind);
// An approved draft past its planned publication: reminds the authorised publishers (people
// with `publisher`) once, and records it; the reminder is then cleared.
void remind_publication(store::write_tx& tx, context const& ctx, std::int64_t id);

// The content checks a draft would get if it were submitted now, without storing anything:
// {"checks": [...], "tier": the tier after a raise by prohibited terms}. The console's submit
// form shows them as the text is typed. 422 unknown_media for an upload id not stored.
nlohmann::json preview_checks(sqlite::database& db, config::config const& cfg, submission const& s);

// The item as the API shows it; with `detail`, also its revisions (its events are paged by the
// caller: bot/api/items.cpp). 404 when unknown.
nlohmann::json item_json(sqlite::database& db, std::int64_t id, bool detail);

}  // namespace signoff::actions
