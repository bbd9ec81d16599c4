#pragma once
// The id of an uploaded creative, "sha256:<64 lowercase hex>": the SHA-256 of its bytes.

#include <optional>
#include <string>
#include <string_view>

namespace signoff::media {

// "sha256:<64 lowercase hex>" → the hex; nullopt for anything else.
std::optional<std::string> parse_media_id(std::string_view id);
std::string media_id(std::string_view sha256_hex);  // → "sha256:<hex>"
bool is_sha256_hex(std::string_view text);

}  // namespace signoff::media
