#pragma once
// Strict parsing of REST request bodies into values the engine takes. Everything here throws
// api_error 400 (with the field to blame) for malformed input; routing and rule checks that
// need the directory or the clock happen later.

#include "bot/core/time.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signoff {

// Parses a JSON request body; 400 "malformed_json" (invalid JSON or UTF-8), 400 "invalid_body"
// when the top level is not an object.
nlohmann::json parse_body(std::string_view body);

struct submission {
    std::string kind;
    std::string title;
    std::string body;
    std::vector<std::string> platforms;
    std::optional<std::string> topic;
    std::optional<std::string> role;
    std::optional<std::string> region;
    std::string tier = "general";
    bool urgent = false;
    std::optional<millis> due;
    std::optional<millis> publish_at;                // drafts: the planned publication time
    nlohmann::json media = nlohmann::json::array();  // validated [{url, type, bytes?}] or [{id}]
    nlohmann::json source;                           // validated object, or null
    std::optional<std::string> external_ref;
};
submission parse_submission(nlohmann::json const& body);

struct revision_input {
    std::string title;
    std::string body;
    nlohmann::json media = nlohmann::json::array();
    std::optional<std::string> note;
};
// title/body/media not given keep the current revision's values (passed in).
revision_input parse_revision(nlohmann::json const& body, revision_input const& current);

struct publication {
    std::string platform;
    std::string url;
};
publication parse_publication(nlohmann::json const& body);

struct decision_input {
    std::string action;
    std::string person;
    std::optional<std::string> text;
    std::optional<int> revision;
};
decision_input parse_decision(nlohmann::json const& body);

struct availability_input {
    bool away = false;
    std::optional<millis> until;
};
availability_input parse_availability(nlohmann::json const& body);

std::optional<std::string> parse_reason(nlohmann::json const& body);  // withdraw

}  // namespace signoff
