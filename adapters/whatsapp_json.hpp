#pragma once
// Internal to adapters/whatsapp*.cpp: the JSON look-up that the inbound half (whatsapp.cpp) and
// the sending half (whatsapp_send.cpp) share.

#include <nlohmann/json.hpp>

#include <string_view>

namespace signoff::whatsapp::detail {

// The member `key` of `object`, or nullptr when there is none.
inline nlohmann::json const* find(nlohmann::json const& object, std::string_view key) {
    auto const it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

}  // namespace signoff::whatsapp::detail
