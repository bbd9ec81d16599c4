#include "bot/api/auth.hpp"

#include "bot/core/api_error.hpp"
#include "bot/core/crypto.hpp"
#include "bot/media/inspect.hpp"
#include "store/sessions.hpp"

#include <algorithm>
#include <cctype>

namespace signoff {

config::api_key const& authorise(config::config const& cfg, http_request const& req, std::string_view scope) {
    auto header = req.header("Authorization");
    constexpr std::string_view prefix = "Bearer ";
    if (!header || header->size() <= prefix.size() ||
        !std::equal(prefix.begin(), prefix.end(), header->begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); }))
        throw api_error(401, "unauthorized", "send an API key as \"Authorization: Bearer <key>\"");
    auto const* key = cfg.find_key(header->substr(prefix.size()));
    if (!key) throw api_error(401, "unauthorized", "the API key is not valid");
    if (!key->has_scope(std::string(scope)))
        throw api_error(403, "forbidden", "the key \"" + key->name + "\" lacks the scope \"" + std::string(scope) + "\"");
    return *key;
}

std::optional<store::session> console_session(app const& a, http_request const& req) {
    auto id = cookie_value(req.headers, session_cookie);
    if (!id) return std::nullopt;
    return a.readers.with([&](sqlite::database& db) { return store::find_session(db, *id, a.clk.now()); });
}

config::api_key const& authorise(app const& a, http_request const& req, std::string_view scope) {
    if (req.header("Authorization")) return authorise(a.cfg, req, scope);
    if (!cookie_value(req.headers, session_cookie)) return authorise(a.cfg, req, scope);  // the 401 naming the bearer key
    auto found = console_session(a, req);
    auto const* key = found ? a.cfg.console_key(found->person) : nullptr;
    if (!key) throw api_error(401, "unauthorized", "the console session has ended; sign in again with a new link");
    bool const changes_state = req.method != "GET" && req.method != "HEAD";
    auto token = req.header("X-CSRF-Token");
    if (changes_state && (!token || !crypto::constant_time_equals(*token, found->csrf)))
        throw api_error(403, "csrf_required", "a console request that changes something carries its X-CSRF-Token");
    if (!key->has_scope(std::string(scope)))
        throw api_error(403, "forbidden", key->person + " may not do this from the console (it needs \"" +
                                              std::string(scope) + "\")");
    return *key;
}

router::head_check needs_key(app const& a, std::string scope) {
    return [&a, scope = std::move(scope)](http_request const& head) { authorise(a, head, scope); };
}

router::head_check needs_key(config::config const& cfg, std::string scope) {
    return [&cfg, scope = std::move(scope)](http_request const& head) { authorise(cfg, head, scope); };
}

void require_json(http_request const& req) {
    auto type = req.header("Content-Type");
    if (!type || media::bare_media_type(*type) != "application/json")
        throw api_error(415, "unsupported_media_type", "send the body as Content-Type: application/json");
}

}  // namespace signoff
