#include "bot/outbox/creatives.hpp"

#include "bot/core/log.hpp"
#include "bot/media/media_id.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace signoff {

namespace {

using nlohmann::json;

std::string extension_of(std::string const& type) {
    if (type == "image/jpeg") return "jpg";
    if (type == "image/png") return "png";
    if (type == "video/mp4") return "mp4";
    if (type == "application/pdf") return "pdf";
    return "bin";
}

std::optional<std::string> read_file(std::filesystem::path const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return std::nullopt;
    return bytes;
}

std::string key_of(json const& entry) {
    if (!entry.is_object()) return entry.dump();
    if (auto id = entry.find("id"); id != entry.end() && id->is_string()) return id->get<std::string>();
    if (auto url = entry.find("url"); url != entry.end() && url->is_string()) return url->get<std::string>();
    return entry.dump();
}

}  // namespace

card_creatives prepare_creatives(json const& media, media::library const& library, channels::channel const& ch,
                                 std::int64_t outbox_id, millis now) {
    card_creatives out;
    if (!media.is_array()) return out;
    for (auto const& entry : media) {
        if (!entry.is_object()) continue;
        auto const type = entry.value("type", std::string("application/octet-stream"));
        auto const limit = ch.upload_limit(type);
        if (!limit) return {};
        channels::creative c{.type = type, .name = "creative-" + std::to_string(out.creatives.size() + 1) + "." +
                                                   extension_of(type), .bytes = std::nullopt, .url = {}};
        if (auto url = entry.find("url"); url != entry.end() && url->is_string()) {
            c.url = url->get<std::string>();
            out.creatives.push_back(std::move(c));
            continue;
        }
        auto const id = key_of(entry);
        auto const hex = media::parse_media_id(id);
        auto left_out = [&](char const* why) {
            log::warn("outbox.creative_left_out", {{"outbox_id", outbox_id}, {"media", id}, {"why", why}});
        };
        if (!hex) {
            left_out("not an uploaded creative");
            continue;
        }
        auto const path = library.path_of(*hex);
        std::error_code ec;
        auto const size = std::filesystem::file_size(path, ec);
        if (ec) {
            left_out("the file is missing on disk");
            continue;
        }
        c.url = library.public_link(*hex, now + media::link_lifetime).value_or("");
        if (size <= *limit) {
            c.bytes = read_file(path);
            if (!c.bytes) {
                left_out("the file cannot be read");
                continue;
            }
        } else if (c.url.empty()) {
            left_out("too large to upload, and no public_url for a link");
            out.too_large = true;
            continue;
        }
        out.creatives.push_back(std::move(c));
    }
    return out;
}

bool same_creatives(json const& a, json const& b) {
    if (!a.is_array() || !b.is_array()) return a == b;
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (key_of(a[i]) != key_of(b[i])) return false;
    return true;
}

}  // namespace signoff
