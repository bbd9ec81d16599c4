#pragma once
// The persistent outbox: every message signoff owes someone (chat, SMS, callback) is a row
// written in the transaction of the change that caused it, then delivered by the dispatcher.

#include "bot/core/time.hpp"
#include "store/writer.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace signoff::store {

namespace outbox_status {
inline constexpr char const* queued = "queued";
inline constexpr char const* sent = "sent";
inline constexpr char const* dead = "dead";                  // gave up after bounded retries
inline constexpr char const* undeliverable = "undeliverable";  // no active channel for the recipient
}  // namespace outbox_status

// The order in which due rows go (SPEC §8), set at enqueue by purpose: lower goes first.
namespace outbox_priority {
inline constexpr int answer = 0;  // the answer to a person's own command or button press
inline constexpr int urgent = 1;  // anything about an urgent item, escalations
inline constexpr int card = 2;    // cards, card edits, copies, reminders, callbacks
inline constexpr int bulk = 3;    // digests
inline constexpr int lowest = bulk;
}  // namespace outbox_priority

struct outbox_message {
    std::int64_t id = 0;
    std::string channel;                   // telegram, whatsapp, wecom, sms, callback, or "none"
    std::optional<std::string> recipient;  // person id (null for callbacks)
    std::optional<std::string> address;    // chat id, phone number, user id or URL
    std::string purpose;                   // e.g. "item_card", "decision_copy", "callback"
    std::optional<std::int64_t> item;
    std::optional<int> revision;
    nlohmann::json payload;                // the rendered intent; for callbacks the exact body
    std::string status = outbox_status::queued;
    int priority = outbox_priority::card;
    int attempts = 0;
    millis next_attempt_at = 0;
    std::optional<std::string> platform_message_id;
    std::optional<std::string> last_error;
    millis created_at = 0;
};

std::int64_t enqueue(write_tx& tx, outbox_message const& m);

// Delivery bookkeeping, used by the dispatcher inside write jobs (and reads for scheduling).
// Up to `limit` rows due at `now`: by priority, then oldest due first.
std::vector<outbox_message> due_messages(sqlite::database& db, millis now, int limit);
std::optional<millis> next_due_after(sqlite::database& db, millis now);  // the next row to fall due later than now
// `as_template`: a WhatsApp template went instead of the message (its window was closed); the
// payload remembers it so the full message can follow once the person writes. `sent_as`, when
// not empty, is kept in the payload as "sent_as" (how the kept message went, for later edits).
void mark_sent(write_tx& tx, std::int64_t id, int attempts, std::optional<std::string> const& platform_message_id,
               millis now, bool as_template = false, std::string const& sent_as = {});
void reschedule(write_tx& tx, std::int64_t id, int attempts, millis next_attempt_at, std::string const& error,
                millis now);
// The row's creatives went, its card not yet: a retry sends the card alone (payload "creatives_sent").
void note_creatives_sent(write_tx& tx, std::int64_t id);
void mark_dead(write_tx& tx, std::int64_t id, int attempts, std::string const& error, millis now);
// Moves queued rows held back by their chat's rate limit to the instant they may go, so they
// stop filling the dispatcher's batch; attempts and errors are left as they are.
struct deferral {
    std::int64_t id = 0;
    millis until = 0;
};
void defer(write_tx& tx, std::vector<deferral> const& rows, millis now);
// The queued cards (purpose item_card) for one chat, oldest first, at most `limit`.
std::vector<outbox_message> queued_cards_for_chat(sqlite::database& db, std::string const& channel,
                                                  std::string const& address, int limit);
// Cards that went as lines of one list message instead of one message each (SPEC §6): sent,
// with no platform message id of their own (the list is not about one item).
// `head`: the row whose delivery carried the list.
void mark_listed(write_tx& tx, std::vector<std::int64_t> const& ids, std::int64_t head, millis now);
std::optional<outbox_message> find_outbox(sqlite::database& db, std::int64_t id);
// The bot's message `platform_message_id` in chat `address`, to tie quote-replies and button presses to items.
std::optional<outbox_message> find_by_platform_message(sqlite::database& db, std::string const& channel,
                                                       std::string const& address,
                                                       std::string const& platform_message_id);
// The latest card sent to `recipient` about `item` (to show a diff from the revision they last saw).
std::optional<outbox_message> last_card_sent(sqlite::database& db, std::int64_t item, std::string const& recipient);

// Cards about `item` delivered with a platform message id (to edit them after a decision), oldest first.
std::vector<outbox_message> delivered_cards(sqlite::database& db, std::int64_t item);

// Records a platform's delivery report against the message it concerns; false when no
// message of ours has that id.
bool record_delivery_status(write_tx& tx, std::string const& channel, std::string const& platform_message_id,
                            std::string const& status, std::optional<std::string> const& error);

std::vector<outbox_message> outbox_of_item(sqlite::database& db, std::int64_t item);
std::vector<outbox_message> outbox_after(sqlite::database& db, std::int64_t after, int limit);
std::int64_t count_outbox(sqlite::database& db, std::string const& status);

}  // namespace signoff::store
