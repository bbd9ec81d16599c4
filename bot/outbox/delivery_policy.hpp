#pragma once
// When to try an outbound message again, and how fast a channel may send: pure rules for
// the outbox dispatcher, with `now` as an input.

#include "bot/core/time.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <random>
#include <string>

namespace signoff {

struct retry_policy {
    millis first_delay = 2 * ms_per_second;  // after the first failure
    millis max_delay = 10 * ms_per_minute;   // the doubling stops here
    int max_attempts = 10;                   // then the message is dead
    double jitter = 0.2;                     // ± this fraction, so retries of many messages spread out

    // The delay before attempt `attempts + 1`, given `attempts` failed so far (≥ 1).
    // A platform's retry_after wins when it is longer.
    millis delay(int attempts, std::optional<std::chrono::seconds> retry_after, std::mt19937& rng) const;
};

// A token bucket for a channel overall plus a minimum interval per chat (Telegram: 30/s
// overall, 1/s per chat). Not thread-safe: the dispatcher owns it on its strand.
class rate_limiter {
public:
    rate_limiter(double per_second, millis per_chat_interval);

    // Records a send and returns nullopt when one may go to `chat` now; otherwise returns
    // the earliest instant it may, and records nothing. An empty chat counts only overall.
    std::optional<millis> acquire(std::string const& chat, millis now);

private:
    double per_second_;
    millis per_chat_interval_;
    double tokens_;
    millis refilled_at_ = 0;
    std::map<std::string, millis> last_send_;
};

}  // namespace signoff
