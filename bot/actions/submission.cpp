#include "bot/actions/submission.hpp"

#include "bot/core/api_error.hpp"
#include "bot/core/item.hpp"
#include "bot/media/media_id.hpp"

#include <algorithm>
#include <climits>
#include <initializer_list>
#include <regex>

namespace signoff {

namespace {

constexpr std::size_t max_title_bytes = 2000;
constexpr std::size_t max_text_bytes = 200000;
constexpr std::size_t max_list = 50;

void only_keys(nlohmann::json const& body, std::initializer_list<std::string_view> allowed) {
    for (auto const& [key, value] : body.items()) {
        bool known = false;
        for (auto a : allowed) known = known || key == a;
        if (!known) throw api_error(400, "unknown_field", "unknown field \"" + key + "\"", key);
    }
}

[[noreturn]] void bad(std::string const& field, std::string const& message) {
    throw api_error(400, "invalid_value", field + ": " + message, field);
}

std::optional<std::string> opt_string(nlohmann::json const& body, std::string const& key,
                                      std::size_t max_bytes = max_title_bytes) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) bad(key, "expected a string");
    auto const& s = it->get_ref<std::string const&>();
    if (s.size() > max_bytes) bad(key, "longer than " + std::to_string(max_bytes) + " bytes");
    return s;
}

std::string req_string(nlohmann::json const& body, std::string const& key, std::size_t max_bytes = max_title_bytes) {
    auto value = opt_string(body, key, max_bytes);
    if (!value || value->empty()) throw api_error(400, "missing_field", key + " is required", key);
    return *value;
}

bool is_identifier(std::string const& s) {
    static std::regex const pattern("[a-z0-9][a-z0-9._-]{0,63}");
    return std::regex_match(s, pattern);
}

std::vector<std::string> platform_list(nlohmann::json const& body) {
    std::vector<std::string> out;
    auto it = body.find("platforms");
    if (it == body.end() || it->is_null()) return out;
    if (!it->is_array() || it->size() > max_list) bad("platforms", "expected an array of platform names");
    for (auto const& p : *it) {
        if (!p.is_string() || !is_identifier(p.get<std::string>()))
            bad("platforms", "platform names are lower-case words like \"x\" or \"weibo\"");
        if (std::find(out.begin(), out.end(), p.get<std::string>()) == out.end()) out.push_back(p.get<std::string>());
    }
    return out;
}

nlohmann::json media_list(nlohmann::json const& body) {
    auto it = body.find("media");
    if (it == body.end() || it->is_null()) return nlohmann::json::array();
    if (!it->is_array() || it->size() > max_list) bad("media", "expected an array of {id} or {url, type, bytes}");
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < it->size(); ++i) {
        auto const& m = (*it)[i];
        std::string field = "media[" + std::to_string(i) + "]";
        if (!m.is_object()) bad(field, "expected an object");
        if (m.contains("id")) {  // uploaded: type, size and dimensions come from the stored bytes
            for (auto const& [key, value] : m.items())
                if (key != "id") bad(field + "." + key, "an uploaded creative is given by its id alone");
            if (!m["id"].is_string() || !media::parse_media_id(m["id"].get<std::string>()))
                bad(field + ".id", "expected the id POST /api/v1/media answered, \"sha256:\" and 64 hex digits");
            out.push_back({{"id", m["id"]}});
            continue;
        }
        for (auto const& [key, value] : m.items())
            if (key != "url" && key != "type" && key != "bytes") bad(field + "." + key, "unknown field");
        if (!m.contains("url") || !m["url"].is_string() || m["url"].get<std::string>().empty())
            bad(field + ".url", "a URL is required");
        if (!m.contains("type") || !m["type"].is_string() || m["type"].get<std::string>().find('/') == std::string::npos)
            bad(field + ".type", "a media type like image/jpeg is required");
        nlohmann::json entry = {{"url", m["url"]}, {"type", m["type"]}};
        if (m.contains("bytes") && !m["bytes"].is_null()) {
            if (!m["bytes"].is_number_unsigned() && !(m["bytes"].is_number_integer() && m["bytes"].get<std::int64_t>() >= 0))
                bad(field + ".bytes", "expected a whole number of bytes");
            entry["bytes"] = m["bytes"];
        }
        out.push_back(std::move(entry));
    }
    return out;
}

nlohmann::json source_object(nlohmann::json const& body) {
    auto it = body.find("source");
    if (it == body.end() || it->is_null()) return nullptr;
    if (!it->is_object()) bad("source", "expected an object {platform, author, url, received_at}");
    for (auto const& [key, value] : it->items()) {
        if (key != "platform" && key != "author" && key != "url" && key != "received_at")
            bad("source." + key, "unknown field");
        if (!value.is_string() && !value.is_null()) bad("source." + key, "expected a string");
    }
    if (it->contains("received_at") && (*it)["received_at"].is_string() &&
        !parse_rfc3339((*it)["received_at"].get<std::string>()))
        bad("source.received_at", "expected an RFC 3339 time like 2026-11-22T10:00:00Z");
    return *it;
}

}  // namespace

nlohmann::json parse_body(std::string_view body) {
    nlohmann::json value;
    try {
        value = nlohmann::json::parse(body);
    } catch (nlohmann::json::parse_error const& e) {
        throw api_error(400, "malformed_json", std::string("the body is not valid JSON: ") + e.what());
    } catch (nlohmann::json::out_of_range const&) {
        // A number too large for a double ("1e999") is thrown as out_of_range, not parse_error.
        throw api_error(400, "malformed_json", "the body is not valid JSON: a number is out of range");
    }
    if (!value.is_object()) throw api_error(400, "invalid_body", "the body must be a JSON object");
    return value;
}

submission parse_submission(nlohmann::json const& body) {
    only_keys(body, {"kind", "title", "body", "platforms", "topic", "role", "region", "tier", "urgent", "due", "media",
                     "publish_at", "source", "external_ref"});
    submission s;
    s.kind = req_string(body, "kind");
    if (!is_known_kind(s.kind)) bad("kind", "must be draft, complaint, query or feedback");
    s.title = opt_string(body, "title").value_or("");
    s.body = req_string(body, "body", max_text_bytes);
    if (is_draft_kind(s.kind) && s.title.empty() && s.body.empty())
        throw api_error(400, "missing_field", "a draft needs a title or a body", "body");
    s.platforms = platform_list(body);
    s.topic = opt_string(body, "topic");
    s.role = opt_string(body, "role");
    s.region = opt_string(body, "region");
    s.tier = opt_string(body, "tier").value_or("general");
    if (auto it = body.find("urgent"); it != body.end() && !it->is_null()) {
        if (!it->is_boolean()) bad("urgent", "expected true or false");
        s.urgent = it->get<bool>();
    }
    if (auto due = opt_string(body, "due")) {
        s.due = parse_rfc3339(*due);
        if (!s.due) bad("due", "expected an RFC 3339 time like 2026-11-22T10:00:00Z");
    }
    if (auto at = opt_string(body, "publish_at")) {
        if (!is_draft_kind(s.kind)) bad("publish_at", "only drafts are published; a " + s.kind + " has no publish_at");
        s.publish_at = parse_rfc3339(*at);
        if (!s.publish_at) bad("publish_at", "expected an RFC 3339 time like 2026-11-23T04:30:00Z");
    }
    s.media = media_list(body);
    s.source = source_object(body);
    s.external_ref = opt_string(body, "external_ref");
    return s;
}

revision_input parse_revision(nlohmann::json const& body, revision_input const& current) {
    only_keys(body, {"title", "body", "media", "note"});
    revision_input r = current;
    r.note = opt_string(body, "note", max_text_bytes);
    if (auto title = opt_string(body, "title")) r.title = *title;
    if (auto text = opt_string(body, "body", max_text_bytes)) r.body = *text;
    if (body.contains("media")) r.media = media_list(body);
    if (!body.contains("title") && !body.contains("body") && !body.contains("media"))
        throw api_error(400, "missing_field", "a revision changes the title, the body or the media", "body");
    return r;
}

publication parse_publication(nlohmann::json const& body) {
    only_keys(body, {"platform", "url"});
    publication p{req_string(body, "platform"), req_string(body, "url")};
    if (!is_identifier(p.platform)) bad("platform", "platform names are lower-case words like \"x\"");
    return p;
}

decision_input parse_decision(nlohmann::json const& body) {
    only_keys(body, {"action", "person", "text", "revision"});
    decision_input d;
    d.action = req_string(body, "action");
    d.person = req_string(body, "person");
    d.text = opt_string(body, "text", max_text_bytes);
    if (auto it = body.find("revision"); it != body.end() && !it->is_null()) {
        if (!it->is_number_integer()) bad("revision", "expected a revision number");
        // Range-checked before narrowing: 4294967297 must not become revision 1.
        bool const in_range = it->is_number_unsigned()
                                  ? it->get<std::uint64_t>() >= 1 && it->get<std::uint64_t>() <= INT_MAX
                                  : it->get<std::int64_t>() >= 1 && it->get<std::int64_t>() <= INT_MAX;
        if (!in_range)
            throw api_error(400, "invalid_field", "revision: expected a number from 1 to " + std::to_string(INT_MAX),
                            "revision");
        d.revision = it->get<int>();
    }
    return d;
}

availability_input parse_availability(nlohmann::json const& body) {
    only_keys(body, {"away", "until"});
    availability_input a;
    auto it = body.find("away");
    if (it == body.end() || !it->is_boolean()) throw api_error(400, "missing_field", "away (true or false) is required", "away");
    a.away = it->get<bool>();
    if (auto until = opt_string(body, "until")) {
        a.until = parse_rfc3339(*until);
        if (!a.until) bad("until", "expected an RFC 3339 time like 2026-12-01T00:00:00Z");
    }
    return a;
}

std::optional<std::string> parse_reason(nlohmann::json const& body) {
    only_keys(body, {"reason"});
    return opt_string(body, "reason", max_text_bytes);
}

}  // namespace signoff
