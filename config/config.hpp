#pragma once
// The configuration of SPEC §4, loaded once at start and passed everywhere as `config const&`.
// Loading (config/load.hpp) expands ${ENV}, rejects unknown keys and checks every reference,
// so code that holds a `config` may assume it is consistent.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::config {

struct tls_config {
    std::string cert_file;  // PEM certificate chain
    std::string key_file;   // PEM private key
};

struct server_config {
    std::string listen = "127.0.0.1:8080";    // HOST:PORT; port 0 picks a free one
    std::string public_url;                   // how platforms reach us; informational
    std::size_t max_body_bytes = 1048576;     // larger request bodies get 413
    int threads = 2;                          // I/O threads, 1–64
    double request_timeout_seconds = 30;      // time allowed to receive one request's headers and body
    double idle_timeout_seconds = 60;         // keep-alive connection idle time before it is closed
    double header_timeout_seconds = 10;       // time allowed from a request's first byte to the end of its headers
    std::size_t max_connections = 1024;       // connections open at once; more are closed on accept
    std::optional<tls_config> tls;            // TLS on the listener when set
};

struct store_config {
    std::string path = "signoff.db";  // SQLite file
    std::string synchronous = "full";  // "off" | "normal" | "full" | "extra"
    double outbox_retention_days = 30;   // delivered, dead and undeliverable outbox rows are deleted after this
    double inbound_retention_days = 30;  // webhook dedupe keys and idempotency keys are deleted after this
};

// The server's own timers ("timers", optional): the defaults suit production; tests shorten them.
struct timers_config {
    double tick_seconds = 1;         // scheduler: seconds between looks for due timers and digests
    double first_retry_seconds = 2;  // outbox: seconds before the first retry of a failed send (then doubling)
};

struct person {
    std::string id;
    std::string name;
    std::string language = "en";             // BCP 47 tag of bot/messages/po/LINGUAS: messages to this person
    std::optional<std::int64_t> telegram;    // Telegram chat id
    std::string whatsapp;                    // WhatsApp number, digits only (wa_id)
    std::string wecom;                       // WeCom userid
    std::string sms;                         // E.164 phone number for SMS
    std::vector<std::string> prefer;         // channels in order of preference
    bool admin = false;                      // may act on any step, recorded on_behalf_of
    bool publisher = false;                  // an authorised publisher: reminded of approved drafts to post
};

struct role {
    std::string id;
    std::string title;                 // e.g. "DDG (Standardisation)"
    std::string head;                  // person id
    std::string fallback;              // person id of the department head; may be empty
    std::vector<std::string> topics;   // topics this role owns (each owned by exactly one role)
    std::vector<std::string> regions;  // regions it coordinates (gets copies of their items)
};

struct sla_config {
    double approval_hours = 24;       // drafts: due after submission
    double response_hours = 24;       // complaints etc.: final response due
    double interim_hours = 4;         // complaints etc.: interim response due
    double remind_before_hours = 2;   // reminder this long before a due time
    double urgent_minutes = 60;       // urgent items escalate after this long unanswered
    std::string digest_at = "09:30";  // local time of the daily digest, HH:MM
};

struct media_rule {
    std::optional<std::uint64_t> min_bytes;
    std::optional<std::uint64_t> max_bytes;
    // Pixel bounds, checked for uploaded images only (declared external media carry no size).
    std::optional<std::uint64_t> min_width;
    std::optional<std::uint64_t> min_height;
    std::optional<std::uint64_t> max_width;
    std::optional<std::uint64_t> max_height;
};

// Uploaded creatives (SPEC §4 "media"): stored content-addressed under `dir`.
struct media_config {
    std::string dir;                               // empty: the store's path + ".media" (bot/serve.cpp)
    std::uint64_t max_upload_bytes = 524288000;    // larger uploads get 413
    std::string link_secret;                       // HMAC key of signed links; empty: a random one per start
};

struct content_config {
    std::map<std::string, int> limits;            // platform → max characters
    std::vector<std::string> prohibited;          // terms, matched case-insensitively
    std::string prohibited_raises_tier_to;        // tier name, or empty for none
    std::map<std::string, media_rule> media;      // media type → size rule; unlisted types fail
};

struct telegram_config {
    std::string bot_token;
    std::string secret_token;  // expected X-Telegram-Bot-Api-Secret-Token
    std::string api_base = "https://api.telegram.org";
    bool active() const { return !bot_token.empty() && !secret_token.empty(); }
};

struct whatsapp_template {
    std::string name;
    std::string language = "en";
};

struct whatsapp_config {
    std::string access_token;
    std::string app_secret;    // key of X-Hub-Signature-256
    std::string verify_token;  // hub.verify_token of the GET handshake
    std::string phone_number_id;
    std::string api_base = "https://graph.facebook.com/v21.0";
    whatsapp_template message_template;  // "template" in JSON: sent outside the 24-hour window
    bool active() const { return !access_token.empty() && !app_secret.empty() && !phone_number_id.empty(); }
};

struct wecom_config {
    std::string corp_id;
    std::string corp_secret;
    std::int64_t agent_id = 0;
    std::string token;             // callback signature token
    std::string encoding_aes_key;  // 43 characters
    std::string api_base = "https://qyapi.weixin.qq.com";
    bool active() const {
        return !corp_id.empty() && !corp_secret.empty() && !token.empty() && !encoding_aes_key.empty();
    }
};

struct sms_config {
    std::string api_base = "https://api.twilio.com";
    std::string account_sid;
    std::string auth_token;
    std::string from;
    bool active() const { return !account_sid.empty() && !auth_token.empty() && !from.empty(); }
};

struct channels_config {
    telegram_config telegram;
    whatsapp_config whatsapp;
    wecom_config wecom;
    sms_config sms;
};

// The two-way chat channels, in the order tried after a person's own `prefer` list.
inline constexpr std::array<std::string_view, 3> chat_channels = {"telegram", "whatsapp", "wecom"};
// The outbound-only channel, used for urgent and escalated items alone.
inline constexpr std::string_view urgent_channel = "sms";

struct api_key {
    std::string name;                 // recorded as recorded_by
    std::string key;                  // bearer token; empty keys are ignored
    std::vector<std::string> scopes;  // "submit", "read", "admin"
    // Token buckets for the key's state-changing calls (429 rate_limited past them), and a
    // smaller one for urgent submissions, which send SMS at once.
    std::int64_t rate_per_minute = 600000;  // state-changing calls refilled per minute (10,000 a second)
    std::int64_t burst = 20000;             // state-changing calls allowed at once
    std::int64_t urgent_per_minute = 10;    // urgent submissions refilled per minute
    std::int64_t urgent_burst = 20;         // urgent submissions allowed at once
    std::string person;                  // console keys only: the signed-in person this key stands for
    bool has_scope(std::string const& s) const;
};

// The web console (SPEC §10).
struct console_config {
    double session_hours = 12;  // how long a sign-in lasts
};

struct callback_config {
    std::string url;
    std::string secret;  // HMAC-SHA256 key for X-Signoff-Signature
};

struct api_config {
    std::vector<api_key> keys;
    std::optional<callback_config> callback;  // set when "callback" has a non-empty url
};

// The audit trail's anchor (store/audit.hpp): events are HMAC-SHA256 under `key` once a server
// has run with it; empty: the plain SHA-256 chain of SPEC §8. Never stored in the database.
struct audit_config {
    std::string key;
};

struct config {
    std::string organisation;
    std::string timezone = "UTC";  // IANA name; deadlines are shown in it
    std::string log_level = "info";  // lowest level logged: "debug" | "info" | "warn" | "error"
    server_config server;
    store_config store;
    media_config media;
    timers_config timers;
    std::vector<person> people;
    std::vector<role> roles;
    std::vector<std::string> observers;                      // person ids
    std::map<std::string, std::vector<std::string>> tiers = {  // tier → steps ("@head", "@fallback", role or person id)
        {"general", {"@head"}}};                                // loading requires a "general" tier
    sla_config sla;
    content_config content;
    channels_config channels;
    api_config api;
    audit_config audit;
    console_config console;
    // One key per person, for their console sessions (made at load, never matched by a bearer
    // token): admins may submit, read and act for anyone ("admin"); others read and decide
    // their own steps ("decide").
    std::vector<api_key> console_keys;

    person const* find_person(std::string_view id) const;
    role const* find_role(std::string_view id) const;
    role const* role_for_topic(std::string_view topic) const;
    // The person with this address on a channel ("telegram": decimal chat id, "whatsapp": wa_id, "wecom": userid).
    person const* find_by_address(std::string_view channel, std::string_view address) const;
    // Whether `channel` (a chat channel or the urgent one) has its credentials configured.
    bool channel_active(std::string_view channel) const;
    // The person's address on `channel`: decimal chat id, wa_id, userid or phone number; nullopt when none.
    static std::optional<std::string> address_of(person const& p, std::string_view channel);
    api_key const* find_key(std::string_view bearer) const;  // constant-time compare per key
    api_key const* console_key(std::string_view person) const;
    // Where people reach the console: server.public_url, else http:// and the listen address
    // (a wildcard host read as 127.0.0.1); no trailing slash.
    std::string console_url() const;
};

}  // namespace signoff::config
