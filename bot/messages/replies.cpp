// Answers to the person who sent a command: what took effect, or why nothing did.

#include "bot/messages/messages.hpp"
#include "bot/core/language.hpp"
#include "bot/messages/parts.hpp"

namespace signoff::chat {
using namespace detail;
namespace {

constexpr message_key approved_next{"replies.approved_next"};
constexpr message_key approved_fully{"replies.approved_fully"};
constexpr message_key rejected{"replies.rejected"};
constexpr message_key changes{"replies.changes"};
constexpr message_key interim{"replies.interim"};
constexpr message_key replied{"replies.replied"};
constexpr message_key assigned{"replies.assigned"};
constexpr message_key away_until{"replies.away_until"};
constexpr message_key away_open{"replies.away_open"};
constexpr message_key stand_ins{"replies.stand_ins"};
constexpr message_key no_stand_in{"replies.no_stand_in"};
constexpr message_key back{"replies.back"};
constexpr message_key login_link{"replies.login_link"};

constexpr message_key not_found{"replies.not_found"};
constexpr message_key not_assignee{"replies.not_assignee"};
constexpr message_key waits_for_nobody{"replies.waits_for_nobody"};
constexpr message_key stale{"replies.stale"};
constexpr message_key invalid{"replies.invalid"};
constexpr message_key ask_reason{"replies.ask_reason"};
constexpr message_key ask_changes{"replies.ask_changes"};
constexpr message_key ask_interim{"replies.ask_interim"};
constexpr message_key ask_reply{"replies.ask_reply"};
constexpr message_key ask_person{"replies.ask_person"};
constexpr message_key drafts_only{"replies.drafts_only"};
constexpr message_key responses_only{"replies.responses_only"};
constexpr message_key unknown_person{"replies.unknown_person"};
constexpr message_key unknown_person_unnamed{"replies.unknown_person_unnamed"};
constexpr message_key invalid_date{"replies.invalid_date"};
constexpr message_key until_in_past{"replies.until_in_past"};
constexpr message_key failed{"replies.failed"};
constexpr message_key failed_no_item{"replies.failed_no_item"};

constexpr message_key unknown_command{"replies.unknown_command"};
constexpr message_key missing_id{"replies.missing_id"};
constexpr message_key group_chat{"replies.group_chat"};
constexpr message_key stranger{"replies.stranger"};

std::string ref_of(item const& it, lang l) { return item_ref(it, l, false); }

std::string ask(refusal const& r, lang l) {
    auto const id = std::to_string(r.id);
    if (r.command == "changes") return say(ask_changes, l, {{"id", id}});
    if (r.command == "interim") return say(ask_interim, l, {{"id", id}});
    if (r.command == "reply") return say(ask_reply, l, {{"id", id}});
    if (r.command == "assign" || r.code == "person_required") return say(ask_person, l, {{"id", id}});
    return say(r.code == "reason_required" ? ask_reason : ask_reply, l, {{"id", id}});
}

}  // namespace

std::string confirm_approved(config::config const& cfg, item const& it, std::optional<std::string> const& next_person,
                             std::string const& language) {
    auto const l = to_lang(language);
    if (next_person) return say(approved_next, l, {{"ref", ref_of(it, l)}, {"name", person_name(cfg, *next_person)}});
    return say(approved_fully, l, {{"ref", ref_of(it, l)}});
}

std::string confirm_rejected(config::config const&, item const& it, std::string const& language) {
    auto const l = to_lang(language);
    return say(rejected, l, {{"ref", ref_of(it, l)}});
}

std::string confirm_changes(config::config const&, item const& it, std::string const& language) {
    auto const l = to_lang(language);
    return say(changes, l, {{"ref", ref_of(it, l)}});
}

std::string confirm_interim(config::config const& cfg, item const& it, std::string const& language) {
    auto const l = to_lang(language);
    return say(interim, l, {{"ref", ref_of(it, l)}, {"time", local_time(cfg, it.due, l)}});
}

std::string confirm_reply(config::config const&, item const& it, std::string const& language) {
    auto const l = to_lang(language);
    return say(replied, l, {{"ref", ref_of(it, l)}});
}

std::string confirm_assigned(config::config const& cfg, item const& it, std::string const& person,
                             std::string const& language) {
    auto const l = to_lang(language);
    return say(assigned, l, {{"ref", item_ref(it, l)}, {"name", person_name(cfg, person)}});
}

std::string confirm_away(config::config const& cfg, std::optional<millis> until,
                         std::vector<std::string> const& stand_in_ids, std::string const& language) {
    auto const l = to_lang(language);
    std::string out = until ? say(away_until, l, {{"time", local_time(cfg, *until, l)}}) : say(away_open, l);
    std::vector<std::string> names;
    for (auto const& id : stand_in_ids) names.push_back(person_name(cfg, id));
    out += "\n" + (names.empty() ? say(no_stand_in, l) : say(stand_ins, l, {{"names", join(names, ", ")}}));
    return fit(out, max_message_utf16);
}

std::string confirm_back(std::string const& language) { return say(back, to_lang(language)); }

std::string render_login_link(std::string const& link, std::string const& language) {
    return say(login_link, to_lang(language), {{"link", link}});
}

std::string render_refusal(config::config const& cfg, refusal const& r, std::string const& language) {
    auto const l = to_lang(language);
    auto const id = std::to_string(r.id);
    // Without the item, name it by its number alone.
    auto const ref = r.current ? item_ref(*r.current, l) : "#" + id;
    auto const status = r.current ? status_name(r.current->status, l) : std::string();
    std::string out;
    if (r.code == "not_found" && r.id != 0) {
        out = say(not_found, l, {{"id", id}});
    } else if (r.code == "not_assignee") {
        out = r.current && r.current->assignee
                  ? say(not_assignee, l, {{"ref", ref}, {"name", person_name(cfg, *r.current->assignee)}})
                  : say(waits_for_nobody, l, {{"ref", ref}, {"status", status}});
    } else if (r.code == "stale_revision") {
        auto const rev = r.current ? std::to_string(r.current->revision) : std::string("?");
        out = say(stale, l, {{"ref", ref}, {"rev", rev}});
    } else if (r.code == "invalid_transition" && r.current) {
        out = say(invalid, l, {{"ref", ref}, {"status", status}});
    } else if (r.code == "reason_required" || r.code == "text_required" || r.code == "person_required") {
        out = ask(r, l);
    } else if (r.code == "not_applicable" && r.current) {
        out = say(is_draft_kind(r.current->kind) ? drafts_only : responses_only, l, {{"ref", ref}, {"id", id}});
    } else if (r.code == "unknown_person") {
        out = r.person.empty() ? say(unknown_person_unnamed, l) : say(unknown_person, l, {{"person", r.person}});
    } else if (r.code == "invalid_date") {
        out = say(invalid_date, l);
    } else if (r.code == "until_in_past") {
        out = say(until_in_past, l);
    } else {
        out =
            r.id ? say(failed, l, {{"id", id}, {"detail", r.detail}}) : say(failed_no_item, l, {{"detail", r.detail}});
    }
    return fit(out, max_message_utf16);
}

std::string render_unknown_command(std::string const& language) { return say(unknown_command, to_lang(language)); }

std::string render_missing_id(std::string const& language) { return say(missing_id, to_lang(language)); }

std::string render_group_chat(std::string const& language) { return say(group_chat, to_lang(language)); }

std::string render_stranger(config::config const& cfg) {
    std::string const org = cfg.organisation.empty() ? std::string("signoff") : cfg.organisation;
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < languages::all().size(); ++i) lines.push_back(say(stranger, lang{i}, {{"org", org}}));
    return fit(join(lines, "\n"), max_message_utf16);
}

}  // namespace signoff::chat
