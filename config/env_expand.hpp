#pragma once
// The document pass of configuration loading: one walk over the parsed JSON that replaces
// every string of the exact form "${NAME}", "${NAME:-}" or "${NAME:-default}" with its value
// and records, for each JSON path, its position in the document and whether its value came
// from the environment (such values are secrets and never appear in a message).

#include <cstddef>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/load.hpp"

namespace signoff::config {

struct source_info {
    std::unordered_map<std::string, std::size_t> order;  // JSON path → pre-order position
    std::set<std::string> from_env;                      // paths whose value is an environment value
    std::set<std::string> unset;                         // paths whose variable is missing (an error)

    bool present(std::string const& path) const { return order.contains(path); }
    // Position of PATH, or of its nearest present ancestor for a path missing from the document.
    std::size_t position(std::string path) const;
};

// "a.b" + "c" → "a.b.c"; "" + "c" → "c".
std::string join_path(std::string const& parent, std::string_view key);
// "a.b" + 2 → "a.b[2]".
std::string index_path(std::string const& parent, std::size_t i);

// Expands in place. A missing variable without ":-" is an error at the string's path and the
// string becomes empty. ":-" takes the default when the variable is unset or empty (as in sh).
source_info expand_env(nlohmann::ordered_json& doc, env_lookup const& env, std::vector<problem>& out);

}  // namespace signoff::config
