#pragma once
// Errors a request can end in. The router catches api_error once and renders SPEC §5's
// {"error":{"code","message","field"}}; store_error becomes a 500/503 without internals.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace signoff {

struct api_error : std::runtime_error {
    int status;         // HTTP status, 4xx
    std::string code;   // machine-readable, e.g. "not_assignee"
    std::string field;  // the request field to blame; empty when none
    std::vector<std::pair<std::string, std::string>> headers;  // sent with the error, e.g. Retry-After

    api_error(int status, std::string code, std::string const& message, std::string field = {})
        : std::runtime_error(message), status(status), code(std::move(code)), field(std::move(field)) {}
};

struct store_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace signoff
