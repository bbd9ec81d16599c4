#include "bot/messages/messages.hpp"

#include <date/tz.h>

#include <array>
#include <cctype>
#include <chrono>
#include <exception>

#include "bot/messages/parts.hpp"
#include "bot/core/command_words.hpp"
#include "bot/core/text.hpp"

namespace signoff::chat {
namespace detail {
namespace {

constexpr message_key due{"common.due"};
constexpr message_key urgent{"common.urgent"};
constexpr message_key interim_due{"common.interim_due"};
constexpr message_key final_due{"common.final_due"};

constexpr message_key source_from{"common.source_from"};
constexpr message_key source_received{"common.source_received"};
constexpr message_key source_link{"common.source_link"};

std::string_view icon(std::string const& kind) {
    if (kind == "complaint") return "📣";
    if (kind == "query") return "❓";
    if (kind == "feedback") return "💬";
    return "📝";
}

using value_list = std::vector<std::pair<std::string_view, std::string_view>>;

std::string fill_from(std::string_view pattern, value_list const& values) {
    std::string out;
    out.reserve(pattern.size());
    for (std::size_t i = 0; i < pattern.size();) {
        bool replaced = false;
        if (pattern[i] == '{') {
            for (auto const& [key, value] : values) {
                if (pattern.substr(i + 1, key.size()) == key && pattern.substr(i + 1 + key.size(), 1) == "}") {
                    out += value;
                    i += key.size() + 2;
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced) out += pattern[i++];
    }
    return out;
}

// The caller's values, then the commands' words for hints such as "{approve} {id} [note]".
value_list with_command_words(value_list values, lang l) {
    for (auto const v : all_verbs) values.emplace_back(verb_name(v), word_for(v, tag_of(l)));
    return values;
}

}  // namespace

std::string fill(std::string_view pattern, args values) { return fill_from(pattern, value_list(values)); }

std::string fill(std::string_view pattern, lang l, args values) {
    return fill_from(pattern, with_command_words(value_list(values), l));
}

std::string say_n(message_key k, lang l, long n, args values) {
    auto const number = std::to_string(n);
    value_list all{{"n", number}};
    all.insert(all.end(), values.begin(), values.end());
    return fill_from(text_n(l, k.id, n), with_command_words(std::move(all), l));
}

std::string person_name(config::config const& cfg, std::string const& id) {
    auto const* p = cfg.find_person(id);
    return p && !p->name.empty() ? p->name : id;
}

std::string item_ref(item const& it, lang l, bool capital) {
    return kind_name(it.kind, l, capital) + " #" + std::to_string(it.id);
}

std::string local_time(config::config const& cfg, millis instant, lang l) {
    return format_local(instant, cfg.timezone, std::string(tag_of(l)));
}

std::string card_header(config::config const& cfg, item const& it, lang l) {
    std::string out = std::string(icon(it.kind)) + " " + item_ref(it, l);
    if (is_draft_kind(it.kind)) {
        out += " · " + it.tier + " · " + say(due, l, {{"time", local_time(cfg, it.due, l)}});
    } else {
        if (it.interim_due && it.status == item_status::open)
            out += " · " + say(interim_due, l, {{"time", local_time(cfg, *it.interim_due, l)}});
        out += " · " + say(final_due, l, {{"time", local_time(cfg, it.due, l)}});
    }
    if (it.urgent) out += " · " + say(urgent, l);
    return out;
}

std::vector<std::string> source_lines(config::config const& cfg, nlohmann::json const& source, lang l) {
    std::vector<std::string> out;
    if (!source.is_object()) return out;
    auto field = [&](char const* key) {
        auto const found = source.find(key);
        return found != source.end() && found->is_string() ? found->get<std::string>() : std::string();
    };
    std::vector<std::string> who;
    for (auto const* key : {"author", "platform"})
        if (auto v = field(key); !v.empty()) who.push_back(clip(v, 100));
    if (!who.empty()) out.push_back(say(source_from, l, {{"who", join(who, " · ")}}));
    if (auto at = parse_rfc3339(field("received_at")))
        out.push_back(say(source_received, l, {{"time", local_time(cfg, *at, l)}}));
    if (auto url = field("url"); !url.empty()) out.push_back(say(source_link, l, {{"url", clip(url, 300)}}));
    return out;
}

std::vector<std::string> check_lines(nlohmann::json const& checks) {
    std::vector<std::string> out;
    if (!checks.is_array()) return out;
    for (auto const& c : checks) {
        if (!c.is_object() || c.value("ok", true)) continue;
        auto detail = c.value("detail", std::string());
        out.push_back("⚠ " + clip(detail.empty() ? c.value("rule", std::string("check")) : detail, 300));
    }
    return out;
}

std::string clip(std::string_view s, std::size_t max) {
    return text::cut_with_ellipsis(s, max, text::unit::code_points);
}

std::size_t utf16_units(std::string_view s) { return text::length(s, text::unit::utf16); }

std::string fit(std::string text, std::size_t max_units) {
    return text::cut_with_ellipsis(text, max_units, text::unit::utf16);
}

std::string join(std::vector<std::string> const& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += separator;
        out += parts[i];
    }
    return out;
}

}  // namespace detail

std::string normal_language(std::string_view tag) { return std::string(detail::tag_of(detail::to_lang(tag))); }

std::string format_local(millis instant, std::string const& timezone, std::string const& language) {
    using namespace std::chrono;
    auto const l = detail::to_lang(language);
    date::time_zone const* zone = nullptr;
    try {
        zone = date::locate_zone(timezone);
    } catch (std::exception const&) {
        // An unknown zone is caught when the config loads; showing UTC beats failing a message.
    }
    date::sys_time<milliseconds> const at{milliseconds{instant}};
    auto local = date::local_time<milliseconds>{at.time_since_epoch()};
    std::string abbrev = "UTC";
    if (zone) {
        auto const info = zone->get_info(at);
        local = zone->to_local(at);
        abbrev = info.abbrev;
        if (!abbrev.empty() && (abbrev[0] == '+' || abbrev[0] == '-')) abbrev = "UTC" + abbrev;
    }
    // The zone is applied by tzdata above; ICU shows the wall-clock fields in its own GMT.
    auto const wall = date::floor<minutes>(local).time_since_epoch();
    return detail::format_wall_clock(l, static_cast<double>(duration_cast<milliseconds>(wall).count())) + " " +
           abbrev;
}

}  // namespace signoff::chat
