#include "bot/outbox_render.hpp"

#include "adapters/crypto.hpp"
#include "adapters/telegram.hpp"
#include "bot/messages.hpp"
#include "bot/word_diff.hpp"
#include "store/items.hpp"

namespace signoff {

namespace {

using nlohmann::json;

std::string language_of(config::config const& cfg, std::optional<std::string> const& person) {
    auto const* p = person ? cfg.find_person(*person) : nullptr;
    return p ? p->language : "en";
}

std::optional<std::string> text_or_null(json const& payload, char const* key) {
    auto it = payload.find(key);
    if (it == payload.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

// The chat message a row stands for, in the recipient's language; nullopt when its item is gone.
std::optional<chat::outbound_message> compose(config::config const& cfg, sqlite::database& db,
                                              store::outbox_message const& m) {
    auto const lang = language_of(cfg, m.recipient);
    auto const& p = m.payload;
    if (m.purpose == "chat_reply" || m.purpose == "reason_prompt")
        return chat::outbound_message{.text = p.value("text", ""), .reply_to = text_or_null(p, "reply_to")};
    if (!m.item) return std::nullopt;
    auto it = store::find_item(db, *m.item);
    if (!it) return std::nullopt;

    if (m.purpose == "item_card" || m.purpose == "item_copy") {
        auto steps = store::steps_of(db, it->id, it->revision);
        chat::card_options options;
        options.copy = m.purpose == "item_copy";
        options.standing_in_for = text_or_null(p, "standing_in_for");
        for (auto const& s : steps)
            if (s.status == step_status::pending && s.person == m.recipient && s.for_person)
                options.standing_in_for = s.for_person;
        if (it->assignee == m.recipient && it->assignee_for) options.standing_in_for = it->assignee_for;
        if (auto seen = m.recipient ? store::last_card_sent(db, it->id, *m.recipient) : std::nullopt;
            seen && seen->revision && *seen->revision < it->revision) {
            for (auto const& r : store::revisions_of(db, it->id))
                if (r.number == *seen->revision) {
                    options.diff = word_diff(r.title + "\n" + r.body, it->title + "\n" + it->body);
                    options.diff_from_revision = r.number;
                }
        }
        auto card = chat::render_card(cfg, *it, steps, lang, options);
        // Buttons only while the draft waits for this very person.
        if (it->status != item_status::pending || it->assignee != m.recipient) card.buttons.clear();
        return card;
    }
    if (m.purpose == "card_update") {
        auto text = chat::render_decided_card(cfg, *it, p.value("event", ""), p.value("actor", ""),
                                              text_or_null(p, "text"), p.value("at", millis{0}), lang);
        return chat::outbound_message{.text = text, .edit_message_id = text_or_null(p, "edit_message_id"),
                                      .remove_buttons = true};
    }
    if (m.purpose == "decision_copy")
        return chat::outbound_message{.text = chat::render_decision_copy(cfg, *it, p.value("event", ""), p.value("by", ""),
                                                                         text_or_null(p, "text"), lang)};
    if (m.purpose == "withdrawn_notice")
        return chat::outbound_message{.text = chat::render_withdrawn(cfg, *it, text_or_null(p, "reason"), lang)};
    return std::nullopt;
}

rendered_request render_callback(config::config const& cfg, store::outbox_message const& m) {
    if (!cfg.api.callback) return {std::nullopt, "api.callback is no longer configured"};
    chat::outbound_request r;
    r.url = cfg.api.callback->url;
    r.body = m.payload.dump();
    r.headers = {{"Content-Type", "application/json"},
                 {"X-Signoff-Signature", "sha256=" + crypto::hmac_sha256_hex(cfg.api.callback->secret, r.body)}};
    return {std::move(r), ""};
}

}  // namespace

std::string rate_key_of(store::outbox_message const& m) {
    // Edits and button answers do not count against the one-message-per-second rule of a chat.
    if (m.channel == "callback" || m.purpose == "card_update" || m.purpose == "press_answer") return "";
    return m.address.value_or("");
}

rendered_request render_outbox(config::config const& cfg, sqlite::database& db, store::outbox_message const& m) {
    if (m.channel == "callback") return render_callback(cfg, m);
    if (m.channel != "telegram") return {std::nullopt, "channel " + m.channel + " cannot send yet"};
    auto const& tg = cfg.channels.telegram;
    if (!tg.active()) return {std::nullopt, "telegram is not configured"};
    if (m.purpose == "press_answer")
        return {telegram::render_press_answer({m.payload.value("callback_id", ""), m.payload.value("text", "")}, tg), ""};
    auto message = compose(cfg, db, m);
    if (!message) return {std::nullopt, "item #" + std::to_string(m.item.value_or(0)) + " cannot be shown"};
    message->to = m.address.value_or("");
    try {
        return {telegram::render_message(*message, tg), ""};
    } catch (std::exception const& e) {
        return {std::nullopt, e.what()};
    }
}

chat::send_result read_outbox_result(config::config const&, store::outbox_message const& m, int status,
                                     std::string const& body) {
    if (m.channel == "telegram") return telegram::read_send_result(status, body);
    chat::send_result r;
    if (status >= 200 && status < 300) {
        r.result = chat::send_result::outcome::sent;
    } else if (status == 408 || status == 429 || status >= 500) {
        r.result = chat::send_result::outcome::retry;
        r.error = "HTTP " + std::to_string(status);
    } else {
        r.result = chat::send_result::outcome::give_up;
        r.error = "HTTP " + std::to_string(status) + ": " + body.substr(0, 200);
    }
    return r;
}

}  // namespace signoff
