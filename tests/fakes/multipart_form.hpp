#pragma once
// multipart/form-data request bodies (RFC 7578) as the platform fakes read them: strictly, so a
// malformed upload is refused the way a platform would refuse it.

#include "bot/core/http_types.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::test {

struct form_part {
    std::string name;
    std::optional<std::string> filename;
    std::optional<std::string> content_type;
    std::string value;  // the bytes exactly as sent
};

// The parts of `body` sent with Content-Type `content_type`; nullopt when the type is not
// multipart/form-data with a boundary or the body is not well framed (every part with a
// Content-Disposition: form-data name, a closing delimiter).
std::optional<std::vector<form_part>> parse_form(std::string_view content_type, std::string_view body);

// The parts of a rendered request's multipart body; throws std::runtime_error when it has no
// multipart Content-Type or is not well framed (for tests of what the adapters render).
std::vector<form_part> parts_of(http_call const& call);

// The first part named `name`, or null.
form_part const* find_part(std::vector<form_part> const& parts, std::string_view name);

}  // namespace signoff::test
