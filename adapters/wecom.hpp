#pragma once
// WeCom (企业微信) self-built app translator (platforms.md §3): encrypted callback bytes in, chat
// values out, and chat values into server-API calls. Pure functions: no sockets, clock, store
// or globals; the caller owns the access token and its refresh.
//
// XML comes from pugixml, which never loads DTDs or expands entities other than the five
// predefined ones and character references; we still refuse, before parsing, any input over
// 64 KiB, not valid UTF-8, containing NUL, a markup declaration outside CDATA (<!DOCTYPE,
// <!ENTITY, comments), a processing instruction other than a leading <?xml …?>, or an entity
// reference other than &amp; &lt; &gt; &quot; &apos; and character references to XML
// characters; we parse without parse_doctype/parse_pi/parse_comments, require exactly one root
// element and nothing else at top level, and cap element depth at 16.

#include "adapters/channel.hpp"
#include "bot/core/chat_types.hpp"
#include "bot/core/http_types.hpp"
#include "config/config.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace signoff::wecom {

// A callback that is not well-formed (outer envelope or decrypted message): the caller answers
// 400. what() names the problem and never quotes the input.
struct parse_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A callback that fails authentication: missing query parameters, a msg_signature that does not
// match, an Encrypt that does not decrypt under the configured key, or a receive id other than
// the corp id. The caller answers 401.
struct unauthorised : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline constexpr std::size_t max_xml_bytes = 64 * 1024;
inline constexpr std::size_t max_xml_depth = 16;           // elements, the root counting 1
inline constexpr std::size_t max_text_bytes = 2048;        // message/send text.content
inline constexpr std::size_t max_title_chars = 36;         // template_card main_title.title, code points
inline constexpr std::size_t max_sub_title_chars = 160;    // template_card sub_title_text, code points
inline constexpr std::size_t max_buttons = 6;              // template_card button_list
inline constexpr std::size_t max_button_key_bytes = 1024;  // button_list[].key
inline constexpr std::size_t max_task_id_bytes = 128;      // template_card task_id
inline constexpr std::size_t max_task_suffix_bytes = 64;

// GET /webhook/wecom?msg_signature=&timestamp=&nonce=&echostr= (URL verification): verifies the
// signature over echostr, decrypts it, requires receive_id == cfg.corp_id, and returns the
// plaintext to echo as the whole response body. nullopt (→ 401) for anything else, including a
// config without token or corp id. A '+' of echostr's Base64 that arrived unescaped (and so
// decoded to a space) is restored. The timestamp is not checked for freshness (SPEC §5).
std::optional<std::string> verify_url(http_request const& req, config::wecom_config const& cfg);

// POST /webhook/wecom?msg_signature=&timestamp=&nonce= with <xml><ToUserName/><Encrypt/>
// <AgentID/></xml>: parses the envelope strictly, verifies msg_signature over Encrypt, decrypts,
// requires receive_id == cfg.corp_id, and returns the decrypted inner XML (not yet parsed; see
// parse_message). ToUserName and AgentID are not signed and not read. Throws unauthorised when a
// query parameter is missing or authentication fails, parse_error for a malformed envelope.
std::string open_callback(http_request const& req, config::wecom_config const& cfg);

// Decrypted callback XML → one event (channel "wecom"; sender and chat are FromUserName):
// - MsgType text → inbound_message {dedupe_key "msg:<MsgId>", message_id MsgId, text Content}.
// - Event template_card_event → button_press {dedupe_key
//   "event:<FromUserName>:<CreateTime>:<TaskId>:<EventKey>", data EventKey, message_id TaskId,
//   callback_id ResponseCode (single use, for render_card_update)}.
// - Anything else → ignored_update, `why` = the Event ("enter_agent", "template_card_menu_event",
//   …) or the MsgType ("image", "voice", …); dedupe_key "msg:<MsgId>" when there is a MsgId,
//   else "event:<FromUserName>:<CreateTime>:<Event>". A card event without EventKey is
//   ignored with why "card_event_without_key".
// Throws parse_error for unsafe or malformed XML, a missing or repeated FromUserName, CreateTime
// (digits), MsgType, or a field the kind needs (MsgId and Content; Event; TaskId, ResponseCode),
// or a field holding child elements.
chat::inbound_event parse_message(std::string_view inner_xml);

// GET {api_base}/cgi-bin/gettoken?corpid=…&corpsecret=…; the URL holds the secret: never log it.
http_call render_gettoken(config::wecom_config const& cfg);

struct token_result {
    std::optional<std::string> token;  // set on success
    int expires_in = 0;                // seconds, on success
    std::string error;                 // "errcode 40001: invalid credential…", "HTTP 502…"; no secrets
    bool retry = false;                // worth trying again later (-1, frequency limits, 5xx, 429)
};

// Reads a gettoken answer: errcode 0 with a non-empty access_token and a positive expires_in.
token_result read_token(int status, std::string_view body);

// The task_id of a card for `m`: its first button's data with bytes outside [A-Za-z0-9_@-]
// replaced by '_', cut so that "-" + task_suffix fits in 128 bytes, then "-" + task_suffix.
// Throws std::invalid_argument when m has no buttons or task_suffix is empty, over 64 bytes or
// outside [A-Za-z0-9_@-]. The caller makes the suffix unique per app (WeCom refuses a reused
// task_id), e.g. its outbox row id.
std::string task_id_for(chat::outbound_message const& m, std::string_view task_suffix);

// POST {api_base}/cgi-bin/message/send?access_token=…, JSON body; never log the URL.
// No buttons: {"touser","msgtype":"text","agentid","text":{"content"}}, content cut to 2048
// bytes at a grapheme boundary with "…". Buttons: a button_interaction template_card whose
// main_title.title is the first line (cut to 36 code points with "…"), sub_title_text the rest
// (or the whole text when the first line was cut; cut to 160 code points with "…", omitted when
// empty), task_id = task_id_for(m, task_suffix), and button_list = the buttons in row order,
// key = data, style 1 for the first and 2 for the others. reply_to is dropped (WeCom cannot
// quote). Throws std::invalid_argument for edit_message_id (WeCom cannot edit a sent message;
// use render_card_update), an empty `to`, empty or invalid UTF-8 text, more than 6 buttons,
// an empty label, a key outside 1–1024 bytes or repeated, or a bad task_suffix.
http_call render_message(chat::outbound_message const& m, config::wecom_config const& cfg,
                                      std::string const& access_token, std::string const& task_suffix);

// POST {api_base}/cgi-bin/message/update_template_card?access_token=…: {"userids":[userid],
// "agentid","response_code","button":{"replace_name"}}, greying out the card's buttons under
// `replace_name`. response_code is single use (the ResponseCode of the click event). Throws
// std::invalid_argument for an empty userid or response_code, or replace_name empty or not UTF-8.
http_call render_card_update(std::string const& userid, std::string const& response_code,
                                          std::string const& replace_name, config::wecom_config const& cfg,
                                          std::string const& access_token);

// Creatives go as temporary media (WeCom's limits: images and videos 10 MB, files 20 MB).
inline constexpr std::uint64_t max_image_bytes = 10 * 1024 * 1024;
inline constexpr std::uint64_t max_file_bytes = 20 * 1024 * 1024;
// "image" (JPEG, PNG), "video" (MP4) or "file", by MIME type.
std::string_view media_type_of(std::string_view mime);
std::optional<std::uint64_t> upload_limit_of(std::string_view mime);

// The messages that go before a card, per creative: with bytes, POST
// {api_base}/cgi-bin/media/upload?access_token=…&type=<image|video|file> (multipart field
// "media"), then message/send {"touser","msgtype":<type>,"agentid",<type>:{"media_id"}} with the
// media_id filled in from the upload's answer (http_call::from_previous); with only a URL, a
// "news" message of one article linking it (its picture too, for an image). Never log the URLs.
// Throws std::invalid_argument for an empty userid.
std::vector<http_call> render_media(std::string const& userid, std::vector<channels::creative> const& creatives,
                                    config::wecom_config const& cfg, std::string const& access_token);

// Reads a message/send or update_template_card answer. sent: errcode 0 (message_id = msgid when
// present). retry: errcode -1 (busy), 45009/45033 (frequency), HTTP 5xx or 429. give_up with
// error "token:<code>" for 40014/42001/41001, so that the caller refreshes the token once and
// sends again; give_up "errcode <n>: <errmsg>" for 81013 and any other code, or "HTTP <status>…"
// for other statuses or an unreadable body.
chat::send_result read_send_result(int status, std::string_view body);

// The outbox's channel for WeCom: text and template cards by message/send, a pressed button's
// outcome by update_template_card; holds the access token (fetched through credential_request,
// renewed 5 minutes before it expires and when WeCom refuses it); 30 messages/s overall and one
// per 2 s per member.
std::unique_ptr<channels::channel> make_channel(config::wecom_config const& cfg);

}  // namespace signoff::wecom
