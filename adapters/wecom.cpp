#include "adapters/wecom.hpp"

#include "adapters/wecom_crypto.hpp"
#include "bot/core/text.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <cstdint>

namespace signoff::wecom {

namespace {

constexpr std::string_view channel = "wecom";
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
constexpr std::size_t max_reference_digits = 8;
constexpr std::size_t max_kind_bytes = 64;  // Event / MsgType names kept in ignored_update::why
constexpr unsigned int pugi_flags = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_eol | pugi::parse_fragment;

// ---- XML safety: refuse before parsing, then parse strictly --------------------------------

[[noreturn]] void fail(std::string_view what, std::string_view problem) {
    throw parse_error(std::string(what) + ": " + std::string(problem));
}

// XML 1.0 Char production, for character references.
bool is_xml_char(std::uint32_t c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

// The length of the reference starting at in[i] == '&', or 0 when it is not a predefined entity
// or a character reference to an XML character.
std::size_t reference_length(std::string_view in, std::size_t i) {
    auto const rest = in.substr(i + 1);
    for (std::string_view name : {"amp;", "lt;", "gt;", "quot;", "apos;"})
        if (rest.starts_with(name)) return name.size() + 1;
    if (!rest.starts_with('#')) return 0;
    bool const hex = rest.size() > 1 && rest[1] == 'x';
    std::size_t k = hex ? 2 : 1;
    std::uint32_t value = 0;
    std::size_t digits = 0;
    for (; k < rest.size() && digits <= max_reference_digits; ++k, ++digits) {
        char const c = rest[k];
        int d = -1;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (hex && c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        if (d < 0) break;
        value = value * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
    }
    if (digits == 0 || digits > max_reference_digits || k >= rest.size() || rest[k] != ';' || !is_xml_char(value))
        return 0;
    return k + 2;
}

// The raw-byte checks of the header comment. CDATA sections are skipped: their content is text.
void check_raw(std::string_view in, std::string_view what) {
    if (in.size() > max_xml_bytes) fail(what, "larger than 64 KiB");
    if (in.find('\0') != std::string_view::npos) fail(what, "contains a NUL byte");
    if (!text::is_valid_utf8(in)) fail(what, "not valid UTF-8");
    std::size_t i = in.starts_with(utf8_bom) ? utf8_bom.size() : 0;
    if (in.substr(i).starts_with("<?xml")) {  // an XML declaration, skipped by the parser
        auto const end = in.find("?>", i);
        if (end == std::string_view::npos || in.substr(i + 1, end - i - 1).find('<') != std::string_view::npos)
            fail(what, "malformed XML declaration");
        i = end + 2;
    }
    while (i < in.size()) {
        auto const rest = in.substr(i);
        if (rest.starts_with("<![CDATA[")) {
            auto const end = in.find("]]>", i + 9);
            if (end == std::string_view::npos) fail(what, "unterminated CDATA section");
            i = end + 3;
            continue;
        }
        if (rest.starts_with("<!DOCTYPE")) fail(what, "DOCTYPE refused");
        if (rest.starts_with("<!ENTITY")) fail(what, "ENTITY declaration refused");
        if (rest.starts_with("<!")) fail(what, "markup declaration or comment refused");
        if (rest.starts_with("<?")) fail(what, "processing instruction refused");
        if (rest.front() == '&') {
            auto const n = reference_length(in, i);
            if (n == 0) fail(what, "entity reference refused at byte " + std::to_string(i));
            i += n;
            continue;
        }
        ++i;
    }
}

void check_depth(pugi::xml_node root, std::string_view what) {
    pugi::xml_node node = root;
    std::size_t depth = 1;
    for (;;) {
        if (node.type() == pugi::node_element && depth > max_xml_depth) fail(what, "nested deeper than 16 elements");
        if (auto const child = node.first_child()) {
            node = child;
            ++depth;
            continue;
        }
        while (node != root && !node.next_sibling()) {
            node = node.parent();
            --depth;
        }
        if (node == root) return;
        node = node.next_sibling();
    }
}

// Loads `in` into `doc` and returns its <xml> root element.
pugi::xml_node load(pugi::xml_document& doc, std::string_view in, std::string_view what) {
    check_raw(in, what);
    auto const result = doc.load_buffer(in.data(), in.size(), pugi_flags, pugi::encoding_utf8);
    if (result.status != pugi::status_ok)
        fail(what,
             std::string("malformed XML at byte ") + std::to_string(result.offset) + " (" + result.description() + ")");
    auto const root = doc.first_child();
    if (!root || root.next_sibling() || root.type() != pugi::node_element) fail(what, "not exactly one root element");
    if (std::string_view(root.name()) != "xml") fail(what, "root element is not <xml>");
    check_depth(root, what);
    return root;
}

// Strict access to the children of <xml>: a field is the concatenated text and CDATA of one
// child element; a repeated field or one holding elements is an error.
struct fields {
    pugi::xml_node root;
    std::string_view what;

    std::optional<std::string> optional(char const* name) const {
        auto const node = root.child(name);
        if (!node) return std::nullopt;
        if (node.next_sibling(name)) fail(what, std::string(name) + ": repeated");
        std::string out;
        for (auto const part : node.children()) {
            if (part.type() != pugi::node_pcdata && part.type() != pugi::node_cdata)
                fail(what, std::string(name) + ": holds elements");
            out += part.value();
        }
        if (!text::is_valid_utf8(out)) fail(what, std::string(name) + ": not valid UTF-8");
        return out;
    }

    std::string required(char const* name) const {
        auto value = optional(name);
        if (!value) fail(what, std::string(name) + ": missing");
        return std::move(*value);
    }

    std::string required_id(char const* name) const {
        auto value = required(name);
        if (value.empty()) fail(what, std::string(name) + ": empty");
        return value;
    }

    std::string required_digits(char const* name) const {
        auto value = required_id(name);
        if (value.size() > 20 || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
            fail(what, std::string(name) + ": not a decimal number");
        return value;
    }
};

// Event and MsgType names are logged; anything unusual is reported generically.
std::string kind_name(std::string const& kind, std::string_view fallback) {
    bool const plain =
        !kind.empty() && kind.size() <= max_kind_bytes && std::all_of(kind.begin(), kind.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        });
    return plain ? kind : std::string(fallback);
}

chat::ignored_update ignored(std::string dedupe_key, std::string why) {
    return {.channel = std::string(channel), .dedupe_key = std::move(dedupe_key), .why = std::move(why)};
}

bool has_callback_secrets(config::wecom_config const& cfg) { return !cfg.token.empty() && !cfg.corp_id.empty(); }
}  // namespace

// ---- callbacks -------------------------------------------------------------------------------

std::optional<std::string> verify_url(http_request const& req, config::wecom_config const& cfg) {
    if (!has_callback_secrets(cfg)) return std::nullopt;
    auto const msg_signature = req.query("msg_signature");
    auto const timestamp = req.query("timestamp");
    auto const nonce = req.query("nonce");
    auto echostr = req.query("echostr");
    if (!msg_signature || !timestamp || !nonce || !echostr) return std::nullopt;
    std::replace(echostr->begin(), echostr->end(), ' ', '+');  // Base64 has no spaces; a raw '+' decodes to one
    if (!verify_signature(*msg_signature, cfg.token, *timestamp, *nonce, *echostr)) return std::nullopt;
    auto d = decrypt(*echostr, cfg.encoding_aes_key);
    if (!d || d->receive_id != cfg.corp_id) return std::nullopt;
    return std::move(d->message);
}

std::string open_callback(http_request const& req, config::wecom_config const& cfg) {
    if (!has_callback_secrets(cfg)) throw unauthorised("wecom callback: no token or corp id configured");
    auto const msg_signature = req.query("msg_signature");
    auto const timestamp = req.query("timestamp");
    auto const nonce = req.query("nonce");
    if (!msg_signature || !timestamp || !nonce)
        throw unauthorised("wecom callback: msg_signature, timestamp and nonce are required");

    constexpr std::string_view what = "wecom envelope";
    pugi::xml_document doc;
    auto const encrypted = fields{load(doc, req.body, what), what}.required_id("Encrypt");

    if (!verify_signature(*msg_signature, cfg.token, *timestamp, *nonce, encrypted))
        throw unauthorised("wecom callback: msg_signature does not match");
    auto d = decrypt(encrypted, cfg.encoding_aes_key);
    if (!d) throw unauthorised("wecom callback: Encrypt does not decrypt under the configured EncodingAESKey");
    if (d->receive_id != cfg.corp_id) throw unauthorised("wecom callback: receive id is not the configured corp id");
    return std::move(d->message);
}

chat::inbound_event parse_message(std::string_view inner_xml) {
    constexpr std::string_view what = "wecom message";
    pugi::xml_document doc;
    fields const f{load(doc, inner_xml, what), what};
    auto const from = f.required_id("FromUserName");
    auto const created = f.required_digits("CreateTime");
    auto const type = f.required_id("MsgType");

    if (type == "text") {
        auto const msg_id = f.required_id("MsgId");
        return chat::inbound_message{.channel = std::string(channel),
                                     .dedupe_key = "msg:" + msg_id,
                                     .sender = from,
                                     .chat = from,
                                     .message_id = msg_id,
                                     .text = f.required("Content")};
    }
    if (type == "event") {
        auto const event = f.required_id("Event");
        auto const event_key = "event:" + from + ":" + created + ":";
        if (event == "template_card_event") {
            auto const task = f.required_id("TaskId");
            auto const response_code = f.required_id("ResponseCode");
            auto const key = f.optional("EventKey").value_or("");
            if (key.empty()) return ignored(event_key + task + ":", "card_event_without_key");
            return chat::button_press{.channel = std::string(channel),
                                      .dedupe_key = event_key + task + ":" + key,
                                      .sender = from,
                                      .chat = from,
                                      .callback_id = response_code,
                                      .message_id = task,
                                      .data = key};
        }
        auto const why = kind_name(event, "unknown_event");
        return ignored(event_key + why, why);
    }
    auto const why = kind_name(type, "unknown_msgtype");
    auto const msg_id = f.optional("MsgId");
    return ignored(msg_id && !msg_id->empty() ? "msg:" + *msg_id : "event:" + from + ":" + created + ":" + why, why);
}
}  // namespace signoff::wecom
