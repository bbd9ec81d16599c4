#include "bot/messages/messages.hpp"

#include <date/tz.h>

#include <array>
#include <cctype>
#include <chrono>
#include <exception>

#include "bot/messages/parts.hpp"
#include "bot/core/text.hpp"

namespace signoff::chat {
namespace detail {
namespace {

constexpr phrase due{"due {time}", "截止 {time}", "समय-सीमा {time}"};
constexpr phrase urgent{"🚨 urgent", "🚨 紧急", "🚨 अत्यावश्यक"};
constexpr phrase interim_due{"interim response due {time}", "临时答复截止 {time}", "अंतरिम उत्तर की समय-सीमा {time}"};
constexpr phrase final_due{"final due {time}", "正式答复截止 {time}", "अंतिम उत्तर की समय-सीमा {time}"};

constexpr phrase source_from{"From: {who}", "来源：{who}", "स्रोत: {who}"};
constexpr phrase source_received{"Received: {time}", "收到时间：{time}", "प्राप्त: {time}"};
constexpr phrase source_link{"Link: {url}", "链接：{url}", "लिंक: {url}"};

constexpr std::array<std::string_view, 12> months_en{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 12> months_hi{"जन", "फ़र", "मार्च", "अप्रैल", "मई", "जून",
                                                     "जुल", "अग", "सित",  "अक्तू",  "नवं", "दिस"};

std::string_view icon(std::string const& kind) {
    if (kind == "complaint") return "📣";
    if (kind == "query") return "❓";
    if (kind == "feedback") return "💬";
    return "📝";
}

std::string two_digits(unsigned n) { return std::string(1, char('0' + n / 10)) + char('0' + n % 10); }

}  // namespace

lang to_lang(std::string const& language) {
    if (language == "zh") return lang::zh;
    if (language == "hi") return lang::hi;
    return lang::en;
}

std::string fill(std::string_view pattern, args values) {
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

std::string person_name(config::config const& cfg, std::string const& id) {
    auto const* p = cfg.find_person(id);
    return p && !p->name.empty() ? p->name : id;
}

std::string item_ref(item const& it, lang l, bool capital) {
    return kind_name(it.kind, l, capital) + " #" + std::to_string(it.id);
}

std::string local_time(config::config const& cfg, millis instant, lang l) {
    static constexpr std::array<char const*, 3> names{"en", "zh", "hi"};
    return format_local(instant, cfg.timezone, names[static_cast<std::size_t>(l)]);
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

std::string normal_language(std::string_view tag) {
    std::string lower;
    for (char c : tag.substr(0, 2)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool const whole = tag.size() == 2 || (tag.size() > 2 && (tag[2] == '-' || tag[2] == '_'));
    if (whole && (lower == "zh" || lower == "hi")) return lower;
    return "en";
}

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
    auto const day = date::floor<date::days>(local);
    date::year_month_day const ymd{day};
    date::hh_mm_ss const clock{date::floor<minutes>(local - day)};
    auto const d = static_cast<unsigned>(ymd.day()), m = static_cast<unsigned>(ymd.month());
    std::string const hm = detail::two_digits(static_cast<unsigned>(clock.hours().count())) + ":" +
                           detail::two_digits(static_cast<unsigned>(clock.minutes().count()));
    switch (l) {
        case detail::lang::zh:
            return std::to_string(m) + "月" + std::to_string(d) + "日 " + hm + " " + abbrev;
        case detail::lang::hi:
            return std::to_string(d) + " " + std::string(detail::months_hi[m - 1]) + " " + hm + " " + abbrev;
        case detail::lang::en:
            break;
    }
    return std::to_string(d) + " " + std::string(detail::months_en[m - 1]) + " " + hm + " " + abbrev;
}

}  // namespace signoff::chat
