#pragma once
// Bearer-key authentication and scopes for the REST API.

#include "bot/app.hpp"
#include "bot/core/http_types.hpp"
#include "bot/net/router.hpp"
#include "config/config.hpp"
#include "store/sessions.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace signoff {

// The key presented in "Authorization: Bearer <key>" when it has `scope`.
// Throws api_error 401 "unauthorized" (missing or unknown key) or 403 "forbidden" (scope).
config::api_key const& authorise(config::config const& cfg, http_request const& req, std::string_view scope);

// The name of the console's session cookie.
inline constexpr char const* session_cookie = "signoff_session";

// The live console session the request's cookie names; nullopt without one.
std::optional<store::session> console_session(app const& a, http_request const& req);

// The caller: a bearer API key, or else a person signed in to the console (their console key,
// config::console_keys). A session's state-changing request must carry its CSRF token in
// X-CSRF-Token, else 403 csrf_required. Same 401/403 as above otherwise.
config::api_key const& authorise(app const& a, http_request const& req, std::string_view scope);

// The same check as a router::head_check, so that a request without a valid key for `scope` is
// refused before its body is read.
router::head_check needs_key(config::config const& cfg, std::string scope);
router::head_check needs_key(app const& a, std::string scope);

// Throws api_error 415 unless the request declares a JSON body.
void require_json(http_request const& req);

}  // namespace signoff
