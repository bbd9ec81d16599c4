#include "bot/engine/routing.hpp"

#include "bot/core/api_error.hpp"

#include <algorithm>

namespace signoff::engine {

config::role const& route(config::config const& cfg, std::optional<std::string> const& role,
                          std::optional<std::string> const& topic) {
    if (role) {
        if (auto const* r = cfg.find_role(*role)) return *r;
        throw api_error(422, "unroutable", "no role \"" + *role + "\" in the directory", "role");
    }
    if (topic) {
        if (auto const* r = cfg.role_for_topic(*topic)) return *r;
        throw api_error(422, "unroutable", "no role owns the topic \"" + *topic + "\"", "topic");
    }
    throw api_error(422, "unroutable", "give a role or a topic so the item can be routed", "topic");
}

assignment stand_in(config::config const& cfg, config::role const& role, away_set const& away) {
    if (!away.contains(role.head)) return {role.head, std::nullopt};
    if (!role.fallback.empty() && !away.contains(role.fallback)) return {role.fallback, role.head};
    for (auto const& observer : cfg.observers)
        if (!away.contains(observer) && observer != role.head) return {observer, role.head};
    return {role.head, std::nullopt};
}

std::vector<std::string> region_coordinators(config::config const& cfg, std::optional<std::string> const& region) {
    std::vector<std::string> out;
    if (!region) return out;
    for (auto const& r : cfg.roles)
        if (std::find(r.regions.begin(), r.regions.end(), *region) != r.regions.end() &&
            std::find(out.begin(), out.end(), r.head) == out.end())
            out.push_back(r.head);
    return out;
}

}  // namespace signoff::engine
