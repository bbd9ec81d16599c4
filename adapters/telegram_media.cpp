// Cards with their creatives (SPEC §6): the photo, video or document itself with the card as
// caption and the buttons under it, or a media group first when there are several.

#include "adapters/telegram.hpp"

#include "adapters/telegram_detail.hpp"
#include "bot/core/multipart.hpp"
#include "bot/core/text.hpp"

#include <algorithm>

namespace signoff::telegram {

namespace {

using ordered_json = nlohmann::ordered_json;
using namespace detail;

constexpr std::size_t max_group_items = 10;  // sendMediaGroup takes 2–10

struct media_kind {
    std::string_view method;  // to send one alone
    std::string_view field;   // its file field
    std::string_view type;    // InputMedia type in a group
};

media_kind kind_of(std::string_view type) {
    if (is_photo_type(type)) return {"sendPhoto", "photo", "photo"};
    if (type == "video/mp4") return {"sendVideo", "video", "video"};
    return {"sendDocument", "document", "document"};
}

http_call upload_call(config::telegram_config const& cfg, std::string_view method, std::vector<multipart::part> const& parts) {
    auto call = api_call(cfg, method, ordered_json::object());
    auto form = multipart::form(parts);
    call.headers = {{"Content-Type", form.content_type}};
    call.body = std::move(form.bytes);
    return call;
}

// One creative alone, with the card as caption and its keyboard when given.
http_call single_call(config::telegram_config const& cfg, std::string const& to, channels::creative const& c,
                      std::optional<std::string> const& caption, std::optional<ordered_json> const& markup) {
    auto const kind = kind_of(c.type);
    if (c.bytes) {
        std::vector<multipart::part> parts{{.name = "chat_id", .value = to}};
        if (caption) parts.push_back({.name = "caption", .value = *caption});
        if (markup) parts.push_back({.name = "reply_markup", .value = markup->dump()});
        parts.push_back({.name = std::string(kind.field), .value = *c.bytes, .filename = c.name, .content_type = c.type});
        return upload_call(cfg, kind.method, parts);
    }
    ordered_json body{{"chat_id", chat_id_of(to)}, {std::string(kind.field), c.url}};
    if (caption) body["caption"] = *caption;
    if (markup) body["reply_markup"] = *markup;
    return api_call(cfg, kind.method, body);
}

// sendMediaGroup of 2–10 creatives; uploaded ones are attached as parts "file0", "file1", ….
http_call group_call(config::telegram_config const& cfg, std::string const& to,
                     std::vector<channels::creative> const& group) {
    auto media = ordered_json::array();
    std::vector<multipart::part> files;
    for (std::size_t i = 0; i < group.size(); ++i) {
        auto const& c = group[i];
        auto const name = "file" + std::to_string(i);
        media.push_back({{"type", std::string(kind_of(c.type).type)}, {"media", c.bytes ? "attach://" + name : c.url}});
        if (c.bytes) files.push_back({.name = name, .value = *c.bytes, .filename = c.name, .content_type = c.type});
    }
    if (files.empty()) return api_call(cfg, "sendMediaGroup", {{"chat_id", chat_id_of(to)}, {"media", media}});
    std::vector<multipart::part> parts{{.name = "chat_id", .value = to}, {.name = "media", .value = media.dump()}};
    parts.insert(parts.end(), files.begin(), files.end());
    return upload_call(cfg, "sendMediaGroup", parts);
}

// Documents group only with documents, photos and videos with each other: each kind goes in
// groups of up to ten, a lone one by itself.
void add_groups(std::vector<http_call>& out, config::telegram_config const& cfg, std::string const& to,
                std::vector<channels::creative> const& list) {
    for (std::size_t i = 0; i < list.size();) {
        auto const n = std::min(max_group_items, list.size() - i);
        if (n == 1) out.push_back(single_call(cfg, to, list[i], std::nullopt, std::nullopt));
        else out.push_back(group_call(cfg, to, {list.begin() + i, list.begin() + i + n}));
        i += n;
    }
}

}  // namespace

bool is_photo_type(std::string_view type) { return type == "image/jpeg" || type == "image/png"; }

channels::rendering render_card_with_media(chat::outbound_message const& m, std::vector<channels::creative> const& creatives,
                                           config::telegram_config const& cfg) {
    auto plain = render_message(m, cfg);
    if (creatives.empty() || m.edit_message_id) return {{plain}, ""};
    channels::rendering r;
    r.fallback = {plain};
    if (creatives.size() == 1) {
        if (text::length(m.text, text::unit::utf16) <= max_caption_units) {
            std::optional<ordered_json> markup;
            if (!m.buttons.empty() && !m.remove_buttons) markup = keyboard(m.buttons);
            r.requests.push_back(single_call(cfg, m.to, creatives.front(), m.text, markup));
            r.sent_as = "caption";
            return r;
        }
        r.requests.push_back(single_call(cfg, m.to, creatives.front(), std::nullopt, std::nullopt));
    } else {
        std::vector<channels::creative> visual, documents;
        for (auto const& c : creatives) (kind_of(c.type).type == "document" ? documents : visual).push_back(c);
        add_groups(r.requests, cfg, m.to, visual);
        add_groups(r.requests, cfg, m.to, documents);
    }
    r.creative_requests = r.requests.size();
    r.requests.push_back(std::move(plain));
    return r;
}

http_call render_caption_edit(chat::outbound_message const& m, config::telegram_config const& cfg) {
    if (!m.edit_message_id || m.text.empty()) return render_message(m, cfg);
    auto const id = std::stoll(*m.edit_message_id);
    ordered_json body{{"chat_id", chat_id_of(m.to)}, {"message_id", id}, {"caption", fit_utf16(m.text, max_caption_units)}};
    if (!m.buttons.empty() && !m.remove_buttons) body["reply_markup"] = keyboard(m.buttons);
    return api_call(cfg, "editMessageCaption", body);
}

}  // namespace signoff::telegram
