#pragma once
// Telegram Bot API translator (platforms.md §1): webhook bytes in, chat values out, and chat
// values into Bot API calls. Pure functions: no sockets, clock, store or globals.

#include "adapters/channel.hpp"
#include "bot/core/chat_types.hpp"
#include "bot/core/http_types.hpp"
#include "config/config.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace signoff::telegram {

// A webhook body that is not a well-formed Update: the caller answers 400. what() names the
// offending JSON path (e.g. "message.chat.id: not an integer") and never quotes the body.
struct parse_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline constexpr std::string_view secret_header = "X-Telegram-Bot-Api-Secret-Token";
inline constexpr std::size_t max_text_units = 4096;         // sendMessage/editMessageText, UTF-16 code units
inline constexpr std::size_t max_press_answer_units = 200;  // answerCallbackQuery text, UTF-16 code units
inline constexpr std::size_t max_callback_data_bytes = 64;  // InlineKeyboardButton.callback_data
inline constexpr std::size_t max_caption_units = 1024;      // a media message's caption, UTF-16 code units
inline constexpr std::uint64_t max_photo_upload_bytes = 10 * 1024 * 1024;  // sendPhoto by upload
inline constexpr std::uint64_t max_file_upload_bytes = 50 * 1024 * 1024;   // other files by upload

// True when X-Telegram-Bot-Api-Secret-Token equals cfg.secret_token (constant time). False when
// the header is missing or differs, or when no secret is configured.
bool verify(http_request const& req, config::telegram_config const& cfg);

// One Update → one event. Messages with text and callback queries with data become
// inbound_message / button_press (channel "telegram", dedupe_key "update:<update_id>", ids as
// decimal strings); every other authentic update becomes ignored_update with a `why` for the
// log: the update kind ("edited_message", "my_chat_member", …), "unknown_update", the content
// of a text-less message ("sticker", "photo", …, else "no_text"), "from_bot", "no_sender"
// (anonymous group admin), "callback_without_data" (games), "inline_message" (no chat).
// Throws parse_error on malformed JSON (including invalid UTF-8), a missing or non-integer
// update_id, or a missing or mistyped field that Telegram always sends.
chat::inbound_event parse_update(std::string_view body);

// sendMessage, or editMessageText when edit_message_id is set. POST, JSON body, plain text (no
// parse_mode), URL api_base + "/bot" + token + "/" + method: never log it. Text over 4096
// UTF-16 code units is cut at a grapheme boundary and ends with "…". buttons → inline_keyboard
// of callback_data buttons; reply_to → reply_parameters (send only). An edit without buttons,
// or with remove_buttons, carries no reply_markup, which removes the keyboard. An edit with
// empty text changes only the keyboard (editMessageReplyMarkup).
// Throws std::invalid_argument for callback data outside 1–64 bytes, text that is not valid
// UTF-8, an empty text to send, or a reply_to / edit_message_id that is not an integer.
http_call render_message(chat::outbound_message const& m, config::telegram_config const& cfg);

// Whether Telegram shows a creative of this MIME type as a photo (JPEG, PNG); others go as
// video (MP4) or document.
bool is_photo_type(std::string_view type);

// A card with its creatives: one creative goes as sendPhoto/sendVideo/sendDocument with the
// card as caption and the keyboard as reply_markup (sent_as "caption"), or, when the card is
// over 1024 UTF-16 code units, without caption and followed by the card as a message. Several
// go first as sendMediaGroup (photos and videos together, documents together, up to ten a
// group, a lone one by itself), then the card as a message. Creatives with bytes are uploaded
// as multipart/form-data (one group's files as attach://fileN), the others go by URL. The
// fallback is the card alone. Throws like render_message.
channels::rendering render_card_with_media(chat::outbound_message const& m, std::vector<channels::creative> const& creatives,
                                           config::telegram_config const& cfg);

// editMessageCaption of a media message that carries a card (text cut to 1024 UTF-16 code
// units; no reply_markup removes the keyboard); render_message when there is no edit or no text.
http_call render_caption_edit(chat::outbound_message const& m, config::telegram_config const& cfg);

// answerCallbackQuery; text cut to 200 UTF-16 code units like render_message, omitted when empty.
http_call render_press_answer(chat::press_answer const& a, config::telegram_config const& cfg);

// Reads a Bot API answer. sent: 2xx with ok:true (message_id from a returned Message), or
// 400 "message is not modified". retry: 429, ok:false with parameters.retry_after (retry_after
// set), 5xx. give_up: other statuses, or a 2xx that is not JSON or not ok. `error` holds
// Telegram's description, or "HTTP <status>…" when there is none.
chat::send_result read_send_result(int status, std::string_view body);

// The outbox's channel for Telegram: cards (with their creatives, render_card_with_media),
// replies and edits by sendMessage/editMessageText (editMessageCaption for a card sent as a caption),
// button answers by answerCallbackQuery; 30 messages/s overall and 1/s per chat.
std::unique_ptr<channels::channel> make_channel(config::telegram_config const& cfg);

}  // namespace signoff::telegram
