// Answers that list things: the pending items, the cards that waited for one person, one item
// in full, its audit trail.

#include <algorithm>

#include "bot/messages/messages.hpp"
#include "bot/messages/parts.hpp"

namespace signoff::chat {
using namespace detail;
namespace {

constexpr std::size_t max_pending_lines = 50;
constexpr std::size_t max_list_title_code_points = 80;
constexpr std::size_t max_event_text_code_points = 120;
constexpr std::size_t show_spare_units = 16;

constexpr message_key pending_header{"lists.pending_header"};
constexpr message_key nothing_pending{"lists.nothing_pending"};
constexpr message_key due_at{"common.due"};
constexpr message_key interim_at{"common.interim_due"};
constexpr message_key overdue{"lists.overdue"};
constexpr message_key more{"lists.more"};
constexpr message_key card_list_header{"lists.card_list_header"};
constexpr message_key card_list_command{"lists.card_list_command"};

constexpr message_key status_rev{"lists.status_rev"};
constexpr message_key status_only{"lists.status_only"};
constexpr message_key waiting_for{"lists.waiting_for"};
constexpr message_key role_line{"lists.role_line"};
constexpr message_key platforms_line{"lists.platforms_line"};
constexpr message_key published_line{"lists.published_line"};
constexpr message_key checks_passed{"lists.checks_passed"};
constexpr message_key revision_line{"lists.revision_line"};
constexpr message_key note_line{"lists.note_line"};
constexpr message_key steps_header{"lists.steps_header"};
constexpr message_key for_whom{"lists.for_whom"};
constexpr message_key by_whom{"lists.by_whom"};

constexpr message_key history_header{"lists.history_header"};
constexpr message_key no_events{"lists.no_events"};
constexpr message_key earlier{"lists.earlier"};
constexpr message_key on_behalf{"lists.on_behalf"};
constexpr message_key until{"lists.until"};

std::string string_field(nlohmann::json const& object, char const* key) {
    if (!object.is_object()) return {};
    auto const found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// "#42 Draft · Title · due 22 Nov 15:30 IST · ⏰ overdue"
std::string pending_line(config::config const& cfg, item const& it, millis now, lang l) {
    bool const interim = !is_draft_kind(it.kind) && it.status == item_status::open && it.interim_due.has_value();
    millis const deadline = interim ? *it.interim_due : it.due;
    auto const what = it.title.empty() ? it.body : it.title;
    std::string out = "#" + std::to_string(it.id) + " " + kind_name(it.kind, l);
    if (!what.empty()) out += " · " + clip(what, max_list_title_code_points);
    out += " · " + say(interim ? interim_at : due_at, l, {{"time", local_time(cfg, deadline, l)}});
    if (deadline < now) out += " · " + say(overdue, l);
    return out;
}

// `header`, then `lines` while they fit one message, then "…and N more" for the rest of `total`.
std::string fitted_list(std::string header, std::vector<std::string>& lines, std::size_t total, lang l) {
    std::size_t units = utf16_units(header) + 64, shown = 0;  // room for the "…and N more" line
    std::vector<std::string> out{std::move(header)};
    for (; shown < lines.size() && units + utf16_units(lines[shown]) + 1 <= max_message_utf16; ++shown) {
        units += utf16_units(lines[shown]) + 1;
        out.push_back(std::move(lines[shown]));
    }
    if (shown < total) out.push_back(say_n(more, l, static_cast<long>(total - shown)));
    return fit(join(out, "\n"), max_message_utf16);
}

std::string step_line(config::config const& cfg, step const& s, lang l) {
    std::string out = std::to_string(s.position + 1) + ". " + person_name(cfg, s.person);
    if (s.for_person) out += " " + say(for_whom, l, {{"name", person_name(cfg, *s.for_person)}});
    out += " — " + step_status_name(s.status, l);
    if (s.decided_by && *s.decided_by != s.person)
        out += " " + say(by_whom, l, {{"name", person_name(cfg, *s.decided_by)}});
    if (s.decided_at) out += " · " + local_time(cfg, *s.decided_at, l);
    if (s.note && !s.note->empty()) out += say(colon, l) + clip(*s.note, max_event_text_code_points);
    return out;
}

std::string event_detail(config::config const& cfg, nlohmann::json const& e, lang l) {
    auto const type = string_field(e, "type");
    auto const data = e.contains("data") ? e["data"] : nlohmann::json();
    if (type == "reassigned" || type == "tier_raised") {
        auto from = string_field(data, "from"), to = string_field(data, "to");
        if (type == "reassigned") from = person_name(cfg, from), to = person_name(cfg, to);
        if (!from.empty() || !to.empty()) return from + " → " + to;
    }
    if (type == "away")
        if (auto at = parse_rfc3339(string_field(data, "until")))
            return say(until, l, {{"time", local_time(cfg, *at, l)}});
    if (type == "published") return join({string_field(data, "platform"), string_field(data, "url")}, " ");
    for (auto const* key : {"text", "reason", "note", "why"})
        if (auto text = string_field(data, key); !text.empty()) return text;
    return {};
}

// "22 Nov 15:40 IST · Approved · Asha Rao for Vikram Singh: looks good"
std::string event_line(config::config const& cfg, nlohmann::json const& e, lang l) {
    auto const at_text = string_field(e, "at");
    auto const at = parse_rfc3339(at_text);
    std::vector<std::string> parts{at ? local_time(cfg, *at, l) : at_text, event_name(string_field(e, "type"), l)};
    auto actor = string_field(e, "actor");
    if (actor.empty()) actor = string_field(e, "recorded_by");  // an API key's name, e.g. the agency's tool
    if (!actor.empty()) {
        auto const other = string_field(e, "on_behalf_of");
        parts.push_back(
            other.empty() ? person_name(cfg, actor)
                          : say(on_behalf, l, {{"name", person_name(cfg, actor)}, {"other", person_name(cfg, other)}}));
    }
    auto out = join(parts, " · ");
    if (auto detail = event_detail(cfg, e, l); !detail.empty())
        out += say(colon, l) + clip(detail, max_event_text_code_points);
    return out;
}

}  // namespace

std::string render_pending(config::config const& cfg, std::vector<item> const& items, millis now,
                           std::string const& language) {
    auto const l = to_lang(language);
    if (items.empty()) return say(nothing_pending, l);
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < items.size() && i < max_pending_lines; ++i)
        lines.push_back(pending_line(cfg, items[i], now, l));
    return fitted_list(say_n(pending_header, l, static_cast<long>(items.size())), lines, items.size(), l);
}

std::string render_card_list(config::config const& cfg, std::vector<item> const& items, millis now,
                             std::string const& language) {
    auto const l = to_lang(language);
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < items.size() && i < max_pending_lines; ++i)
        lines.push_back(std::to_string(i + 1) + ". " + pending_line(cfg, items[i], now, l) + " — " +
                        say(card_list_command, l, {{"id", std::to_string(items[i].id)}}));
    return fitted_list(say_n(card_list_header, l, static_cast<long>(items.size())), lines, items.size(), l);
}

std::string render_show(config::config const& cfg, item const& it, std::vector<step> const& steps,
                        std::vector<revision> const& revisions, std::string const& language) {
    auto const l = to_lang(language);
    bool const draft = is_draft_kind(it.kind);
    std::vector<std::string> top{card_header(cfg, it, l)};
    auto const status = status_name(it.status, l);
    top.push_back(draft ? say(status_rev, l, {{"status", status}, {"rev", std::to_string(it.revision)}})
                        : say(status_only, l, {{"status", status}}));
    if (it.assignee && is_open_status(it.status)) {
        auto name = person_name(cfg, *it.assignee);
        if (it.assignee_for) name += " " + say(for_whom, l, {{"name", person_name(cfg, *it.assignee_for)}});
        top.push_back(say(waiting_for, l, {{"name", name}}));
    }
    if (auto const* role = cfg.find_role(it.role)) top.push_back(say(role_line, l, {{"title", role->title}}));
    if (draft && !it.platforms.empty()) top.push_back(say(platforms_line, l, {{"list", join(it.platforms, ", ")}}));
    if (it.published.is_object() && !it.published.empty()) {
        std::vector<std::string> posts;
        for (auto const& [platform, url] : it.published.items())
            posts.push_back(platform + " " + (url.is_string() ? url.get<std::string>() : url.dump()));
        top.push_back(say(published_line, l, {{"list", join(posts, ", ")}}));
    }
    if (!it.title.empty()) top.push_back(clip(it.title, 300));
    for (auto& line : source_lines(cfg, it.source, l)) top.push_back(std::move(line));

    std::vector<std::string> bottom = check_lines(it.checks);
    if (bottom.empty() && it.checks.is_array() && !it.checks.empty()) bottom.push_back(say(checks_passed, l));
    auto const current =
        std::find_if(revisions.begin(), revisions.end(), [&](revision const& r) { return r.number == it.revision; });
    if (draft && current != revisions.end()) {
        bottom.push_back(say(revision_line, l,
                             {{"n", std::to_string(current->number)},
                              {"total", std::to_string(revisions.size())},
                              {"time", local_time(cfg, current->created_at, l)},
                              {"who", current->submitted_by}}));
        if (current->note && !current->note->empty())
            bottom.push_back(say(note_line, l, {{"note", clip(*current->note, 500)}}));
    }
    std::vector<step> chain;
    for (auto const& s : steps)
        if (s.revision == it.revision) chain.push_back(s);
    std::sort(chain.begin(), chain.end(), [](step const& a, step const& b) { return a.position < b.position; });
    if (!chain.empty()) bottom.push_back(say(steps_header, l));
    for (auto const& s : chain) bottom.push_back(step_line(cfg, s, l));

    auto const others = utf16_units(join(top, "\n")) + utf16_units(join(bottom, "\n")) + show_spare_units;
    std::vector<std::string> lines = std::move(top);
    if (!it.body.empty() && others < max_message_utf16)
        lines.push_back(fit(clip(it.body, max_body_code_points), max_message_utf16 - others));
    for (auto& line : bottom) lines.push_back(std::move(line));
    return fit(join(lines, "\n"), max_message_utf16);
}

std::string render_history(config::config const& cfg, item const& it, nlohmann::json const& events,
                           std::string const& language) {
    auto const l = to_lang(language);
    auto const header = say(history_header, l, {{"ref", item_ref(it, l)}});
    if (!events.is_array() || events.empty()) return header + "\n" + say(no_events, l);
    // The newest events that fit, oldest first; what is left out is counted on an "earlier" line.
    std::size_t const total = events.size();
    std::vector<std::string> shown;
    std::size_t units = utf16_units(header) + 64;
    for (std::size_t i = total; i-- > 0 && shown.size() < max_history_events;) {
        auto line = event_line(cfg, events[i], l);
        if (units + utf16_units(line) + 1 > max_message_utf16) break;
        units += utf16_units(line) + 1;
        shown.push_back(std::move(line));
    }
    std::reverse(shown.begin(), shown.end());
    std::vector<std::string> lines{header};
    if (shown.size() < total) lines.push_back(say_n(earlier, l, static_cast<long>(total - shown.size())));
    for (auto& line : shown) lines.push_back(std::move(line));
    return fit(join(lines, "\n"), max_message_utf16);
}

}  // namespace signoff::chat
