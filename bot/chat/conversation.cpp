#include "bot/chat/conversation.hpp"

#include "bot/actions/actions.hpp"
#include "bot/core/api_error.hpp"
#include "bot/chat/commands.hpp"
#include "bot/messages/messages.hpp"
#include "bot/actions/notify.hpp"
#include "bot/engine/tiers.hpp"
#include "store/audit.hpp"
#include "store/items.hpp"
#include "store/keys.hpp"
#include "store/outbox.hpp"
#include "store/sessions.hpp"
#include "store/strangers.hpp"

namespace signoff::chat {

namespace {

using nlohmann::json;

constexpr int owed_cards_limit = 50;

bool names_an_item(verb v) {
    return v == verb::approve || v == verb::reject || v == verb::changes || v == verb::reply || v == verb::interim ||
           v == verb::assign || v == verb::show || v == verb::history;
}

std::optional<engine::action> decision_of(verb v) {
    switch (v) {
        case verb::approve: return engine::action::approve;
        case verb::reject: return engine::action::reject;
        case verb::changes: return engine::action::changes;
        case verb::reply: return engine::action::reply;
        case verb::interim: return engine::action::interim;
        default: return std::nullopt;
    }
}

// One inbound message or press being answered.
struct conversation {
    store::write_tx& tx;
    config::config const& cfg;
    millis now;
    std::string channel;
    std::string chat;
    std::string platform_id;  // the message or press it came through, for the audit trail
    config::person const* person = nullptr;
    std::string language = "en";
    std::optional<std::string> answer_to;  // the message to quote in answers
    std::optional<std::string> press;      // a button press being answered: confirmations go to its toast
    prepared_reply const* prepared = nullptr;

    void say(std::string text, std::string purpose = "chat_reply", json extra = json::object(),
             std::optional<std::int64_t> item = std::nullopt, std::optional<int> revision = std::nullopt) {
        json payload = {{"text", std::move(text)}};
        if (answer_to) payload["reply_to"] = *answer_to;
        payload.update(extra);
        notify::chat_reply(tx, channel, chat, person ? std::optional<std::string>(person->id) : std::nullopt, purpose,
                           std::move(payload), item, revision, now);
    }

    actions::context context() const {
        return {.cfg = cfg, .now = now, .recorded_by = std::nullopt, .channel = channel, .platform_message_id = platform_id};
    }

    item load(std::int64_t id) {
        auto it = store::find_item(tx.db, id);
        if (!it) throw api_error(404, "not_found", "no item #" + std::to_string(id), "id");
        return *it;
    }

    // Runs `f` in a savepoint; an api_error rolls it back and becomes a refusal in the chat.
    template <class F>
    std::optional<std::string> attempt(verb what, std::int64_t id, F&& f, std::string const& named_person = {}) {
        tx.db.prepare("SAVEPOINT chat_command").run();
        try {
            f();
            tx.db.prepare("RELEASE chat_command").run();
            return std::nullopt;
        } catch (api_error const& e) {
            tx.db.prepare("ROLLBACK TO chat_command").run();
            tx.db.prepare("RELEASE chat_command").run();
            auto current = store::find_item(tx.db, id);
            refusal r{.code = e.code,
                      .id = id,
                      .current = current ? &*current : nullptr,
                      .command = std::string(verb_name(what)),
                      .person = named_person,
                      .detail = e.what()};
            say(render_refusal(cfg, r, language),
                e.code == "reason_required" ? "reason_prompt" : "chat_reply",
                e.code == "reason_required" ? json{{"action", verb_name(what)}} : json::object(), id,
                current ? std::optional<int>(current->revision) : std::nullopt);
            return e.code;
        }
    }

    std::string decide(verb what, std::int64_t id, std::string const& text, std::optional<int> revision) {
        std::optional<std::string> note;
        if (!text.empty()) note = text;
        auto refused = attempt(what, id, [&] {
            auto const it = actions::decide(tx, context(), id, {*decision_of(what), person->id, note, revision});
            std::string reply;
            if (it.status == item_status::approved) reply = confirm_approved(cfg, it, std::nullopt, language);
            else if (it.status == item_status::pending) reply = confirm_approved(cfg, it, it.assignee, language);
            else if (it.status == item_status::rejected) reply = confirm_rejected(cfg, it, language);
            else if (it.status == item_status::changes_requested) reply = confirm_changes(cfg, it, language);
            else if (it.status == item_status::acknowledged) reply = confirm_interim(cfg, it, language);
            else reply = confirm_reply(cfg, it, language);
            if (press) toast(reply);
            else say(reply, "chat_reply", json::object(), id, it.revision);
        });
        if (refused == "stale_revision") resend_card(id);
        return refused ? "refused:" + *refused : std::string(verb_name(what));
    }

    // The short notice a chat shows on a pressed button; every press that can be answered gets
    // exactly one.
    void toast(std::string text) {
        if (!press) return;
        notify::chat_reply(tx, channel, chat, person ? std::optional(person->id) : std::nullopt, "press_answer",
                           {{"callback_id", *press}, {"text", std::move(text)}}, std::nullopt, std::nullopt, now);
        press.reset();
    }

    // After a stale button: the current version of the draft, as a fresh card.
    void resend_card(std::int64_t id) {
        auto it = load(id);
        notify::to_person(tx, cfg, person->id, "item_card", it, {{"refresh", true}}, now);
    }

    std::vector<std::string> stand_ins_for(std::string const& who) {
        std::vector<std::string> out;
        engine::away_set away = {who};
        for (auto const& role : cfg.roles)
            if (role.head == who) {
                auto s = engine::stand_in(cfg, role, away);
                if (s.person != who && std::find(out.begin(), out.end(), s.person) == out.end()) out.push_back(s.person);
            }
        return out;
    }

    std::string run(command const& c, std::optional<int> revision) {
        std::int64_t id = c.item.value_or(0);
        switch (c.what) {
            case verb::approve:
            case verb::reject:
            case verb::changes:
            case verb::reply:
            case verb::interim: return decide(c.what, id, c.rest, revision);
            case verb::assign: {
                if (c.rest.empty()) {
                    say(render_refusal(cfg, {.code = "person_required", .id = id, .command = "assign",
                                             .detail = "say whom to hand it to, e.g. assign 42 dh-std"},
                                       language));
                    return "refused:person_required";
                }
                auto to = c.rest.substr(0, c.rest.find_first_of(" \t\n"));
                auto refused = attempt(c.what, id, [&] {
                    actions::assign(tx, context(), id, person->id, to);
                    say(confirm_assigned(cfg, load(id), to, language), "chat_reply", json::object(), id);
                }, to);
                return refused ? "refused:" + *refused : "assign";
            }
            case verb::pending:
                // Rendered when delivered, from a reader: the webhook's transaction stays small.
                say("", "pending_list");
                return "pending";
            case verb::show: {
                if (prepared && prepared->item == id) {
                    say(prepared->text, "chat_reply", json::object(), id, prepared->revision);
                    return "show";
                }
                auto refused = attempt(c.what, id, [&] {
                    auto it = load(id);
                    say(render_show(cfg, it, store::steps_of(tx.db, id, it.revision), store::revisions_of(tx.db, id),
                                    language),
                        "chat_reply", json::object(), id, it.revision);
                });
                return refused ? "refused:" + *refused : "show";
            }
            case verb::history: {
                auto refused = attempt(c.what, id, [&] {
                    auto it = load(id);
                    say(render_history(cfg, it, store::events_of_item(tx.db, id), language), "chat_reply",
                        json::object(), id);
                });
                return refused ? "refused:" + *refused : "history";
            }
            case verb::away: return away(c);
            case verb::back: {
                auto refused = attempt(c.what, 0, [&] {
                    actions::set_availability(tx, context(), person->id, {false, std::nullopt});
                    say(confirm_back(language));
                });
                return refused ? "refused:" + *refused : "back";
            }
            case verb::login: {
                auto token = store::issue_login_token(tx.db, person->id, now);
                say(render_login_link(cfg.console_url() + "/login?token=" + token, language));
                return "login";
            }
            case verb::help: say(render_help(language)); return "help";
        }
        return "unknown";
    }

    std::string away(command const& c) {
        std::optional<millis> until;
        if (c.until) {
            until = c.until->empty() ? std::nullopt : parse_until(*c.until, cfg.timezone);
            if (!until) {
                say(render_refusal(cfg, {.code = "invalid_date", .command = "away",
                                         .detail = "I could not read that date; write it like away until 2026-12-01"},
                                   language));
                return "refused:invalid_date";
            }
        }
        auto refused = attempt(verb::away, 0, [&] {
            actions::set_availability(tx, context(), person->id, {true, until});
            say(confirm_away(cfg, until, stand_ins_for(person->id), language));
        });
        return refused ? "refused:" + *refused : "away";
    }
};

handled on_message(conversation& talk, inbound_message const& m) {
    talk.answer_to = m.message_id;
    auto cmd = parse_command(m.text);
    if (!m.private_chat) {
        if (!cmd) return {false, "ignored:group_chatter"};
        talk.say(render_group_chat(talk.language));
        return {false, "group_chat"};
    }
    if (!talk.person) {
        if (!store::claim_stranger_refusal(talk.tx.db, talk.channel, talk.chat, talk.now)) return {false, "stranger:quiet"};
        talk.say(render_stranger(talk.cfg));
        return {false, "stranger"};
    }
    std::optional<store::outbox_message> quoted;
    if (m.reply_to) quoted = store::find_by_platform_message(talk.tx.db, talk.channel, talk.chat, *m.reply_to);
    std::optional<int> revision;
    if (!cmd && quoted && quoted->purpose == "reason_prompt" && quoted->item && !m.text.empty()) {
        // The answer to "Why reject #42?": the whole text is the reason.
        auto action = quoted->payload.value("action", "reject");
        cmd = command{action == "changes" ? verb::changes : verb::reject, quoted->item, m.text, std::nullopt};
        revision = quoted->revision;
    }
    if (!cmd) {
        talk.say(render_unknown_command(talk.language));
        return {false, "unknown_command"};
    }
    if (names_an_item(cmd->what) && !cmd->item) {
        if (!quoted || !quoted->item) {
            talk.say(render_missing_id(talk.language));
            return {false, "missing_id"};
        }
        cmd->item = quoted->item;
        // A quote-reply to a card decides the revision that card showed, never a newer one.
        if (quoted->purpose == "item_card" || quoted->purpose == "reason_prompt") revision = quoted->revision;
    }
    return {false, talk.run(*cmd, revision)};
}

handled on_press(conversation& talk, button_press const& p) {
    if (!p.callback_id.empty()) talk.press = p.callback_id;  // some channels' presses have nothing to acknowledge
    handled out;
    if (!talk.person) {
        // A press still gets its answer, so the button stops spinning; the refusal's text only once.
        bool const refuse = store::claim_stranger_refusal(talk.tx.db, talk.channel, talk.chat, talk.now);
        talk.toast(refuse ? render_stranger(talk.cfg) : std::string());
        return {false, refuse ? "stranger" : "stranger:quiet"};
    }
    if (auto action = decode_button(p.data)) {
        talk.answer_to = p.message_id;
        // Reject and changes need a reason: the refusal asks for it, and the answer to that
        // question carries it.
        out.outcome = talk.decide(action->what, action->item, "", action->revision);
    } else {
        talk.say(render_unknown_command(talk.language));
        out.outcome = "unknown_button";
    }
    talk.toast("");  // refusals went to the chat; the button still needs its answer
    return out;
}

// Records that a person wrote on a channel with a service window; true when that reopens a
// window that was closed, so the cards sent meanwhile as templates are owed in full.
bool window_reopened(store::write_tx& tx, config::config const& cfg, std::string const& channel,
                     std::string const& sender, std::optional<millis> window, millis now) {
    if (!window || !cfg.find_by_address(channel, sender)) return false;
    bool was_open = store::service_window_open(tx.db, channel, sender, *window, now);
    store::note_inbound(tx.db, channel, sender, now);
    return !was_open;
}

// The full card of each open item whose last card reached the person only as a template.
void resend_owed_cards(store::write_tx& tx, config::config const& cfg, config::person const& person, millis now) {
    for (auto const& it : store::open_items_for(tx.db, person.id, owed_cards_limit)) {
        auto last = store::last_card_sent(tx.db, it.id, person.id);
        if (last && last->payload.value("as_template", false))
            notify::to_person(tx, cfg, person.id, "item_card", it, {{"after_template", true}}, now);
    }
}

}  // namespace

std::optional<prepared_reply> prepare_reply(store::reader_pool& readers, config::config const& cfg,
                                            inbound_event const& event) {
    auto const* m = std::get_if<inbound_message>(&event);
    if (!m || !m->private_chat) return std::nullopt;
    auto const* person = cfg.find_by_address(m->channel, m->sender);
    auto cmd = person ? parse_command(m->text) : std::nullopt;
    if (!cmd || cmd->what != verb::show || !cmd->item) return std::nullopt;
    return readers.with([&](sqlite::database& reader) -> std::optional<prepared_reply> {
        auto it = store::find_item(reader, *cmd->item);
        if (!it) return std::nullopt;  // the writer answers the refusal
        return prepared_reply{it->id, it->revision,
                              render_show(cfg, *it, store::steps_of(reader, it->id, it->revision),
                                          store::revisions_of(reader, it->id), person->language)};
    });
}

handled handle_event(store::write_tx& tx, config::config const& cfg, millis now, inbound_event const& event,
                     std::optional<millis> service_window, std::optional<prepared_reply> const& prepared) {
    return std::visit(
        [&](auto const& e) -> handled {
            using T = std::decay_t<decltype(e)>;
            if (!store::claim_inbound_key(tx.db, e.channel, e.dedupe_key, now)) return {true, "duplicate"};
            if constexpr (std::is_same_v<T, ignored_update>) {
                return {false, "ignored:" + e.why};
            } else if constexpr (std::is_same_v<T, delivery_status>) {
                bool known = store::record_delivery_status(tx, e.channel, e.platform_message_id, e.status, e.error);
                if (e.closes_window) store::note_window_closed(tx.db, e.channel, e.recipient);
                return {false, known ? "status:" + e.status : "status_for_unknown_message"};
            } else {
                bool const reopened = window_reopened(tx, cfg, e.channel, e.sender, service_window, now);
                conversation talk{tx, cfg, now, e.channel, e.chat};
                if (prepared) talk.prepared = &*prepared;
                talk.person = cfg.find_by_address(e.channel, e.sender);
                talk.language = talk.person ? talk.person->language : normal_language(e.language.value_or("en"));
                handled out;
                if constexpr (std::is_same_v<T, inbound_message>) {
                    talk.platform_id = e.message_id;
                    out = on_message(talk, e);
                } else {
                    talk.platform_id = e.callback_id.empty() ? e.dedupe_key : e.callback_id;
                    out = on_press(talk, e);
                }
                if (reopened && talk.person) resend_owed_cards(tx, cfg, *talk.person, now);
                return out;
            }
        },
        event);
}

}  // namespace signoff::chat
