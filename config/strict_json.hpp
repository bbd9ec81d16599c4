#pragma once
// Reading a configuration file's JSON strictly: a key repeated within one object is a problem
// (the parser would silently keep one of them), and a syntax error is reported by byte, line
// and column without quoting the text it stopped at (it may be part of a secret).

#include "config/load.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace signoff::config {

// The document, with each repeated key added to `out`; nullopt (and the syntax error in `out`)
// when it is not JSON.
std::optional<nlohmann::ordered_json> parse_strict(std::string_view text, std::vector<problem>& out);

}  // namespace signoff::config
