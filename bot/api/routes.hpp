#pragma once
// Registers every REST endpoint of SPEC §5 (and /healthz, /metrics) on the router.

#include "bot/api/rate_limit.hpp"
#include "bot/app.hpp"
#include "bot/net/router.hpp"

#include <memory>

namespace signoff {

void add_api_routes(router& routes, app& a);
// Item and admin routes take a token of the key's rate limits for each state-changing call.
using shared_limits = std::shared_ptr<key_rate_limits>;
void add_item_routes(router& routes, app& a, shared_limits limits);   // items.cpp
void add_admin_routes(router& routes, app& a, shared_limits limits);  // admin.cpp
void add_audit_routes(router& routes, app& a);                        // audit.cpp
void add_media_routes(router& routes, app& a, shared_limits limits);  // media.cpp
void add_report_routes(router& routes, app& a);                       // reports.cpp: SLA report, calendar
void add_session_routes(router& routes, app& a);                      // session.cpp: the console's sign-in
// Gives each uploaded entry of an item's `media` its signed link (media.cpp).
void add_media_links(nlohmann::json& media, app const& a);
void add_openapi_routes(router& routes);          // openapi.cpp: GET /api/v1/openapi.json

// Parses an item id path segment; 404 when it is not a positive integer.
std::int64_t item_id_param(std::string const& text);

// Parses an optional non-negative integer query parameter; 400 when malformed.
std::optional<std::int64_t> int_query(http_request const& req, std::string const& name);

}  // namespace signoff
