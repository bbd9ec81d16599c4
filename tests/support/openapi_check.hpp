#pragma once
// Checks HTTP responses against an OpenAPI 3.1 document (bot/api/openapi.json), so that the
// description cannot drift from what the server sends: the status must be listed for the
// operation, the content type listed for that status, and the body valid against its schema.
// The JSON Schema part covers the keywords the document uses: type (also arrays of types),
// properties, required, additionalProperties, items, minItems, maxItems, enum, const, $ref
// (to "#/..."), allOf, anyOf, oneOf, not, minimum, maximum, minLength, maxLength, pattern.
// format and the annotation keywords are ignored.

#include "support/http_client.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::test {

// The first way `instance` breaks `schema`, as "$.items[0].kind: <what>"; nullopt when valid.
// `document` resolves $ref; it must outlive the call.
std::optional<std::string> schema_violation(nlohmann::json const& document, nlohmann::json const& schema,
                                            nlohmann::json const& instance);

struct response_check {
    bool documented = false;                // the path is one of the document's paths
    std::optional<std::string> violation;  // why the response does not conform; nullopt when it does
};

// Checks one response to `method target`. A path the document does not list is not checked
// (documented = false). A documented path asked with a method it does not list must be a 405
// error envelope whose Allow header names exactly the documented methods.
response_check check_response(nlohmann::json const& document, std::string_view method, std::string_view target,
                              response const& r);

// Problems of the document's own shape: the openapi version, info, paths, a $ref that does
// not resolve, an operation without responses, a path template without its parameter. Empty
// when there are none.
std::vector<std::string> document_problems(nlohmann::json const& document);

// bot/api/openapi.json as compiled into signoff, parsed once.
nlohmann::json const& served_openapi();

}  // namespace signoff::test
