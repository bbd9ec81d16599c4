#pragma once
// The one neutral vocabulary between platform adapters and the chat core (STYLE rule 21):
// adapters turn platform bytes into these values and these values into platform requests.
// The chat core never sees platform JSON.

#include "bot/core/http_types.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace signoff::chat {

// A text message from a person to the bot.
struct inbound_message {
    std::string channel;                  // the channel's name, as in outbox rows
    std::string dedupe_key;               // unique per delivery: Telegram update_id, WhatsApp message id, WeCom MsgId
    std::string sender;                   // the sender's platform user id (Telegram from.id as decimal)
    std::string chat;                     // where to answer (Telegram chat.id as decimal)
    std::string message_id;               // this message's platform id
    std::string text;                     // UTF-8
    std::optional<std::string> reply_to;  // platform id of the message it quotes, if any
    bool private_chat = true;             // false for groups and channels
    std::optional<std::string> language;  // the client's language hint, e.g. "en", "zh-hans"
};

// A press on one of the bot's buttons.
struct button_press {
    std::string channel;
    std::string dedupe_key;
    std::string sender;
    std::string chat;
    std::string callback_id;                // to acknowledge the press (Telegram callback_query.id)
    std::optional<std::string> message_id;  // the bot message that carried the button
    std::string data;                       // the button's data, e.g. "a:42:3"
    std::optional<std::string> language;
};

// An authentic update the bot does not act on (stickers, edits, joins, group chatter…).
struct ignored_update {
    std::string channel;
    std::string dedupe_key;
    std::string why;  // for the log, e.g. "edited_message"
};

// What a platform reports about a message the bot sent (WhatsApp statuses[]).
struct delivery_status {
    std::string channel;
    std::string dedupe_key;           // e.g. "status:<message id>:<status>"
    std::string platform_message_id;  // the bot's message it concerns
    std::string status;               // "sent", "delivered", "read", "failed"
    std::string recipient;            // the platform address it went to
    std::optional<std::string> error; // for "failed": the platform's code and title
    bool closes_window = false;       // the failure says free text is refused until the person writes again
};

using inbound_event = std::variant<inbound_message, button_press, ignored_update, delivery_status>;

struct button {
    std::string label;
    std::string data;  // at most 64 bytes (Telegram's limit)
};

// What the chat core wants sent; the adapter renders it for its platform.
struct outbound_message {
    std::string to;                                  // chat id / phone / user id
    std::string text;                                // plain UTF-8 text
    std::vector<std::vector<button>> buttons;        // rows of buttons; empty for none
    std::optional<std::string> reply_to;             // quote this platform message
    std::optional<std::string> edit_message_id;      // edit this earlier bot message instead of sending
    bool remove_buttons = false;                     // with edit_message_id: drop the keyboard
    std::string short_answer;  // one line on how to answer in chat, for channels that carry only a summary (SMS)
};

// A pre-approved template, sent where free text is not allowed (WhatsApp outside the 24-hour
// customer-service window).
struct template_message {
    std::string to;
    std::string name;                       // the approved template's name
    std::string language = "en";            // its language code
    std::vector<std::string> body_params;   // {{1}}, {{2}}, … of the body, in order
    std::vector<std::string> button_payloads;  // quick-reply buttons' payloads, in order
};

// Acknowledging a button press (Telegram answerCallbackQuery).
struct press_answer {
    std::string callback_id;
    std::string text;  // short notice shown to the presser; may be empty
};

// What a platform said about a send.
struct send_result {
    enum class outcome {
        sent,        // delivered; message_id set when the platform returns one
        retry,       // try again later (429, 5xx, timeouts); retry_after when the platform says
        give_up,     // permanent failure (bad request, blocked, unknown chat)
    };
    outcome result = outcome::give_up;
    std::optional<std::string> message_id;
    std::optional<std::chrono::seconds> retry_after;
    std::string error;  // the platform's description, for the log and the outbox row
    bool window_closed = false;        // free text is refused until the person writes again (send a template)
    bool credential_rejected = false;  // the access token was refused: fetch a new one and send again
};

}  // namespace signoff::chat
