#include "bot/engine/content_checks.hpp"

#include "bot/core/text.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <string>
#include <utility>

namespace signoff::content {
namespace {

// Folded, with white space runs read as one space, so "State\n  SECRET" matches "state secret".
std::string normalise(std::string_view s) {
    std::string out;
    for (auto const& w : text::split_words(text::fold(s))) out += (out.empty() ? "" : " ") + w;
    return out;
}

std::vector<std::string> hits_in(std::vector<std::string> const& terms, std::vector<std::string> const& texts) {
    std::vector<std::string> hits;
    for (auto const& term : terms) {
        auto const t = normalise(term);
        if (t.empty() || std::find(hits.begin(), hits.end(), term) != hits.end()) continue;
        if (std::any_of(texts.begin(), texts.end(), [&](auto const& x) { return x.find(t) != std::string::npos; }))
            hits.push_back(term);
    }
    return hits;
}

std::size_t counted_length(std::string_view platform, std::string_view title, std::string_view body) {
    if (platform == "x") return text::x_weighted_length(body);  // a tweet has no title
    if (platform == "weibo" || platform == "wechat") return text::code_points(title) + text::code_points(body);
    return text::code_points(body);
}

std::string human_size(std::uint64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    constexpr char const* units[] = {"KB", "MB", "GB", "TB"};
    double v = static_cast<double>(bytes) / 1024;
    std::size_t u = 0;
    for (; v >= 1023.95 && u + 1 < std::size(units); ++u) v /= 1024;  // 1023.95 would print as 1024.0
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    std::string n = buf;
    if (n.ends_with(".0")) n.resize(n.size() - 2);
    return n + " " + units[u];
}

// Both sizes in human units, or in exact bytes when rounding would make them read equal.
std::pair<std::string, std::string> human_sizes(std::uint64_t a, std::uint64_t b) {
    auto ha = human_size(a), hb = human_size(b);
    if (ha == hb) return {std::to_string(a) + " bytes", std::to_string(b) + " bytes"};
    return {ha, hb};
}

std::string bounds(config::media_rule const& r) {
    if (r.min_bytes && r.max_bytes) return "between " + human_size(*r.min_bytes) + " and " + human_size(*r.max_bytes);
    return r.min_bytes ? "at least " + human_size(*r.min_bytes) : "at most " + human_size(*r.max_bytes);
}

bool has_pixel_bounds(config::media_rule const& r) { return r.min_width || r.min_height || r.max_width || r.max_height; }

// The first pixel bound an uploaded image breaks, as a sentence; nullopt when it keeps them all.
std::optional<std::string> pixel_problem(config::media_rule const& r, media_ref const& m) {
    if (!m.width || !m.height) return "its dimensions cannot be read, and " + m.type + " has pixel limits";
    auto const px = [](std::uint64_t n) { return std::to_string(n) + " px"; };
    auto const size = std::to_string(*m.width) + "×" + std::to_string(*m.height) + " px";
    auto const w = static_cast<std::uint64_t>(*m.width), h = static_cast<std::uint64_t>(*m.height);
    if (r.min_width && w < *r.min_width) return size + " is narrower than the minimum width of " + px(*r.min_width);
    if (r.max_width && w > *r.max_width) return size + " is wider than the maximum width of " + px(*r.max_width);
    if (r.min_height && h < *r.min_height) return size + " is lower than the minimum height of " + px(*r.min_height);
    if (r.max_height && h > *r.max_height) return size + " is taller than the maximum height of " + px(*r.max_height);
    return std::nullopt;
}

// Media types are case-insensitive (RFC 2045).
config::media_rule const* find_rule(std::map<std::string, config::media_rule> const& rules, std::string_view type) {
    auto const lower = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; };
    for (auto const& [name, rule] : rules)
        if (std::ranges::equal(name, type, {}, lower, lower)) return &rule;
    return nullptr;
}

check_result check_media(config::content_config const& cfg, std::size_t index, media_ref const& m) {
    auto const rule = "media[" + std::to_string(index) + "]";
    auto const say = [&](bool ok, std::string const& detail) { return check_result{rule, ok, rule + ": " + detail}; };
    if (m.type.empty()) return say(false, "media type not given");
    auto const* r = find_rule(cfg.media, m.type);
    if (!r) return say(false, m.type + " is not an allowed media type");
    if (!m.bytes) {
        if (!r->min_bytes && !r->max_bytes) return say(true, m.type);
        return say(false, "size not given; " + m.type + " must be " + bounds(*r));
    }
    if (r->min_bytes && *m.bytes < *r->min_bytes) {
        auto const [have, min] = human_sizes(*m.bytes, *r->min_bytes);
        return say(false, have + " is below the minimum of " + min + " for " + m.type);
    }
    if (r->max_bytes && *m.bytes > *r->max_bytes) {
        auto const [have, max] = human_sizes(*m.bytes, *r->max_bytes);
        return say(false, have + " is above the maximum of " + max + " for " + m.type);
    }
    // Declared external media carry no pixels to check; uploaded images do.
    if (m.uploaded && has_pixel_bounds(*r))
        if (auto problem = pixel_problem(*r, m)) return say(false, *problem);
    auto detail = m.type + ", " + human_size(*m.bytes);
    if (m.width && m.height) detail += ", " + std::to_string(*m.width) + "×" + std::to_string(*m.height) + " px";
    return say(true, detail);
}

}  // namespace

std::vector<std::string> prohibited_hits(std::vector<std::string> const& terms, std::string_view text) {
    return hits_in(terms, {normalise(text)});
}

std::vector<check_result> check_revision(config::content_config const& cfg, std::string_view title,
                                         std::string_view body, std::vector<std::string> const& platforms,
                                         std::vector<media_ref> const& media) {
    std::vector<check_result> out;
    for (std::size_t i = 0; i < platforms.size(); ++i) {
        auto const& p = platforms[i];
        auto const limit = cfg.limits.find(p);
        if (limit == cfg.limits.end() ||
            std::find(platforms.begin(), platforms.begin() + i, p) != platforms.begin() + i)
            continue;
        auto const n = counted_length(p, title, body);
        out.push_back({"limit:" + p, std::cmp_less_equal(n, limit->second),
                       p + ": " + std::to_string(n) + " of " + std::to_string(limit->second) + " characters"});
    }
    if (!cfg.prohibited.empty()) {
        // Title and body are searched apart so that no term is found across their boundary.
        auto const hits = hits_in(cfg.prohibited, {normalise(title), normalise(body)});
        std::string detail = hits.empty() ? "no prohibited terms" : "prohibited:";
        for (std::size_t i = 0; i < hits.size(); ++i) detail += (i ? ", \"" : " \"") + hits[i] + "\"";
        out.push_back({"prohibited", hits.empty(), detail});
    }
    for (std::size_t i = 0; i < media.size(); ++i) out.push_back(check_media(cfg, i, media[i]));
    return out;
}

}  // namespace signoff::content
