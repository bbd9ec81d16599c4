#include "bot/messages/messages.hpp"
#include "bot/messages/parts.hpp"

#include <array>

namespace signoff::chat {

nlohmann::json console_texts(std::string const& language) {
    static constexpr std::array<std::string_view, 5> prefixes{"console.", "kind.", "status.", "step.", "event."};
    auto const l = detail::to_lang(language);
    nlohmann::json texts = nlohmann::json::object();
    for (auto const& key : detail::message_keys())
        for (auto p : prefixes)
            if (key.starts_with(p)) texts[key] = detail::text(l, key);
    return {{"lang", std::string(detail::tag_of(l))}, {"texts", std::move(texts)}};
}

}  // namespace signoff::chat
