#pragma once
// The OpenAPI 3.1 description of the HTTP interface: bot/api/openapi.json, compiled into the
// binary by config/embed.cmake (see CMakeLists.txt) and served at GET /api/v1/openapi.json.

#include <string_view>

namespace signoff {

// The document's bytes exactly as in bot/api/openapi.json; valid for the program's lifetime.
std::string_view openapi_json();

}  // namespace signoff
