#pragma once
// Per-key rate limits on the API's state-changing calls: token buckets in memory, sans-IO
// (`now` is an input). A bucket holds up to `burst` tokens and refills `per_minute` of them a
// minute; a call takes one token, or is refused with the time until one is there.

#include "bot/core/time.hpp"
#include "config/config.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace signoff {

struct bucket_rule {
    std::int64_t per_minute = 1;
    std::int64_t burst = 1;
};

struct token_bucket {
    double tokens = 0;
    millis updated = 0;
    bool started = false;  // a new bucket starts full
};

// Takes a token at `now`: nullopt when taken, else the milliseconds until one will be there.
std::optional<millis> take_token(token_bucket& bucket, bucket_rule const& rule, millis now);

// The whole seconds a Retry-After header gives for a wait (at least 1).
std::int64_t retry_after_seconds(millis wait);

// The buckets of every key, by key name; thread-safe.
class key_rate_limits {
public:
    enum class kind { change, urgent };

    // Throws api_error 429 "rate_limited" (with Retry-After) when the key's bucket is empty.
    void take(config::api_key const& key, kind what, millis now);

private:
    std::mutex mutex_;
    std::unordered_map<std::string, token_bucket> change_;
    std::unordered_map<std::string, token_bucket> urgent_;
};

}  // namespace signoff
