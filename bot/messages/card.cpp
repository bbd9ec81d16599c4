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

constexpr phrase for_your_information{"ℹ️ For your information", "ℹ️ 供您知悉",
                                      "ℹ️ आपकी जानकारी के लिए"};
constexpr phrase standing_in{"You are standing in for {name}.", "您正在代 {name} 处理。",
                             "आप {name} के स्थान पर कार्य कर रहे हैं।"};
constexpr phrase step_of{"Step {n} of {total}", "第 {n} 步，共 {total} 步", "चरण {n} / {total}"};
constexpr phrase already_approved{"approved by {names}", "{names} 已批准", "{names} द्वारा स्वीकृत"};
constexpr phrase then{"then: {names}", "之后：{names}", "इसके बाद: {names}"};
constexpr phrase changes_since{"Changes since revision {n}:", "自第 {n} 版以来的修改：", "संस्करण {n} के बाद के बदलाव:"};
constexpr phrase changes_since_last{"Changes:", "修改内容：", "बदलाव:"};
constexpr phrase draft_hint{"How to answer: \"approve {id} [note]\", \"reject {id} reason\", \"changes {id} what\"",
                            "回复方式：“批准 {id} [备注]”、“驳回 {id} 原因”、“修改 {id} 修改意见”",
                            "उत्तर कैसे दें: \"स्वीकृत {id} [टिप्पणी]\", \"अस्वीकृत {id} कारण\", \"संशोधन {id} क्या बदलना है\""};
constexpr phrase response_hint{"How to answer: \"interim {id} text\" (being handled), \"reply {id} text\" (final)",
                               "回复方式：“处理中 {id} 内容”（临时答复）、“回复 {id} 内容”（正式答复）",
                               "उत्तर कैसे दें: \"अंतरिम {id} पाठ\" (अंतरिम उत्तर), \"उत्तर {id} पाठ\" (अंतिम उत्तर)"};
constexpr phrase button_approve{"Approve", "批准", "स्वीकृत करें"};
constexpr phrase button_reject{"Reject", "驳回", "अस्वीकृत करें"};
constexpr phrase button_changes{"Request changes", "要求修改", "संशोधन माँगें"};

constexpr phrase approved_by{"✅ Approved by {name}", "✅ {name} 已批准", "✅ {name} द्वारा स्वीकृत"};
constexpr phrase rejected_by{"❌ Rejected by {name}", "❌ {name} 已驳回", "❌ {name} द्वारा अस्वीकृत"};
constexpr phrase changes_by{"✏️ Changes requested by {name}", "✏️ {name} 要求修改",
                            "✏️ {name} ने संशोधन माँगा"};
constexpr phrase interim_by{"💬 Interim response sent by {name}", "💬 {name} 已作临时答复", "💬 {name} ने अंतरिम उत्तर भेजा"};
constexpr phrase resolved_by{"✔ Resolved by {name}", "✔ {name} 已答复办结", "✔ {name} द्वारा निस्तारित"};
constexpr phrase withdrawn_by{"🗑 Withdrawn by {name}", "🗑 {name} 已撤回",
                              "🗑 {name} द्वारा वापस लिया गया"};
constexpr phrase handed_to{"➡️ Handed to {to} by {name}", "➡️ {name} 已转交 {to}",
                           "➡️ {name} ने {to} को सौंपा"};

constexpr phrase withdrawn_notice{"🗑 {ref} was withdrawn; nothing more is needed from you.",
                                  "🗑 {ref} 已撤回，您无需再处理。",
                                  "🗑 {ref} वापस ले लिया गया है; अब आपको कुछ नहीं करना "
                                  "है।"};
constexpr phrase reason_line{"Reason: {reason}", "原因：{reason}", "कारण: {reason}"};
constexpr phrase remind_due{"⏰ Reminder: {ref} is due {time}.", "⏰ 提醒：{ref} 将于 {time} 到期。",
                            "⏰ अनुस्मारक: {ref} की समय-सीमा {time} है।"};
constexpr phrase remind_overdue{"⏰ Overdue: {ref} was due {time}.", "⏰ 已逾期：{ref} 已于 {time} 到期。",
                                "⏰ समय-सीमा पार: {ref} की समय-सीमा {time} थी।"};
constexpr phrase remind_interim{"⏰ Reminder: the interim response to {ref} is due {time}.",
                                "⏰ 提醒：{ref} 的临时答复将于 {time} 到期。",
                                "⏰ अनुस्मारक: {ref} के अंतरिम उत्तर की समय-सीमा {time} है।"};
constexpr phrase remind_interim_overdue{"⏰ Overdue: the interim response to {ref} was due {time}.",
                                        "⏰ 已逾期：{ref} 的临时答复已于 {time} 到期。",
                                        "⏰ समय-सीमा पार: {ref} के अंतरिम उत्तर की समय-सीमा {time} थी।"};

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
    if (text && !text->empty()) out += std::string(colon.in(l)) + clip(*text, max_note_code_points);
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
    if (!options.copy) bottom.push_back(hint(it, l));

    // The body takes what the other lines leave of one message.
    auto const others = utf16_units(join(top, "\n")) + utf16_units(join(bottom, "\n")) + card_spare_units;
    std::vector<std::string> lines = std::move(top);
    if (!it.body.empty() && others < max_message_utf16)
        lines.push_back(fit(clip(it.body, max_body_code_points), max_message_utf16 - others));
    for (auto& line : bottom) lines.push_back(std::move(line));

    outbound_message out;
    out.text = fit(join(lines, "\n"), max_message_utf16);
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
    phrase const& p =
        interim ? (overdue ? remind_interim_overdue : remind_interim) : (overdue ? remind_overdue : remind_due);
    std::vector<std::string> lines{
        say(p, l, {{"ref", item_ref(it, l, !interim)}, {"time", local_time(cfg, deadline, l)}})};
    if (!it.title.empty()) lines.push_back(clip(it.title, max_title_code_points));
    lines.push_back(hint(it, l));
    return fit(join(lines, "\n"), max_message_utf16);
}

}  // namespace signoff::chat
