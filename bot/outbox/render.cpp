#include "bot/outbox/render.hpp"

#include "bot/core/crypto.hpp"
#include "adapters/sms.hpp"
#include "adapters/telegram.hpp"
#include "adapters/wecom.hpp"
#include "adapters/whatsapp.hpp"
#include "bot/messages/messages.hpp"
#include "bot/core/text.hpp"
#include "bot/messages/word_diff.hpp"
#include "store/items.hpp"
#include "store/keys.hpp"

#include <algorithm>

namespace signoff {

namespace {

using nlohmann::json;

constexpr int pending_list_limit = 50;  // items in a `pending` answer or a digest

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
                                              store::outbox_message const& m, millis now) {
    auto const lang = language_of(cfg, m.recipient);
    auto const& p = m.payload;
    if (m.purpose == "chat_reply" || m.purpose == "reason_prompt")
        return chat::outbound_message{.text = p.value("text", ""), .reply_to = text_or_null(p, "reply_to")};
    if (m.purpose == "digest" || m.purpose == "pending_list") {
        // Oldest due first, so overdue items lead (open_items_for sorts by due).
        auto items = store::open_items_for(db, m.recipient.value_or(""), pending_list_limit);
        return chat::outbound_message{.text = chat::render_pending(cfg, items, now, lang),
                                      .reply_to = text_or_null(p, "reply_to")};
    }
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
    if (m.purpose == "reminder") return chat::outbound_message{.text = chat::render_reminder(cfg, *it, now, lang)};
    if (m.purpose == "withdrawn_notice")
        return chat::outbound_message{.text = chat::render_withdrawn(cfg, *it, text_or_null(p, "reason"), lang)};
    return std::nullopt;
}

rendered_request render_callback(config::config const& cfg, store::outbox_message const& m) {
    if (!cfg.api.callback) return {{}, "api.callback is no longer configured"};
    chat::outbound_request r;
    r.url = cfg.api.callback->url;
    r.body = m.payload.dump();
    r.headers = {{"Content-Type", "application/json"},
                 {"X-Signoff-Signature", "sha256=" + crypto::hmac_sha256_hex(cfg.api.callback->secret, r.body)}};
    return {{std::move(r)}, ""};
}

constexpr millis whatsapp_window = 24 * ms_per_hour;

// Outside the window only the configured template may go: item id and title as parameters,
// and for a card awaiting this person the quick-reply buttons of the card.
rendered_request whatsapp_template(config::config const& cfg, sqlite::database& db, store::outbox_message const& m) {
    auto const& wa = cfg.channels.whatsapp;
    if (wa.message_template.name.empty())
        return {{}, "the WhatsApp window is closed and no template is configured"};
    chat::template_message t{.to = m.address.value_or(""), .name = wa.message_template.name,
                             .language = wa.message_template.language};
    auto it = m.item ? store::find_item(db, *m.item) : std::nullopt;
    t.body_params = {it ? "#" + std::to_string(it->id) : std::string("-"), it ? it->title : std::string("signoff")};
    if (it && m.purpose == "item_card" && it->status == item_status::pending && it->assignee == m.recipient) {
        auto rev = std::to_string(it->revision), id = std::to_string(it->id);
        t.button_payloads = {"a:" + id + ":" + rev, "r:" + id + ":" + rev, "c:" + id + ":" + rev};
    }
    rendered_request out{{whatsapp::render_template(t, wa)}, ""};
    out.as_template = true;
    return out;
}

// SMS is for urgent and escalated items: the card's header and title, and how to answer.
rendered_request render_sms_row(config::config const& cfg, sqlite::database& db, store::outbox_message const& m,
                                millis now) {
    if (!cfg.channels.sms.active()) return {{}, "sms is not configured"};
    auto message = compose(cfg, db, m, now);
    if (!message) return {{}, "item #" + std::to_string(m.item.value_or(0)) + " cannot be shown"};
    std::string text = message->text;
    auto first = text.find('\n');
    auto second = first == std::string::npos ? std::string::npos : text.find('\n', first + 1);
    text = text.substr(0, second);
    std::string tail;
    if (m.item)
        tail = "\nAnswer in Telegram or WhatsApp: approve " + std::to_string(*m.item) + " / reject " +
               std::to_string(*m.item) + " reason";
    // The command to answer with survives any cut; the header and title give way.
    return {{sms::render_sms(m.address.value_or(""), sms::fit_segments_with_tail(text, tail, 3), cfg.channels.sms)},
            ""};
}

// WeCom cannot edit messages: a button's outcome replaces the button (update_template_card with
// the click's single-use ResponseCode), falling back to a text when the code is spent or old.
rendered_request render_wecom(config::config const& cfg, sqlite::database& db, store::outbox_message const& m,
                              millis now) {
    auto const& wc = cfg.channels.wecom;
    auto const to = m.address.value_or("");
    if (m.purpose == "press_answer") {
        auto text = m.payload.value("text", "");
        if (text.empty()) return {{}, "", true};
        rendered_request out{{wecom::render_card_update(to, m.payload.value("callback_id", ""),
                                                        text::truncate_code_points(text, 20), wc,
                                                        wecom_token_placeholder)},
                             ""};
        out.fallback = {wecom::render_message({.to = to, .text = text}, wc, wecom_token_placeholder,
                                              std::to_string(m.id))};
        return out;
    }
    if (m.purpose == "card_update" && m.payload.value("actor", "") == m.recipient.value_or("")) return {{}, "", true};
    auto message = compose(cfg, db, m, now);
    if (!message) return {{}, "item #" + std::to_string(m.item.value_or(0)) + " cannot be shown"};
    message->to = to;
    message->edit_message_id.reset();
    message->reply_to.reset();
    message->remove_buttons = false;
    return {{wecom::render_message(*message, wc, wecom_token_placeholder, std::to_string(m.id))}, ""};
}

}  // namespace

std::string rate_key_of(store::outbox_message const& m) {
    // Telegram's edits and button answers do not count against a chat's one message per second
    // (on WhatsApp a card update is a new message, so it does).
    if (m.channel == "callback" || m.purpose == "press_answer" || (m.channel == "telegram" && m.purpose == "card_update"))
        return "";
    return m.address.value_or("");
}

bool whatsapp_window_open(sqlite::database& db, std::string const& address, millis now) {
    auto c = store::find_contact(db, "whatsapp", address);
    return c && c->last_inbound && now - *c->last_inbound < whatsapp_window && !c->window_closed;
}

rendered_request render_outbox(config::config const& cfg, sqlite::database& db, store::outbox_message const& m,
                               millis now) {
    if (m.channel == "callback") return render_callback(cfg, m);
    if (m.channel == "sms") return render_sms_row(cfg, db, m, now);
    if (m.channel == "wecom") {
        if (!cfg.channels.wecom.active()) return {{}, "wecom is not configured"};
        try {
            return render_wecom(cfg, db, m, now);
        } catch (std::exception const& e) {
            return {{}, e.what()};
        }
    }
    if (m.channel != "telegram" && m.channel != "whatsapp")
        return {{}, "channel " + m.channel + " cannot send yet"};
    if (m.channel == "telegram" && !cfg.channels.telegram.active()) return {{}, "telegram is not configured"};
    if (m.channel == "whatsapp" && !cfg.channels.whatsapp.active()) return {{}, "whatsapp is not configured"};
    if (m.purpose == "press_answer") {
        if (m.channel != "telegram") return {{}, "", true};
        return {{telegram::render_press_answer({m.payload.value("callback_id", ""), m.payload.value("text", "")},
                                               cfg.channels.telegram)},
                ""};
    }
    // WhatsApp cannot edit a message: the decider already has the confirmation, others get a note.
    if (m.channel == "whatsapp" && m.purpose == "card_update" && m.payload.value("actor", "") == m.recipient.value_or(""))
        return {{}, "", true};
    if (m.channel == "whatsapp" && !whatsapp_window_open(db, m.address.value_or(""), now))
        return whatsapp_template(cfg, db, m);
    auto message = compose(cfg, db, m, now);
    if (!message) return {{}, "item #" + std::to_string(m.item.value_or(0)) + " cannot be shown"};
    message->to = m.address.value_or("");
    try {
        if (m.channel == "whatsapp") {
            auto requests = whatsapp::render_message(*message, cfg.channels.whatsapp);
            if (requests.empty()) return {{}, "", true};  // an edit with nothing to say
            return {std::move(requests), ""};
        }
        return {{telegram::render_message(*message, cfg.channels.telegram)}, ""};
    } catch (std::exception const& e) {
        return {{}, e.what()};
    }
}

chat::send_result read_outbox_result(config::config const&, store::outbox_message const& m, int status,
                                     std::string const& body) {
    if (m.channel == "telegram") return telegram::read_send_result(status, body);
    if (m.channel == "whatsapp") return whatsapp::read_send_result(status, body);
    if (m.channel == "sms") return sms::read_send_result(status, body);
    if (m.channel == "wecom") return wecom::read_send_result(status, body);
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
