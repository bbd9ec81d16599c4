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
    // When `chat`'s own interval since its last send ends, if that is after `now`; nullopt when
    // the chat is free (the overall rate may still hold a send back). Records nothing.
    std::optional<millis> chat_busy_until(std::string const& chat, millis now) const;
    millis per_chat_interval() const { return per_chat_interval_; }

private:
    double per_second_;
    millis per_chat_interval_;
    double tokens_;
    millis refilled_at_ = 0;
    std::map<std::string, millis> last_send_;
};

// Where rows held back by their chat's own interval wait (SPEC §8: one recipient's backlog never
// delays another's): each gets its own later turn in the chat, so it is moved out of the
// dispatcher's batch once instead of filling it at every pass. A row of better (lower)
// priority takes a turn before those of worse priority already placed; when two meet at one
// turn the better goes and the other is placed again. Not thread-safe, like rate_limiter.
class turn_planner {
public:
    // The instant for a row of `priority` to `chat`, which is free again at `free_at` and takes
    // one message per `interval`.
    millis place(std::string const& chat, int priority, millis free_at, millis interval, millis now);
    // Forgets the turns given in `chat` (their rows went some other way, e.g. as one list).
    void forget(std::string const& chat) { last_turn_.erase(chat); }

private:
    std::map<std::string, std::map<int, millis>> last_turn_;  // per chat, per priority
};

}  // namespace signoff
