#include "bot/console/assets.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace signoff::console {

asset const* find_asset(std::string_view name) {
    auto all = assets();
    auto it = std::find_if(all.begin(), all.end(), [&](asset const& a) { return a.name == name; });
    return it == all.end() ? nullptr : &*it;
}

std::string_view content_type_of(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> types{{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".json", "application/json"},
    }};
    for (auto const& [ext, type] : types)
        if (name.ends_with(ext)) return type;
    return "application/octet-stream";
}

}  // namespace signoff::console
