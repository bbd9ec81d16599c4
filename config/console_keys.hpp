#pragma once
// The rights of a person signed in to the console, as an API key of their own
// (config::console_keys): made once when the configuration is loaded.

#include "config/config.hpp"

#include <vector>

namespace signoff::config {

// One key per person, named "console:<id>", never matched by a bearer token (its key is
// empty): admins may submit, read and act for anyone; others read and decide their own steps.
std::vector<api_key> console_keys_for(std::vector<person> const& people);

}  // namespace signoff::config
