#include "config/config.hpp"

#include "config/console_keys.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <charconv>

namespace signoff::config {

bool api_key::has_scope(std::string const& s) const {
    auto const has = [&](std::string_view x) { return std::find(scopes.begin(), scopes.end(), x) != scopes.end(); };
    return has(s) || (s == "decide" && has("admin"));  // who may act for anyone may decide
}

person const* config::find_person(std::string_view id) const {
    for (auto const& p : people)
        if (p.id == id) return &p;
    return nullptr;
}

role const* config::find_role(std::string_view id) const {
    for (auto const& r : roles)
        if (r.id == id) return &r;
    return nullptr;
}

person const* config::find_by_address(std::string_view channel, std::string_view address) const {
    if (address.empty()) return nullptr;
    std::optional<std::int64_t> chat_id;  // Telegram ids compared as numbers, parsed once
    if (channel == "telegram") {
        std::int64_t value = 0;
        auto [end, ec] = std::from_chars(address.data(), address.data() + address.size(), value);
        if (ec != std::errc{} || end != address.data() + address.size()) return nullptr;
        chat_id = value;
    }
    for (auto const& p : people) {
        if (chat_id && p.telegram == chat_id) return &p;
        if (channel == "whatsapp" && p.whatsapp == address) return &p;
        if (channel == "wecom" && p.wecom == address) return &p;
    }
    return nullptr;
}

bool config::channel_active(std::string_view channel) const {
    if (channel == "telegram") return channels.telegram.active();
    if (channel == "whatsapp") return channels.whatsapp.active();
    if (channel == "wecom") return channels.wecom.active();
    if (channel == "sms") return channels.sms.active();
    return false;
}

std::optional<std::string> config::address_of(person const& p, std::string_view channel) {
    if (channel == "telegram" && p.telegram) return std::to_string(*p.telegram);
    if (channel == "whatsapp" && !p.whatsapp.empty()) return p.whatsapp;
    if (channel == "wecom" && !p.wecom.empty()) return p.wecom;
    if (channel == "sms" && !p.sms.empty()) return p.sms;
    return std::nullopt;
}

role const* config::role_for_topic(std::string_view topic) const {
    for (auto const& r : roles)
        if (std::find(r.topics.begin(), r.topics.end(), topic) != r.topics.end()) return &r;
    return nullptr;
}

std::string config::console_url() const {
    std::string url = server.public_url;
    if (url.empty()) {
        auto colon = server.listen.rfind(':');
        auto host = server.listen.substr(0, colon);
        if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
        if (host == "[::]") host = "[::1]";
        url = (server.tls ? "https://" : "http://") + host + server.listen.substr(colon);
    }
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

std::vector<api_key> console_keys_for(std::vector<person> const& people) {
    std::vector<api_key> out;
    for (auto const& p : people) {
        api_key k;
        k.name = "console:" + p.id;
        k.person = p.id;
        k.scopes = p.admin ? std::vector<std::string>{"submit", "read", "admin", "decide"}
                           : std::vector<std::string>{"read", "decide"};
        out.push_back(std::move(k));
    }
    return out;
}

api_key const* config::console_key(std::string_view person) const {
    for (auto const& k : console_keys)
        if (k.person == person) return &k;
    return nullptr;
}

api_key const* config::find_key(std::string_view bearer) const {
    // Every key is compared, without an early return, so the time taken does not tell which
    // key matched; only the length of a key can leak, which is not the secret.
    api_key const* found = nullptr;
    if (bearer.empty()) return found;
    for (auto const& k : api.keys) {
        if (k.key.empty() || k.key.size() != bearer.size()) continue;
        if (CRYPTO_memcmp(k.key.data(), bearer.data(), bearer.size()) == 0 && !found) found = &k;
    }
    return found;
}

}  // namespace signoff::config
