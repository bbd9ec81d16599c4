#pragma once
// Delivers the outbox: picks due rows, renders each for its channel, sends it through the one
// HTTP client, and records the outcome (sent with the platform's message id, retried later
// with backoff and the platform's retry_after, or dead after bounded tries — with an audit
// event and a metric, never dropped silently). Rows survive restarts: whatever was not
// delivered is picked up again when the server starts.

#include "adapters/channel.hpp"
#include "bot/app.hpp"
#include "bot/outbox/delivery_policy.hpp"
#include "bot/net/http_client.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>

namespace signoff {

struct dispatcher_options {
    retry_policy retry;
    int max_in_flight = 16;
    millis poll_interval = 30 * ms_per_second;  // re-read the store this often even without a wake-up
};

class outbox_dispatcher {
public:
    // `channels` must outlive the dispatcher; each keeps its own rate limits.
    outbox_dispatcher(boost::asio::io_context& ioc, app& a, channels::channel_set& channels,
                      dispatcher_options options = {});
    ~outbox_dispatcher();

    void start();  // begins delivering
    void wake();   // thread-safe: new rows are queued (called after a commit that touched the outbox)
    void stop();   // thread-safe: no new deliveries; those in flight finish within their timeout

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace signoff
