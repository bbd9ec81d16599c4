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
    int attempts = 0;
    millis next_attempt_at = 0;
    std::optional<std::string> platform_message_id;
    std::optional<std::string> last_error;
    millis created_at = 0;
};

std::int64_t enqueue(write_tx& tx, outbox_message const& m);

// Delivery bookkeeping, used by the dispatcher inside write jobs (and reads for scheduling).
std::vector<outbox_message> due_messages(sqlite::database& db, millis now, int limit);  // oldest due first
std::optional<millis> next_due_after(sqlite::database& db, millis now);  // the next row to fall due later than now
// `as_template`: a WhatsApp template went instead of the message (its window was closed); the
// payload remembers it so the full message can follow once the person writes.
void mark_sent(write_tx& tx, std::int64_t id, int attempts, std::optional<std::string> const& platform_message_id,
               millis now, bool as_template = false);
void reschedule(write_tx& tx, std::int64_t id, int attempts, millis next_attempt_at, std::string const& error,
                millis now);
void mark_dead(write_tx& tx, std::int64_t id, int attempts, std::string const& error, millis now);
std::optional<outbox_message> find_outbox(sqlite::database& db, std::int64_t id);
// The bot's message `platform_message_id` in chat `address`, to tie quote-replies and button presses to items.
std::optional<outbox_message> find_by_platform_message(sqlite::database& db, std::string const& channel,
                                                       std::string const& address,
                                                       std::string const& platform_message_id);
// The latest card sent to `recipient` about `item` (to show a diff from the revision they last saw).
std::optional<outbox_message> last_card_sent(sqlite::database& db, std::int64_t item, std::string const& recipient);

// Cards about `item` delivered with a platform message id (to edit them after a decision).
std::vector<outbox_message> delivered_cards(sqlite::database& db, std::int64_t item);

// Records a platform's delivery report against the message it concerns; false when no
// message of ours has that id.
bool record_delivery_status(write_tx& tx, std::string const& channel, std::string const& platform_message_id,
                            std::string const& status, std::optional<std::string> const& error);

std::vector<outbox_message> outbox_of_item(sqlite::database& db, std::int64_t item);
std::vector<outbox_message> outbox_after(sqlite::database& db, std::int64_t after, int limit);
std::int64_t count_outbox(sqlite::database& db, std::string const& status);

}  // namespace signoff::store
