#include "bot/actions/notify.hpp"

#include "store/outbox.hpp"

#include <map>
#include <tuple>

namespace signoff::notify {

namespace {
// Answers go first, then anything about an urgent item, then routine messages (SPEC §8).
int priority_about(item const& it) { return it.urgent ? store::outbox_priority::urgent : store::outbox_priority::card; }

store::outbox_message message_about(std::string const& person, std::string const& purpose, item const& it,
                                    nlohmann::json const& extra, millis now) {
    store::outbox_message m;
    m.recipient = person;
    m.purpose = purpose;
    m.item = it.id;
    m.revision = it.revision;
    m.payload = {{"purpose", purpose}, {"item", it.id}, {"revision", it.revision}};
    if (extra.is_object()) m.payload.update(extra);
    m.priority = priority_about(it);
    m.next_attempt_at = now;
    m.created_at = now;
    return m;
}
}  // namespace

std::optional<channel_choice> preferred_channel(config::config const& cfg, config::person const& person) {
    std::vector<std::string> order = person.prefer;
    order.insert(order.end(), config::chat_channels.begin(), config::chat_channels.end());
    for (auto const& channel : order) {
        if (channel == config::urgent_channel || !cfg.channel_active(channel)) continue;
        if (auto address = config::config::address_of(person, channel)) return channel_choice{channel, *address};
    }
    return std::nullopt;
}

void to_person_everywhere(store::write_tx& tx, config::config const& cfg, std::string const& person,
                          std::string const& purpose, item const& it, nlohmann::json extra, millis now) {
    auto const* p = cfg.find_person(person);
    int queued = 0;
    if (p) {
        std::vector<std::string_view> everywhere(config::chat_channels.begin(), config::chat_channels.end());
        everywhere.push_back(config::urgent_channel);
        for (auto const channel : everywhere) {
            auto address = config::config::address_of(*p, channel);
            if (!cfg.channel_active(channel) || !address) continue;
            auto m = message_about(person, purpose, it, extra, now);
            m.priority = store::outbox_priority::urgent;
            m.channel = std::string(channel);
            m.address = *address;
            store::enqueue(tx, m);
            ++queued;
        }
    }
    if (queued == 0) to_person(tx, cfg, person, purpose, it, std::move(extra), now);
}

void to_person(store::write_tx& tx, config::config const& cfg, std::string const& person, std::string const& purpose,
               item const& it, nlohmann::json extra, millis now) {
    auto m = message_about(person, purpose, it, extra, now);
    auto const* p = cfg.find_person(person);
    auto choice = p ? preferred_channel(cfg, *p) : std::nullopt;
    if (choice) {
        m.channel = choice->channel;
        m.address = choice->address;
    } else {
        m.channel = "none";
        m.status = store::outbox_status::undeliverable;
        m.last_error = "no active channel reaches " + person;
    }
    store::enqueue(tx, m);
}

void callback(store::write_tx& tx, config::config const& cfg, std::string const& event, nlohmann::json item_json,
              millis now) {
    if (!cfg.api.callback) return;
    store::outbox_message m;
    m.channel = "callback";
    m.address = cfg.api.callback->url;
    m.purpose = "callback";
    m.item = item_json.value("id", std::int64_t{0});
    m.revision = item_json.value("revision", 1);
    // The audit chain's tip as of this decision, so the agency holds a copy the store cannot unsay.
    m.payload = {{"event", event},
                 {"item", std::move(item_json)},
                 {"audit_tip", {{"id", tx.tip.last_id}, {"hash", tx.tip.hash}}}};
    m.next_attempt_at = now;
    m.created_at = now;
    store::enqueue(tx, m);
}

void digest(store::write_tx& tx, config::config const& cfg, std::string const& person, std::string const& local_date,
            millis now) {
    store::outbox_message m;
    m.recipient = person;
    m.purpose = "digest";
    m.priority = store::outbox_priority::bulk;
    m.payload = {{"purpose", "digest"}, {"date", local_date}};
    m.next_attempt_at = now;
    m.created_at = now;
    auto const* p = cfg.find_person(person);
    auto choice = p ? preferred_channel(cfg, *p) : std::nullopt;
    if (!choice) return;  // nobody to tell; the digest is a courtesy, not a record
    m.channel = choice->channel;
    m.address = choice->address;
    store::enqueue(tx, m);
}

void card_updates(store::write_tx& tx, item const& it, nlohmann::json const& what, bool everyone,
                  std::optional<std::string> const& keep, millis now) {
    auto cards = store::delivered_cards(tx.db, it.id);
    // Each chat's earlier cards were marked when a later one replaced them: only the latest
    // card per chat is edited, so a new revision costs each approver one edit, not one per
    // revision so far.
    std::map<std::tuple<std::string, std::string>, std::size_t> latest;
    for (std::size_t i = 0; i < cards.size(); ++i) latest[{cards[i].channel, cards[i].address.value_or("")}] = i;
    for (std::size_t i = 0; i < cards.size(); ++i) {
        auto const& card = cards[i];
        if (everyone && latest[{card.channel, card.address.value_or("")}] != i) continue;
        if (!everyone && (card.revision != it.revision || card.recipient == keep)) continue;
        store::outbox_message m;
        m.channel = card.channel;
        m.recipient = card.recipient;
        m.address = card.address;
        m.purpose = "card_update";
        m.item = it.id;
        m.revision = card.revision;
        m.priority = priority_about(it);
        m.payload = what;
        m.payload["edit_message_id"] = *card.platform_message_id;
        // A card that went as a media message's caption is edited as a caption.
        if (auto kind = card.payload.find("sent_as"); kind != card.payload.end() && kind->is_string())
            m.payload["edit_message_kind"] = *kind;
        m.payload["card_revision"] = card.revision.value_or(it.revision);
        m.next_attempt_at = now;
        m.created_at = now;
        store::enqueue(tx, m);
    }
}

void chat_reply(store::write_tx& tx, std::string const& channel, std::string const& chat,
                std::optional<std::string> const& recipient, std::string const& purpose, nlohmann::json payload,
                std::optional<std::int64_t> item, std::optional<int> revision, millis now) {
    store::outbox_message m;
    m.channel = channel;
    m.recipient = recipient;
    m.address = chat;
    m.purpose = purpose;
    m.priority = store::outbox_priority::answer;
    m.item = item;
    m.revision = revision;
    m.payload = std::move(payload);
    m.next_attempt_at = now;
    m.created_at = now;
    store::enqueue(tx, m);
}

}  // namespace signoff::notify
