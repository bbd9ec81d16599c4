#pragma once
// Everything the bot says to people, in each language of bot/messages/po/LINGUAS, as pure
// functions from domain values to plain text (no Markdown or HTML: adapters send it as is).
// `language` is a BCP 47 tag, read by languages::closest (anything unknown reads as "en"). The
// texts are the catalogues' (bot/messages/po/*.po); people are named from the
// directory (an id not found shows as itself); times are local to cfg.timezone. Every text
// fits one chat message: at most max_message_utf16 UTF-16 units, long parts cut with "…".
// Text inputs must be valid UTF-8 (else std::invalid_argument, as in bot/text.hpp).

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/core/chat_types.hpp"
#include "bot/core/item.hpp"
#include "bot/core/time.hpp"
#include "config/config.hpp"

namespace signoff::chat {

constexpr std::size_t max_message_utf16 = 4096;     // Telegram's limit, the smallest of the platforms
constexpr std::size_t max_body_code_points = 3000;  // of an item's body on a card
constexpr std::size_t max_diff_code_points = 1000;  // of "Changes since revision N" on a card
constexpr std::size_t max_history_events = 30;      // the newest events shown by render_history

// The canonical tag of the supported language closest to a tag ("zh-TW" → "zh-Hant", "hi-IN" →
// "hi"); anything else is "en".
std::string normal_language(std::string_view tag);

// The local time in `timezone` (IANA name) by the language's own pattern ("format.date_time" in
// its catalogue, formatted by ICU with the language's month names), then the zone's
// abbreviation: "22 Nov 15:30 IST" (en), "11月22日 15:30 IST" (zh-Hans). A numeric abbreviation
// reads "UTC+04". An unknown zone name shows UTC.
std::string format_local(millis instant, std::string const& timezone, std::string const& language);

struct card_options {
    std::optional<std::string> diff{};             // word_diff from the revision the approver last saw
    std::optional<int> diff_from_revision{};       // that revision's number: "Changes since revision N:"
    std::optional<std::string> standing_in_for{};  // person id whose step/assignment this person holds
    bool copy = false;                             // an observer/coordinator copy: no buttons, "For your information"
    bool new_creative = false;                     // the creative changed since the revision last seen: "New creative"
    bool creative_too_large = false;               // a creative cannot be shown in chat: a line says so
};

// The card of SPEC §6 for a draft ("📝 Draft #42 · general · due 22 Nov 15:30 IST", title, body,
// one "⚠ detail" per failed check, "Step 1 of 2 · then: NAME" for chains of more than one
// non-skipped step, the diff, an answer hint) and the equivalent for a complaint, query or
// feedback (both due times, the source, the public text). Drafts that are not copies get one
// row of buttons [Approve] [Reject] [Request changes] with data "a:ID:REV", "r:ID:REV",
// "c:ID:REV". `steps` are the item's steps (of any revision; the current one is used).
// The result's `to` is empty: the caller addresses it.
outbound_message render_card(config::config const& cfg, item const& it, std::vector<step> const& steps,
                             std::string const& language, card_options const& options = {});

// What a card is edited to after a decision: its header and title, then one outcome line
// "ICON VERB by NAME[: TEXT] · TIME", e.g. "✅ Approved by Asha Rao · 22 Nov 15:40 IST" or
// "❌ Rejected by Asha Rao: too long · 22 Nov 15:40 IST". Event types: step_approved,
// approved, rejected, changes_requested, interim_response, replied, withdrawn, published,
// escalated, and reassigned (then `text` is the person id it went to); others show their
// localised event name.
std::string render_decided_card(config::config const& cfg, item const& it, std::string const& event_type,
                                std::string const& actor, std::optional<std::string> const& text, millis at,
                                std::string const& language);

// The copy of a decision for observers and coordinators: "For your information", the item's
// header and title, the outcome line without time.
std::string render_decision_copy(config::config const& cfg, item const& it, std::string const& event_type,
                                 std::string const& actor, std::optional<std::string> const& text,
                                 std::string const& language);

// To the person an item waited for: it was withdrawn (with the reason when given), nothing to do.
std::string render_withdrawn(config::config const& cfg, item const& it, std::optional<std::string> const& reason,
                             std::string const& language);

// A reminder of an item's next deadline (the interim one while a complaint is open), marked
// overdue when it has passed at `now`.
std::string render_reminder(config::config const& cfg, item const& it, millis now, std::string const& language);
// To an authorised publisher: an approved draft is past its planned time and not reported published.
std::string render_publication_reminder(config::config const& cfg, item const& it, std::string const& language);

// Confirmations to the person whose command took effect.
// `next_person`: who the draft goes to next, or nullopt when it is fully approved.
std::string confirm_approved(config::config const& cfg, item const& it, std::optional<std::string> const& next_person,
                             std::string const& language);
std::string confirm_rejected(config::config const& cfg, item const& it, std::string const& language);
std::string confirm_changes(config::config const& cfg, item const& it, std::string const& language);
std::string confirm_interim(config::config const& cfg, item const& it, std::string const& language);  // shows it.due
std::string confirm_reply(config::config const& cfg, item const& it, std::string const& language);
std::string confirm_assigned(config::config const& cfg, item const& it, std::string const& person,
                             std::string const& language);
// `stand_ins`: person ids who take the sender's items meanwhile (empty: nothing moves).
std::string confirm_away(config::config const& cfg, std::optional<millis> until,
                         std::vector<std::string> const& stand_ins, std::string const& language);
std::string confirm_back(std::string const& language);
// The answer to `login`: a one-time sign-in link to the console.
std::string render_login_link(std::string const& link, std::string const& language);

// A command refused, by its api_error code: not_found, not_assignee, stale_revision,
// invalid_transition, reason_required and text_required (asking for what is missing, by
// `command`), not_applicable, unknown_person, until_in_past, and the chat's own
// person_required (assign without a person) and invalid_date (away until …); any other
// code shows `detail` (the engine's English message). Texts that concern an item name it.
struct refusal {
    std::string code{};   // api_error::code
    std::int64_t id = 0;  // the item the command named
    // Not owned; the item as it is now, when it exists (names its kind, assignee, revision, status).
    item const* current = nullptr;
    std::string command{};  // the refused command: "approve", "reject", "changes", "interim", "reply", "assign"…
    std::string person{};   // unknown_person: the id that was given
    std::string detail{};   // api_error::what(), for codes without a text of their own
};
std::string render_refusal(config::config const& cfg, refusal const& r, std::string const& language);

std::string render_unknown_command(std::string const& language);  // "I did not understand that. Send help…"
std::string render_missing_id(std::string const& language);       // "Which item? For example: approve 42 …"
std::string render_group_chat(std::string const& language);       // "Please write to me in a private chat."
// To a sender not in the directory, whose language is unknown: every language, one per line.
std::string render_stranger(config::config const& cfg);

// The sender's open items, in the given order (callers sort oldest due first): a header and
// "#42 Draft · Title · due 22 Nov 15:30 IST", "⏰ overdue" when the deadline is before `now`;
// "Nothing is waiting for you. 🎉" when empty.
std::string render_pending(config::config const& cfg, std::vector<item> const& items, millis now,
                           std::string const& language);

// The cards that waited for one person, sent as one message (SPEC §6): a header with their
// number, then per item "1. #42 Draft · Title · due 22 Nov 15:30 IST — send: show 42".
std::string render_card_list(config::config const& cfg, std::vector<item> const& items, millis now,
                             std::string const& language);

// One item in full: header, status, title, body, checks, platforms, the current revision
// with its note, the steps of the current revision with status and who decided when.
std::string render_show(config::config const& cfg, item const& it, std::vector<step> const& steps,
                        std::vector<revision> const& revisions, std::string const& language);

// One line per SPEC §5 event object (id, at, type, actor, on_behalf_of, channel, data),
// oldest first: local time, localised type, actor (for whom), the text, reason or note.
// Only the newest max_history_events are shown, after a "…N earlier" line.
std::string render_history(config::config const& cfg, item const& it, nlohmann::json const& events,
                           std::string const& language);

// The whole chat grammar of SPEC §6 with its aliases, written in `language`.
std::string render_help(std::string const& language);

// The words of the web console in `language` ({"lang": tag, "texts": {key: text}}): every
// catalogue message whose key starts with "console.", "kind.", "status.", "step." or "event.",
// so the pages name kinds, statuses and events as the bot does. {placeholders} stay for the
// page to fill.
nlohmann::json console_texts(std::string const& language);

}  // namespace signoff::chat
