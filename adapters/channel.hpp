#pragma once
// What the outbox needs of one outbound channel, behind one interface: render an outbox row's
// intent into the requests the platform takes, read the platform's answer, and keep the
// platform's own rules (rate limits, a customer-service window, a template instead of free
// text, an access token to fetch first). The outbox loops over channels without naming them.
// Implementations are sans-IO: `now` is an input, and the caller sends every request.

#include "bot/core/chat_types.hpp"
#include "bot/core/time.hpp"
#include "config/config.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::channels {

// One of an item's creatives as the outbox prepared it for a channel: its stored bytes when they
// are within the channel's upload limit, and a link the platform may fetch (an external URL, or
// a signed link to the stored file when the server has a public URL). At least one is set.
struct creative {
    std::string type;                  // MIME type, e.g. "image/jpeg"
    std::string name;                  // a file name for uploads, e.g. "creative-1.jpg"
    std::optional<std::string> bytes;  // the stored bytes; nullopt for external media and files over the limit
    std::string url;                   // "" when there is none
};

// One outbox row as the outbox resolved it for its channel.
struct delivery {
    std::string purpose;               // "item_card", "card_update", "press_answer", "chat_reply", …
    std::string address;               // the recipient's address on this channel
    std::string row_id;                // the outbox row id, decimal: unique per message
    std::optional<std::int64_t> item;  // the item it is about
    int revision = 0;                  // the item's current revision (0 when there is no item)
    std::string item_title;            // the item's title ("" when there is no item)
    bool awaits_recipient = false;     // a pending card whose step waits for the recipient: it has buttons
    bool decided_by_recipient = false; // a card update after the recipient's own decision
    bool window_open = true;           // within the person's service window (channels that have one)
    std::optional<chat::press_answer> press;        // purpose "press_answer"
    std::optional<chat::outbound_message> message;  // the composed message; nullopt when its item is gone
    nlohmann::json payload;                         // the row's payload as stored (callbacks send it as is)
    std::vector<creative> creatives;  // cards: the creatives to show with it (none when the approver saw them)
};

// What to send for a delivery.
struct rendering {
    std::vector<http_call> requests;  // sent in order; the last one's message id is kept
    std::string why;                               // when there are no requests and not `skip`: why not
    bool skip = false;                             // nothing needs sending on this channel: done as is
    bool as_template = false;                      // a template went instead of free text (window closed)
    std::vector<http_call> fallback;  // sent instead when `requests` are refused for good
    // How the kept message went, when an edit must know it ("caption": a media message with the
    // card as its caption); kept in the row's payload as "sent_as". Not for the fallback.
    std::string sent_as;
    // How many of the first requests carry the creatives only: once they all went, a retry of the
    // row sends the card without them (the outbox notes "creatives_sent" in the row's payload).
    std::size_t creative_requests = 0;
};

struct rate {
    double per_second = 50;    // overall
    millis per_chat = 0;       // minimum interval between two messages to one chat (0: none)
};

class channel {
public:
    virtual ~channel() = default;

    virtual std::string_view name() const = 0;  // as in outbox rows: "telegram", "callback", …
    virtual bool active() const = 0;            // credentials configured
    virtual channels::rate rate() const = 0;
    // Whether a row of `purpose` counts against its chat's per-chat interval (edits and button
    // answers often count only overall).
    virtual bool counts_per_chat(std::string_view purpose) const;
    // The customer-service window opened by the person's last message, for channels that only
    // allow free text within one; nullopt for the others.
    virtual std::optional<millis> service_window() const { return std::nullopt; }

    // The largest creative of MIME `type` the channel uploads as bytes; nullopt when the channel
    // shows no creatives. Larger ones go by link when there is one.
    virtual std::optional<std::uint64_t> upload_limit(std::string_view type) const;

    virtual rendering render(delivery const& d) const = 0;
    virtual chat::send_result read_result(int status, std::string const& body) const = 0;

    // Channels whose requests need a short-lived credential (an access token): the request that
    // fetches one when none is held or it is about to expire at `now`, else nullopt.
    virtual std::optional<http_call> credential_request(millis now) const;
    // Reads the answer to credential_request; false (with a reason) when it brought none.
    virtual bool accept_credential(int status, std::string const& body, millis now, std::string& error);
    // Forgets the held credential (after the platform refused it).
    virtual void drop_credential() {}
    // Puts the held credential into a rendered request, just before it is sent.
    virtual void authorise(http_call&) const {}
};

// The channels of one server, looked up by the name an outbox row carries.
class channel_set {
public:
    void add(std::unique_ptr<channel> c) { channels_.push_back(std::move(c)); }
    channel* find(std::string_view name) const;

private:
    std::vector<std::unique_ptr<channel>> channels_;
};

// The rendering of a delivery whose item is gone (nothing to show).
rendering cannot_show(delivery const& d);

// Fills in a request that needs the previous request's answer (call.from_previous): false, with
// a reason, when that answer is not JSON or lacks the field.
bool fill_from_previous(http_call& call, std::string const& previous_answer, std::string& error);

// Reads a plain HTTP answer: 2xx sent; 408, 429 and 5xx retry; anything else give up.
chat::send_result read_http_status(int status, std::string const& body);

}  // namespace signoff::channels
