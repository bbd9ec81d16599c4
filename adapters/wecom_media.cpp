// A card's creatives on WeCom (SPEC §6): each uploaded as temporary media, then sent as an
// image, video or file message by the media_id the upload answered, before the card; one that
// can only be linked goes as a news message with its picture URL.

#include "adapters/wecom.hpp"

#include "bot/core/multipart.hpp"
#include "bot/core/url.hpp"

#include <nlohmann/json.hpp>

namespace signoff::wecom {

namespace {

using ordered_json = nlohmann::ordered_json;

constexpr std::string_view media_id_placeholder = "@signoff-media-id@";

std::string base_of(config::wecom_config const& cfg) {
    std::string_view base = cfg.api_base;
    while (base.ends_with('/')) base.remove_suffix(1);
    return std::string(base);
}

http_call send_call(config::wecom_config const& cfg, std::string const& access_token, ordered_json const& body) {
    return {.method = "POST",
            .url = base_of(cfg) + "/cgi-bin/message/send?access_token=" + percent_encode(access_token),
            .headers = {{"Content-Type", "application/json"}},
            .body = body.dump()};
}

}  // namespace

std::string_view media_type_of(std::string_view mime) {
    if (mime == "image/jpeg" || mime == "image/png") return "image";
    if (mime == "video/mp4") return "video";
    return "file";
}

std::optional<std::uint64_t> upload_limit_of(std::string_view mime) {
    return media_type_of(mime) == "file" ? max_file_bytes : max_image_bytes;
}

std::vector<http_call> render_media(std::string const& userid, std::vector<channels::creative> const& creatives,
                                    config::wecom_config const& cfg, std::string const& access_token) {
    if (userid.empty()) throw std::invalid_argument("wecom: no recipient");
    std::vector<http_call> out;
    for (auto const& c : creatives) {
        auto const kind = std::string(media_type_of(c.type));
        ordered_json body{{"touser", userid}, {"agentid", cfg.agent_id}};
        if (c.bytes) {
            auto form = multipart::form({{.name = "media", .value = *c.bytes, .filename = c.name, .content_type = c.type}});
            out.push_back({.method = "POST",
                           .url = base_of(cfg) + "/cgi-bin/media/upload?access_token=" + percent_encode(access_token) +
                                  "&type=" + kind,
                           .headers = {{"Content-Type", form.content_type}},
                           .body = std::move(form.bytes)});
            body["msgtype"] = kind;
            body[kind] = {{"media_id", std::string(media_id_placeholder)}};
            auto call = send_call(cfg, access_token, body);
            call.from_previous =
                http_call::substitution{.field = "media_id", .placeholder = std::string(media_id_placeholder)};
            out.push_back(std::move(call));
        } else if (!c.url.empty()) {
            body["msgtype"] = "news";
            ordered_json article{{"title", c.name}, {"url", c.url}};
            if (kind == "image") article["picurl"] = c.url;
            body["news"] = {{"articles", ordered_json::array({article})}};
            out.push_back(send_call(cfg, access_token, body));
        }
    }
    return out;
}

}  // namespace signoff::wecom
