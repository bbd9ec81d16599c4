// A card's creatives on WhatsApp (SPEC §6): a media message before the interactive card, by
// signed link when the server has a public URL, else uploaded to /media first and sent by the
// id the upload answers.

#include "adapters/whatsapp.hpp"

#include "bot/core/multipart.hpp"

#include <nlohmann/json.hpp>

namespace signoff::whatsapp {

namespace {

using ordered_json = nlohmann::ordered_json;

constexpr std::string_view media_id_placeholder = "@signoff-media-id@";

std::string base_of(config::whatsapp_config const& cfg) {
    std::string_view base = cfg.api_base;
    while (base.ends_with('/')) base.remove_suffix(1);
    return std::string(base) + "/" + cfg.phone_number_id;
}

http_call message_call(config::whatsapp_config const& cfg, ordered_json const& body) {
    return {.method = "POST",
            .url = base_of(cfg) + "/messages",
            .headers = {{"Authorization", "Bearer " + cfg.access_token}, {"Content-Type", "application/json"}},
            .body = body.dump()};
}

}  // namespace

std::string_view media_type_of(std::string_view mime) {
    if (mime == "image/jpeg" || mime == "image/png") return "image";
    if (mime == "video/mp4" || mime == "video/3gpp") return "video";
    return "document";
}

std::optional<std::uint64_t> upload_limit_of(std::string_view mime) {
    auto const kind = media_type_of(mime);
    if (kind == "image") return max_image_bytes;
    if (kind == "video") return max_video_bytes;
    return max_document_bytes;
}

std::vector<http_call> render_media(std::string const& to, std::vector<channels::creative> const& creatives,
                                    config::whatsapp_config const& cfg) {
    if (to.empty()) throw std::invalid_argument("whatsapp: no recipient");
    std::vector<http_call> out;
    for (auto const& c : creatives) {
        auto const kind = std::string(media_type_of(c.type));
        ordered_json body{{"messaging_product", "whatsapp"}, {"recipient_type", "individual"}, {"to", to},
                          {"type", kind}};
        ordered_json media;
        if (!c.url.empty()) {
            media["link"] = c.url;
        } else if (c.bytes) {
            auto form = multipart::form({{.name = "messaging_product", .value = "whatsapp"},
                                         {.name = "type", .value = c.type},
                                         {.name = "file", .value = *c.bytes, .filename = c.name, .content_type = c.type}});
            out.push_back({.method = "POST",
                           .url = base_of(cfg) + "/media",
                           .headers = {{"Authorization", "Bearer " + cfg.access_token}, {"Content-Type", form.content_type}},
                           .body = std::move(form.bytes)});
            media["id"] = std::string(media_id_placeholder);
        } else {
            continue;
        }
        if (kind == "document") media["filename"] = c.name;
        body[kind] = media;
        auto call = message_call(cfg, body);
        if (!c.url.empty() || !c.bytes) {
            out.push_back(std::move(call));
            continue;
        }
        call.from_previous = http_call::substitution{.field = "id", .placeholder = std::string(media_id_placeholder)};
        out.push_back(std::move(call));
    }
    return out;
}

}  // namespace signoff::whatsapp
