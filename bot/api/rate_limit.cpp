#include "bot/api/rate_limit.hpp"

#include "bot/core/api_error.hpp"

#include <algorithm>
#include <cmath>

namespace signoff {

std::optional<millis> take_token(token_bucket& bucket, bucket_rule const& rule, millis now) {
    auto const burst = static_cast<double>(rule.burst);
    auto const per_ms = static_cast<double>(rule.per_minute) / (60.0 * ms_per_second);
    if (!bucket.started) {
        bucket = {burst, now, true};
    } else if (now > bucket.updated) {
        bucket.tokens = std::min(burst, bucket.tokens + static_cast<double>(now - bucket.updated) * per_ms);
        bucket.updated = now;
    }
    if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return std::nullopt;
    }
    return static_cast<millis>(std::ceil((1 - bucket.tokens) / per_ms));
}

std::int64_t retry_after_seconds(millis wait) {
    return std::max<std::int64_t>(1, (wait + ms_per_second - 1) / ms_per_second);
}

void key_rate_limits::take(config::api_key const& key, kind what, millis now) {
    std::optional<millis> wait;
    {
        std::lock_guard lock(mutex_);
        wait = what == kind::urgent
                   ? take_token(urgent_[key.name], {key.urgent_per_minute, key.urgent_burst}, now)
                   : take_token(change_[key.name], {key.rate_per_minute, key.burst}, now);
    }
    if (!wait) return;
    auto const seconds = retry_after_seconds(*wait);
    api_error refused(429, "rate_limited",
                      std::string(what == kind::urgent ? "urgent submissions" : "changes") + " with the key \"" +
                          key.name + "\" are over its rate limit; retry in " + std::to_string(seconds) + " s");
    refused.headers.emplace_back("Retry-After", std::to_string(seconds));
    throw refused;
}

}  // namespace signoff
