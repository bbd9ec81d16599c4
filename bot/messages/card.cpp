// Item cards (SPEC §6), what they become after a decision, and the notices about an item.

#include <algorithm>

#include "bot/messages/messages.hpp"
#include "bot/messages/parts.hpp"
#include "bot/core/button_data.hpp"

namespace signoff::chat {
using namespace detail;
namespace {

constexpr std::size_t max_title_code_points = 300;
constexpr std::size_t max_note_code_points = 500;  // a decision's text on a card
constexpr std::size_t card_spare_units = 16;       // room left beside the body for joins and "…"

constexpr message_key for_your_information{"card.for_your_information"};
constexpr message_key standing_in{"card.standing_in"};
constexpr message_key step_of{"card.step_of"};
constexpr message_key already_approved{"card.already_approved"};
constexpr message_key then{"card.then"};
constexpr message_key changes_since{"card.changes_since"};
constexpr message_key changes_since_last{"card.changes_since_last"};
constexpr message_key new_creative{"card.new_creative"};
constexpr message_key creative_too_large{"card.creative_too_large"};
constexpr message_key draft_hint{"card.draft_hint"};
constexpr message_key response_hint{"card.response_hint"};
constexpr message_key draft_short_answer{"card.draft_short_answer"};
constexpr message_key response_short_answer{"card.response_short_answer"};
constexpr message_key button_approve{"card.button_approve"};
constexpr message_key button_reject{"card.button_reject"};
constexpr message_key button_changes{"card.button_changes"};

constexpr message_key approved_by{"card.approved_by"};
constexpr message_key rejected_by{"card.rejected_by"};
constexpr message_key changes_by{"card.changes_by"};
constexpr message_key interim_by{"card.interim_by"};
constexpr message_key resolved_by{"card.resolved_by"};
constexpr message_key withdrawn_by{"card.withdrawn_by"};
constexpr message_key handed_to{"card.handed_to"};

constexpr message_key withdrawn_notice{"card.withdrawn_notice"};
constexpr message_key reason_line{"card.reason_line"};
constexpr message_key remind_due{"card.remind_due"};
constexpr message_key remind_overdue{"card.remind_overdue"};
constexpr message_key publication_due{"card.publication_due"};
constexpr message_key remind_interim{"card.remind_interim"};
constexpr message_key remind_interim_overdue{"card.remind_interim_overdue"};

std::string button_data(buttons::decision what, item const& it) {
    return buttons::encode({what, it.id, it.revision});
}

std::string hint(item const& it, lang l) {
    auto const id = std::to_string(it.id);
    return say(is_draft_kind(it.kind) ? draft_hint : response_hint, l, {{"id", id}});
}

// "Step 1 of 2 · then: NAME", for a chain of more than one step that is waiting for someone.
std::optional<std::string> chain_line(config::config const& cfg, item const& it, std::vector<step> const& steps,
                                      lang l) {
    std::vector<step> chain;
    for (auto const& s : steps)
        if (s.revision == it.revision && s.status != step_status::skipped) chain.push_back(s);
    std::sort(chain.begin(), chain.end(), [](step const& a, step const& b) { return a.position < b.position; });
    auto const current =
        std::find_if(chain.begin(), chain.end(), [](step const& s) { return s.status == step_status::pending; });
    if (chain.size() < 2 || current == chain.end()) return std::nullopt;
    auto name = [&](step const& s) {
        auto const* role = cfg.find_role(s.spec);
        return person_name(cfg, s.person) + (role && !role->title.empty() ? ", " + role->title : "");
    };
    std::vector<std::string> before, after;
    for (auto s = chain.begin(); s != current; ++s)
        if (s->status == step_status::approved) before.push_back(person_name(cfg, s->decided_by.value_or(s->person)));
    for (auto s = current + 1; s != chain.end(); ++s) after.push_back(name(*s));
    auto const n = std::to_string(current - chain.begin() + 1), total = std::to_string(chain.size());
    std::string out = say(step_of, l, {{"n", n}, {"total", total}});
    if (!before.empty()) out += " · " + say(already_approved, l, {{"names", join(before, ", ")}});
    if (!after.empty()) out += " · " + say(then, l, {{"names", join(after, " → ")}});
    return out;
}

std::string outcome(config::config const& cfg, std::string const& event_type, std::string const& actor,
                    std::optional<std::string> const& text, lang l) {
    auto const name = person_name(cfg, actor);
    std::string out;
    if (event_type == "step_approved" || event_type == "approved")
        out = say(approved_by, l, {{"name", name}});
    else if (event_type == "rejected")
        out = say(rejected_by, l, {{"name", name}});
    else if (event_type == "changes_requested")
        out = say(changes_by, l, {{"name", name}});
    else if (event_type == "interim_response")
        out = say(interim_by, l, {{"name", name}});
    else if (event_type == "replied")
        out = say(resolved_by, l, {{"name", name}});
    else if (event_type == "withdrawn")
        out = say(withdrawn_by, l, {{"name", name}});
    else if (event_type == "reassigned")
        return say(handed_to, l, {{"name", name}, {"to", person_name(cfg, text.value_or(""))}});
    else
        out = event_name(event_type, l) + " · " + name;
    if (text && !text->empty()) out += say(colon, l) + clip(*text, max_note_code_points);
    return out;
}

std::vector<std::string> head_lines(config::config const& cfg, item const& it, lang l) {
    std::vector<std::string> out{card_header(cfg, it, l)};
    if (!it.title.empty()) out.push_back(clip(it.title, max_title_code_points));
    return out;
}

}  // namespace

outbound_message render_card(config::config const& cfg, item const& it, std::vector<step> const& steps,
                             std::string const& language, card_options const& options) {
    auto const l = to_lang(language);
    std::vector<std::string> top, bottom;
    if (options.copy) top.push_back(say(for_your_information, l));
    top.push_back(card_header(cfg, it, l));
    if (options.standing_in_for)
        top.push_back(say(standing_in, l, {{"name", person_name(cfg, *options.standing_in_for)}}));
    if (!it.title.empty()) top.push_back(clip(it.title, max_title_code_points));
    if (!is_draft_kind(it.kind))
        for (auto& line : source_lines(cfg, it.source, l)) top.push_back(std::move(line));

    for (auto& line : check_lines(it.checks)) bottom.push_back(std::move(line));
    if (is_draft_kind(it.kind))
        if (auto line = chain_line(cfg, it, steps, l)) bottom.push_back(std::move(*line));
    if (options.diff && !options.diff->empty()) {
        bottom.push_back(options.diff_from_revision
                             ? say(changes_since, l, {{"n", std::to_string(*options.diff_from_revision)}})
                             : say(changes_since_last, l));
        bottom.push_back(clip(*options.diff, max_diff_code_points));
    }
    if (options.new_creative) bottom.push_back(say(new_creative, l));
    if (options.creative_too_large) bottom.push_back(say(creative_too_large, l));
    if (!options.copy) bottom.push_back(hint(it, l));

    // The body takes what the other lines leave of one message.
    auto const others = utf16_units(join(top, "\n")) + utf16_units(join(bottom, "\n")) + card_spare_units;
    std::vector<std::string> lines = std::move(top);
    if (!it.body.empty() && others < max_message_utf16)
        lines.push_back(fit(clip(it.body, max_body_code_points), max_message_utf16 - others));
    for (auto& line : bottom) lines.push_back(std::move(line));

    outbound_message out;
    out.text = fit(join(lines, "\n"), max_message_utf16);
    if (!options.copy)
        out.short_answer = say(is_draft_kind(it.kind) ? draft_short_answer : response_short_answer, l,
                               {{"id", std::to_string(it.id)}});
    if (is_draft_kind(it.kind) && !options.copy)
        out.buttons = {{{say(button_approve, l), button_data(buttons::decision::approve, it)},
                        {say(button_reject, l), button_data(buttons::decision::reject, it)},
                        {say(button_changes, l), button_data(buttons::decision::changes, it)}}};
    return out;
}

std::string render_decided_card(config::config const& cfg, item const& it, std::string const& event_type,
                                std::string const& actor, std::optional<std::string> const& text, millis at,
                                std::string const& language) {
    auto const l = to_lang(language);
    auto lines = head_lines(cfg, it, l);
    lines.push_back(outcome(cfg, event_type, actor, text, l) + " · " + local_time(cfg, at, l));
    return fit(join(lines, "\n"), max_message_utf16);
}

std::string render_decision_copy(config::config const& cfg, item const& it, std::string const& event_type,
                                 std::string const& actor, std::optional<std::string> const& text,
                                 std::string const& language) {
    auto const l = to_lang(language);
    std::vector<std::string> lines{say(for_your_information, l)};
    for (auto& line : head_lines(cfg, it, l)) lines.push_back(std::move(line));
    lines.push_back(outcome(cfg, event_type, actor, text, l));
    return fit(join(lines, "\n"), max_message_utf16);
}

std::string render_withdrawn(config::config const& /*cfg*/, item const& it, std::optional<std::string> const& reason,
                             std::string const& language) {
    auto const l = to_lang(language);
    std::vector<std::string> lines{say(withdrawn_notice, l, {{"ref", item_ref(it, l)}})};
    if (!it.title.empty()) lines.push_back(clip(it.title, max_title_code_points));
    if (reason && !reason->empty()) lines.push_back(say(reason_line, l, {{"reason", clip(*reason, 1000)}}));
    return fit(join(lines, "\n"), max_message_utf16);
}

std::string render_reminder(config::config const& cfg, item const& it, millis now, std::string const& language) {
    auto const l = to_lang(language);
    bool const interim = !is_draft_kind(it.kind) && it.status == item_status::open && it.interim_due.has_value();
    millis const deadline = interim ? *it.interim_due : it.due;
    bool const overdue = deadline < now;
    message_key const p =
        interim ? (overdue ? remind_interim_overdue : remind_interim) : (overdue ? remind_overdue : remind_due);
    std::vector<std::string> lines{
        say(p, l, {{"ref", item_ref(it, l, !interim)}, {"time", local_time(cfg, deadline, l)}})};
    if (!it.title.empty()) lines.push_back(clip(it.title, max_title_code_points));
    lines.push_back(hint(it, l));
    return fit(join(lines, "\n"), max_message_utf16);
}

std::string render_publication_reminder(config::config const& cfg, item const& it, std::string const& language) {
    auto const l = to_lang(language);
    millis const planned = it.publication_due.value_or(it.publish_at.value_or(it.updated_at));
    std::vector<std::string> lines{say(publication_due, l, {{"ref", item_ref(it, l, true)}, {"time", local_time(cfg, planned, l)}})};
    if (!it.title.empty()) lines.push_back(clip(it.title, max_title_code_points));
    return fit(join(lines, "\n"), max_message_utf16);
}

}  // namespace signoff::chat
