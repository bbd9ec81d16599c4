#include "bot/media/media_id.hpp"

namespace signoff::media {

namespace {
constexpr std::string_view id_prefix = "sha256:";
}

bool is_sha256_hex(std::string_view text) {
    if (text.size() != 64) return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

std::optional<std::string> parse_media_id(std::string_view id) {
    if (!id.starts_with(id_prefix)) return std::nullopt;
    auto hex = id.substr(id_prefix.size());
    if (!is_sha256_hex(hex)) return std::nullopt;
    return std::string(hex);
}

std::string media_id(std::string_view sha256_hex) { return std::string(id_prefix) + std::string(sha256_hex); }

}  // namespace signoff::media
