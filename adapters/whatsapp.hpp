#pragma once
// WhatsApp Business Cloud API translator (platforms.md §2): webhook bytes in, chat values out, and
// chat values into Graph API calls. Pure functions: no sockets, clock, store or globals.
// "Characters" in WhatsApp's limits are counted here as UTF-16 code units, the stricter of the
// readings Meta leaves open (an emoji counts 2), and every cut falls between grapheme clusters.

#include "adapters/channel.hpp"
#include "bot/core/chat_types.hpp"
#include "bot/core/http_types.hpp"
#include "bot/core/time.hpp"
#include "config/config.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::whatsapp {

// A webhook body that is not a well-formed notification: the caller answers 400. what() names the
// offending JSON path (e.g. "entry[0].changes[0].value.messages[1].id: missing"), never the body.
struct parse_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline constexpr std::string_view signature_header = "X-Hub-Signature-256";
inline constexpr std::size_t max_text_units = 4096;              // text.body
inline constexpr std::size_t max_interactive_body_units = 1024;  // interactive.body.text
inline constexpr std::size_t max_button_title_units = 20;        // reply.title
inline constexpr std::size_t max_button_id_units = 256;          // reply.id
inline constexpr std::size_t max_buttons = 3;                    // reply buttons per message
inline constexpr std::int64_t window_closed_code = 131047;       // free text refused: outside the 24-hour window
inline constexpr millis service_window = 24 * ms_per_hour;       // opened by the person's last message

// The GET handshake: hub.challenge, to echo as text/plain with 200, when hub.mode is "subscribe"
// and hub.verify_token equals cfg.verify_token (constant time); nullopt (→ 403) otherwise, and
// always when no verify_token is configured or the challenge is missing or empty.
std::optional<std::string> verify_subscription(http_request const& req, config::whatsapp_config const& cfg);

// True when X-Hub-Signature-256 is "sha256=" + the hex HMAC-SHA256(cfg.app_secret, raw body)
// (hex in either case, compared in constant time). False when the header is missing or
// malformed, or when no app secret is configured.
bool verify_signature(http_request const& req, config::whatsapp_config const& cfg);

// Whether X-Hub-Signature-256 has the form verify_signature reads, known before the body arrives.
bool signature_well_formed(http_request const& req);

// One POST → its events in order: for each entry[].changes[] with field "messages", the
// value's messages[], then statuses[], then errors[]. Other fields are skipped, and a body whose
// `object` is not "whatsapp_business_account" yields no events (the caller still answers 200).
//  - text → inbound_message (channel "whatsapp", dedupe_key "message:<id>", sender and chat =
//    from, reply_to = context.id, private_chat true, no language);
//  - interactive button_reply / list_reply, and template quick-reply "button" → button_press
//    (callback_id "", message_id = context.id, data = the reply's id or the button's payload);
//  - any other message type → ignored_update, why = the type ("image", "reaction", "system",
//    "unsupported", …; "interactive.<type>" for other interactive replies);
//  - statuses[] → delivery_status (dedupe_key "status:<id>:<status>", error "<code>: <title>" of
//    errors[0] when there is one; closes_window when that code is 131047);
//  - value.errors[] → ignored_update, why "error:<code>", dedupe_key "error:<code>:<digest of the
//    error object>" (the same error delivered twice has the same key).
// Throws parse_error on malformed JSON (including invalid UTF-8), a missing `object`, or a
// missing or mistyped field that WhatsApp always sends (message id/from/type, text.body, a
// reply's id, a status's id/status/recipient_id, an error's code).
// With `phone_number_id`, a change whose value.metadata.phone_number_id is another (or missing)
// is skipped: an app may serve several numbers, and only ours is acted on.
std::vector<chat::inbound_event> parse_notification(std::string_view body, std::string_view phone_number_id = {});

// POST api_base/<phone_number_id>/messages with "Authorization: Bearer <access_token>" (never log
// the headers) and a JSON body; usually one request, several when the text must be split. Send
// them in order; the last one carries the buttons, so its message id is the one later replies
// and presses name. reply_to becomes context.message_id of the first request.
//  - text: type "text", preview_url false; over 4096 units it is split, preferring a line
//    break, then a space, in the second half of each part (the separator is dropped).
//  - buttons: all rows flattened, the first 3 become reply buttons (id = data, title = label cut
//    to 20 units with "…"); type "interactive". A text over 1024 units is split so that the
//    interactive body holds its last part (preferring a line break, then a space, keeping at
//    least half of 1024) and the text before goes out first as plain text messages, so the
//    person sees every line of what they are asked to approve.
//  - edit_message_id: WhatsApp cannot edit, so the text goes out as a new message replying to
//    the old one (context.message_id = edit_message_id), without buttons. An edit with an empty
//    text renders no request at all (buttons cannot be taken back either).
// Throws std::invalid_argument for an empty `to`, an empty text to send, text or labels that
// are not valid UTF-8, button data outside 1–256 units, an empty label, or two buttons with the
// same data or with titles equal after cutting (Graph wants both unique).
std::vector<http_call> render_message(chat::outbound_message const& m, config::whatsapp_config const& cfg);

// The template message for outside the 24-hour window, to the same endpoint: template {name,
// language {code}, components}; a body component with the text parameters when there are any,
// then one quick_reply button component per payload (index "0", "1", …). An empty t.name takes
// cfg.message_template's name and language. Newlines and tabs in a parameter become spaces and
// runs of more than four spaces shrink to four (Graph refuses them, error 132018).
// Throws std::invalid_argument when there is no template name, `to` is empty or a parameter is
// not valid UTF-8.
http_call render_template(chat::template_message const& t, config::whatsapp_config const& cfg);

// Reads a Graph answer. sent: 2xx without an error object (message_id = messages[0].id when
// present). With an error object the code decides: 131047 → give_up with window_closed;
// 130429, 131056, 80007, 4, 613 (rate limits) and 1, 2, 131000, 131016 (temporary) → retry;
// 0, 190 (token), 100, 131026, 131051 → give_up; any other code by HTTP status: 429 and 5xx →
// retry, else give_up. Without an error object: 429 and 5xx retry, others give up. `error` is
// "<code>: <message> (<details>)" or "HTTP <status> …", at most 300 code points, and for token
// errors a fixed text (Graph may quote a malformed token back).
chat::send_result read_send_result(int status, std::string_view body);

// Creatives (Cloud API media limits by upload: images 5 MB, videos 16 MB, documents 100 MB).
inline constexpr std::uint64_t max_image_bytes = 5 * 1024 * 1024;
inline constexpr std::uint64_t max_video_bytes = 16 * 1024 * 1024;
inline constexpr std::uint64_t max_document_bytes = 100 * 1024 * 1024;
// "image" (JPEG, PNG), "video" (MP4, 3GPP) or "document" (anything else), by MIME type.
std::string_view media_type_of(std::string_view mime);
std::optional<std::uint64_t> upload_limit_of(std::string_view mime);

// The media messages that go before a card, one per creative: {"type": "image"|"video"|
// "document", <type>: {"link": url}} when the creative has a URL (a signed link or an external
// one); else POST api_base/<phone_number_id>/media (multipart: messaging_product=whatsapp,
// type, file) and then the message with {"id": …} filled in from the upload's answer
// (http_call::from_previous, field "id"). Documents carry their file name.
// Throws std::invalid_argument for an empty `to`.
std::vector<http_call> render_media(std::string const& to, std::vector<channels::creative> const& creatives,
                                    config::whatsapp_config const& cfg);

// The outbox's channel for WhatsApp: render_message within the 24-hour window, the configured
// template outside it; 80 messages/s overall and 1/s per recipient.
std::unique_ptr<channels::channel> make_channel(config::whatsapp_config const& cfg);

}  // namespace signoff::whatsapp
