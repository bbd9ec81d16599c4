#pragma once
// What an operator watches: GET /readyz (the store takes writes and the outbox moves), and the
// gauges /metrics computes from the store at each scrape (outbox backlog per channel, open and
// overdue items per role).

#include "bot/app.hpp"
#include "bot/net/router.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace signoff {

// A due outbox row left waiting longer than this makes /readyz answer 503.
inline constexpr millis outbox_stuck_after = 10 * 60 * 1000;

// /readyz answers 503 when an empty write has not committed by then: one busy timeout (5 s)
// and a second of slack for the queue.
inline constexpr std::chrono::milliseconds readiness_write_limit{6000};

void add_readiness_route(router& routes, app& a);  // GET /readyz

// Sets the store gauges in a.registry from indexed queries. A channel or role whose backlog
// empties is set to 0, not left at its last value.
class store_gauges {
public:
    explicit store_gauges(app& a) : app_(a) {}
    void refresh();

private:
    app& app_;
    std::mutex mutex_;
    std::set<std::string> channels_seen_;
};

}  // namespace signoff
