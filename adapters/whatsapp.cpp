#include "adapters/whatsapp.hpp"

#include "bot/core/crypto.hpp"
#include "bot/core/json_fields.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <utility>

namespace signoff::whatsapp {

namespace {

using json = nlohmann::json;
using json_fields::find;
using json_fields::index;
using json_fields::join;

constexpr std::string_view channel = "whatsapp";
constexpr std::string_view business_account = "whatsapp_business_account";
constexpr std::string_view signature_prefix = "sha256=";
constexpr std::size_t sha256_hex_chars = 64;
constexpr std::size_t error_digest_chars = 16;  // of the system error's SHA-256, in its dedupe key

// ---- strict field access: a missing or mistyped required field is a parse_error --------------

[[noreturn]] void fail(std::string const& path, std::string_view what) {
    throw parse_error("whatsapp notification: " + path + ": " + std::string(what));
}

constexpr json_fields::reader fields{fail};

// Ids and addresses: an empty one would make a dedupe key or a recipient out of nothing.
std::string id_field(json const& o, std::string_view key, std::string const& path) {
    auto value = fields.string_field(o, key, path);
    if (value.empty()) fail(join(path, key), "empty");
    return value;
}

// ---- notifications -------------------------------------------------------------------------

chat::ignored_update ignored(std::string dedupe_key, std::string why) {
    return {.channel = std::string(channel), .dedupe_key = std::move(dedupe_key), .why = std::move(why)};
}

chat::button_press press(std::string const& dedupe_key, std::string const& from,
                         std::optional<std::string> const& context_id, std::string data) {
    return {.channel = std::string(channel),
            .dedupe_key = dedupe_key,
            .sender = from,
            .chat = from,
            .callback_id = "",  // WhatsApp has nothing to acknowledge
            .message_id = context_id,
            .data = std::move(data),
            .language = std::nullopt};
}

chat::inbound_event read_message(json const& m, std::string const& path) {
    fields.as_object(m, path);
    auto const id = id_field(m, "id", path);
    auto const from = id_field(m, "from", path);
    auto const type = fields.string_field(m, "type", path);
    auto const dedupe_key = "message:" + id;
    // A forwarded message has a context without id ({"forwarded": true}).
    std::optional<std::string> context_id;
    if (auto const* c = find(m, "context")) {
        auto const cpath = join(path, "context");
        context_id = fields.optional_string(fields.as_object(*c, cpath), "id", cpath);
    }

    if (type == "text") {
        auto const text_path = join(path, "text");
        return chat::inbound_message{.channel = std::string(channel),
                                     .dedupe_key = dedupe_key,
                                     .sender = from,
                                     .chat = from,
                                     .message_id = id,
                                     .text = fields.string_field(fields.object_field(m, "text", path), "body", text_path),
                                     .reply_to = context_id,
                                     .private_chat = true,
                                     .language = std::nullopt};
    }
    if (type == "interactive") {
        auto const ipath = join(path, "interactive");
        auto const& interactive = fields.object_field(m, "interactive", path);
        auto const kind = fields.string_field(interactive, "type", ipath);
        if (kind == "button_reply" || kind == "list_reply")
            return press(dedupe_key, from, context_id,
                         id_field(fields.object_field(interactive, kind, ipath), "id", join(ipath, kind)));
        return ignored(dedupe_key, "interactive." + kind);
    }
    if (type == "button")  // a template's quick-reply button
        return press(dedupe_key, from, context_id,
                     fields.string_field(fields.object_field(m, "button", path), "payload", join(path, "button")));
    return ignored(dedupe_key, type);
}

// "<code>: <title>" of one error object; the message stands in for a missing title.
std::string describe_error(json const& e, std::string const& path) {
    fields.as_object(e, path);
    auto out = std::to_string(fields.int_field(e, "code", path));
    auto title = fields.optional_string(e, "title", path);
    if (!title) title = fields.optional_string(e, "message", path);
    if (title && !title->empty()) out += ": " + *title;
    return out;
}

chat::delivery_status read_status(json const& s, std::string const& path) {
    fields.as_object(s, path);
    auto id = id_field(s, "id", path);
    auto status = id_field(s, "status", path);
    std::optional<std::string> error;
    bool closes_window = false;
    if (auto const* errors = find(s, "errors")) {
        auto const epath = join(path, "errors");
        if (!fields.as_array(*errors, epath).empty()) {
            error = describe_error(errors->front(), index(epath, 0));
            closes_window = fields.int_field(errors->front(), "code", index(epath, 0)) == window_closed_code;
        }
    }
    return {.channel = std::string(channel),
            .dedupe_key = "status:" + id + ":" + status,
            .platform_message_id = id,
            .status = status,
            .recipient = id_field(s, "recipient_id", path),
            .error = std::move(error),
            .closes_window = closes_window};
}

chat::ignored_update read_system_error(json const& e, std::string const& path) {
    fields.as_object(e, path);
    auto const code = std::to_string(fields.int_field(e, "code", path));
    // No id of its own: the same error object redelivered gets the same key.
    auto const digest = crypto::sha256_hex(e.dump()).substr(0, error_digest_chars);
    return ignored("error:" + code + ":" + digest, "error:" + code);
}

// Whether a change's value.metadata names our number: an app may serve several numbers, and
// what another number received is not ours to act on.
bool for_number(json const& value, std::string_view phone_number_id) {
    auto const* metadata = find(value, "metadata");
    if (!metadata || !metadata->is_object()) return false;
    auto const* id = find(*metadata, "phone_number_id");
    return id && id->is_string() && id->get<std::string>() == phone_number_id;
}

void read_value(json const& value, std::string const& path, std::vector<chat::inbound_event>& events) {
    if (auto const* messages = find(value, "messages")) {
        auto const mpath = join(path, "messages");
        auto const& list = fields.as_array(*messages, mpath);
        for (std::size_t i = 0; i < list.size(); ++i) events.push_back(read_message(list[i], index(mpath, i)));
    }
    if (auto const* statuses = find(value, "statuses")) {
        auto const spath = join(path, "statuses");
        auto const& list = fields.as_array(*statuses, spath);
        for (std::size_t i = 0; i < list.size(); ++i) events.push_back(read_status(list[i], index(spath, i)));
    }
    if (auto const* errors = find(value, "errors")) {
        auto const epath = join(path, "errors");
        auto const& list = fields.as_array(*errors, epath);
        for (std::size_t i = 0; i < list.size(); ++i) events.push_back(read_system_error(list[i], index(epath, i)));
    }
}
}  // namespace

std::optional<std::string> verify_subscription(http_request const& req, config::whatsapp_config const& cfg) {
    if (cfg.verify_token.empty()) return std::nullopt;
    if (req.query("hub.mode") != "subscribe") return std::nullopt;
    auto const token = req.query("hub.verify_token");
    if (!token || !crypto::constant_time_equals(*token, cfg.verify_token)) return std::nullopt;
    auto challenge = req.query("hub.challenge");
    if (!challenge || challenge->empty()) return std::nullopt;
    return challenge;
}

namespace {
// The hex digest of X-Hub-Signature-256, lower-cased; nullopt when the header is missing or not
// "sha256=" and 64 hex digits.
std::optional<std::string> signature_hex(http_request const& req) {
    auto const header = req.header(signature_header);
    if (!header || !header->starts_with(signature_prefix)) return std::nullopt;
    auto const hex = header->substr(signature_prefix.size());
    if (hex.size() != sha256_hex_chars) return std::nullopt;
    std::string given;
    for (char c : hex) {
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
        given.push_back(c);
    }
    return given;
}
}  // namespace

bool signature_well_formed(http_request const& req) { return signature_hex(req).has_value(); }

bool verify_signature(http_request const& req, config::whatsapp_config const& cfg) {
    if (cfg.app_secret.empty()) return false;
    auto const given = signature_hex(req);
    return given && crypto::constant_time_equals(crypto::hmac_sha256_hex(cfg.app_secret, req.body), *given);
}

std::vector<chat::inbound_event> parse_notification(std::string_view body, std::string_view phone_number_id) {
    auto const root = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) throw parse_error("whatsapp notification: not well-formed JSON");
    fields.as_object(root, "(body)");
    if (fields.string_field(root, "object", "") != business_account) return {};
    std::vector<chat::inbound_event> events;
    auto const& entries = fields.array_field(root, "entry", "");
    for (std::size_t i = 0; i < entries.size(); ++i) {
        auto const epath = index("entry", i);
        auto const cpath = join(epath, "changes");
        auto const& changes = fields.array_field(fields.as_object(entries[i], epath), "changes", epath);
        for (std::size_t k = 0; k < changes.size(); ++k) {
            auto const path = index(cpath, k);
            auto const& change = fields.as_object(changes[k], path);
            if (fields.string_field(change, "field", path) != "messages") continue;
            auto const& value = fields.object_field(change, "value", path);
            if (!phone_number_id.empty() && !for_number(value, phone_number_id)) continue;
            read_value(value, join(path, "value"), events);
        }
    }
    return events;
}

}  // namespace signoff::whatsapp
