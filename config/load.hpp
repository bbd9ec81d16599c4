#pragma once
// Loading and validating a configuration file (SPEC §4). Every problem is collected with its
// JSON path ("people[1].telegram: …") so `signoff check-config` can print them all at once.

#include "config/config.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::config {

struct problem {
    std::string path;     // e.g. "people[1].telegram", "" for the document itself
    std::string message;
    bool warning = false; // warnings (inactive channel, unreachable person) do not fail loading
};

struct load_result {
    std::optional<config> value;    // set when there are no errors (warnings allowed)
    std::vector<problem> problems;  // errors and warnings, in document order
};

using env_lookup = std::function<std::optional<std::string>(std::string const&)>;

// The process environment.
env_lookup process_env();

// Parses and validates JSON text.
load_result load_text(std::string_view json_text, env_lookup const& env = process_env());

// Reads FILE and loads it; an unreadable file is one problem with an empty path.
load_result load_file(std::string const& path, env_lookup const& env = process_env());

// The embedded default (config/demo.json, compiled in).
std::string_view demo_json();

// The API key values the embedded configuration ships (what its keys are when their variables
// are unset): public, so never to be served off loopback (SPEC §3).
std::vector<std::string> shipped_demo_keys();

// "PATH: message" or "warning: PATH: message".
std::string format(problem const& p);

}  // namespace signoff::config
