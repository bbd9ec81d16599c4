#pragma once
// Bearer-key authentication and scopes for the REST API.

#include "bot/core/http_types.hpp"
#include "bot/net/router.hpp"
#include "config/config.hpp"

#include <string>
#include <string_view>

namespace signoff {

// The key presented in "Authorization: Bearer <key>" when it has `scope`.
// Throws api_error 401 "unauthorized" (missing or unknown key) or 403 "forbidden" (scope).
config::api_key const& authorise(config::config const& cfg, http_request const& req, std::string_view scope);

// The same check as a router::head_check, so that a request without a valid key for `scope` is
// refused before its body is read.
router::head_check needs_key(config::config const& cfg, std::string scope);

// Throws api_error 415 unless the request declares a JSON body.
void require_json(http_request const& req);

}  // namespace signoff
