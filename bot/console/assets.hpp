#pragma once
// The web console's static files (bot/console/static), compiled into the binary by
// bot/console/embed_assets.cmake: nothing is read from disk or fetched at run time.

#include <span>
#include <string_view>

namespace signoff::console {

struct asset {
    std::string_view name;   // its path below bot/console/static: "index.html", "views/queue.js"
    std::string_view bytes;
};

std::span<asset const> assets();  // generated

// The file called `name`; nullptr when there is none.
asset const* find_asset(std::string_view name);

// Its media type, from the name's extension: text/html, text/javascript, text/css, image/svg+xml…
std::string_view content_type_of(std::string_view name);

}  // namespace signoff::console
