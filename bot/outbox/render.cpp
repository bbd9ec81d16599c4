#include "bot/outbox/render.hpp"

#include "bot/messages/messages.hpp"
#include "bot/outbox/creatives.hpp"
#include "bot/core/word_diff.hpp"
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

// What a card says about its creatives.
struct creative_notes {
    bool changed = false;    // a new revision whose creatives differ from those last seen
    bool too_large = false;  // some cannot be shown in chat
};

// The chat message a row stands for, in the recipient's language; nullopt when its item is gone.
std::optional<chat::outbound_message> compose(config::config const& cfg, sqlite::database& db,
                                              store::outbox_message const& m, std::optional<item> const& it,
                                              creative_notes notes, millis now) {
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
        options.new_creative = notes.changed;
        options.creative_too_large = notes.too_large;
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
    if (m.purpose == "publication_reminder")
        return chat::outbound_message{.text = chat::render_publication_reminder(cfg, *it, lang)};
    if (m.purpose == "withdrawn_notice")
        return chat::outbound_message{.text = chat::render_withdrawn(cfg, *it, text_or_null(p, "reason"), lang)};
    return std::nullopt;
}

// The creatives to send with an item card: all of them on the first card a person gets about the
// item, and on a later one only when they differ from those of the revision the person last saw.
card_creatives creatives_for(sqlite::database& db, media::library const& library, channels::channel const& ch,
                             store::outbox_message const& m, item const& it, creative_notes& notes, millis now) {
    if (m.purpose != "item_card" || it.media.empty() || !it.media.is_array()) return {};
    if (auto seen = m.recipient ? store::last_card_sent(db, it.id, *m.recipient) : std::nullopt; seen && seen->revision)
        for (auto const& r : store::revisions_of(db, it.id))
            if (r.number == *seen->revision) {
                if (same_creatives(r.media, it.media)) return {};
                notes.changed = true;
            }
    auto out = prepare_creatives(it.media, library, ch, m.id, now);
    notes.too_large = out.too_large;
    return out;
}

}  // namespace

std::string rate_key_of(store::outbox_message const& m, channels::channel const& ch) {
    return ch.counts_per_chat(m.purpose) ? m.address.value_or("") : std::string();
}

channels::rendering render_outbox(config::config const& cfg, sqlite::database& db, media::library const& library,
                                  store::outbox_message const& m, channels::channel const* ch, millis now) {
    if (!ch) return {{}, "channel " + m.channel + " cannot send"};
    if (!ch->active()) return {{}, std::string(ch->name()) + " is not configured"};
    auto const& p = m.payload;
    channels::delivery d{.purpose = m.purpose, .address = m.address.value_or(""), .row_id = std::to_string(m.id),
                         .payload = p};
    // Callbacks carry their exact body, button answers their text: no item to read.
    if (m.purpose == "callback") return ch->render(d);
    if (m.purpose == "press_answer") {
        d.press = chat::press_answer{p.value("callback_id", ""), p.value("text", "")};
        return ch->render(d);
    }
    d.decided_by_recipient = m.purpose == "card_update" && m.recipient && p.value("actor", "") == *m.recipient;
    if (auto window = ch->service_window()) d.window_open = store::service_window_open(db, m.channel, d.address, *window, now);
    auto it = m.item ? store::find_item(db, *m.item) : std::nullopt;
    if (it) {
        d.item = it->id;
        d.revision = it->revision;
        d.item_title = it->title;
        d.awaits_recipient = it->status == item_status::pending && it->assignee == m.recipient;
    }
    if (d.window_open) {  // outside the window only a template goes
        creative_notes notes;
        if (it) {
            auto creatives = creatives_for(db, library, *ch, m, *it, notes, now).creatives;
            if (!p.value("creatives_sent", false)) d.creatives = std::move(creatives);  // else a retry: the card alone
        }
        d.message = compose(cfg, db, m, it, notes, now);
    }
    if (!it && m.item) d.item = m.item;  // for the "cannot be shown" answer
    return ch->render(d);
}

channels::rendering render_card_list(config::config const& cfg, sqlite::database& db, store::outbox_message const& head,
                                     std::vector<store::outbox_message> const& cards, channels::channel const* ch,
                                     millis now) {
    if (!ch || !ch->active()) return {{}, "no channel"};
    channels::delivery d{.purpose = "card_list", .address = head.address.value_or(""),
                         .row_id = std::to_string(head.id), .payload = head.payload};
    if (auto window = ch->service_window(); window && !store::service_window_open(db, head.channel, d.address, *window, now))
        return {{}, "the service window is closed"};
    std::vector<item> items;
    for (auto const& card : cards)
        if (auto it = card.item ? store::find_item(db, *card.item) : std::nullopt) items.push_back(std::move(*it));
    if (items.empty()) return {{}, "no item left to list"};
    d.message = chat::outbound_message{.text = chat::render_card_list(cfg, items, now, language_of(cfg, head.recipient))};
    return ch->render(d);
}

}  // namespace signoff
