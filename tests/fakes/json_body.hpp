#pragma once
// A request body as the JSON fakes (Telegram, WhatsApp) record and validate it.

#include <nlohmann/json.hpp>

#include <string>
#include <utility>

namespace signoff::test {

struct json_body {
    nlohmann::json value;  // {} when the body is empty; a body that is not a JSON object is kept as a JSON string
    bool object = true;    // false when the body was kept as a string
};

inline json_body read_json_body(std::string const& body) {
    if (body.empty()) return {nlohmann::json::object(), true};
    auto value = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!value.is_object()) return {body, false};
    return {std::move(value), true};
}

}  // namespace signoff::test
