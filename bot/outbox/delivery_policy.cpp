#include "bot/outbox/delivery_policy.hpp"

#include <algorithm>
#include <cmath>

namespace signoff {

millis retry_policy::delay(int attempts, std::optional<std::chrono::seconds> retry_after, std::mt19937& rng) const {
    double base = static_cast<double>(first_delay) * std::pow(2.0, std::max(0, attempts - 1));
    base = std::min(base, static_cast<double>(max_delay));
    std::uniform_real_distribution<double> spread(1.0 - jitter, 1.0 + jitter);
    auto wait = static_cast<millis>(base * spread(rng));
    if (retry_after) wait = std::max<millis>(wait, retry_after->count() * ms_per_second);
    return wait;
}

rate_limiter::rate_limiter(double per_second, millis per_chat_interval)
    : per_second_(per_second), per_chat_interval_(per_chat_interval), tokens_(per_second) {}

std::optional<millis> rate_limiter::acquire(std::string const& chat, millis now) {
    if (refilled_at_ == 0) refilled_at_ = now;
    tokens_ = std::min(per_second_, tokens_ + static_cast<double>(now - refilled_at_) * per_second_ / 1000.0);
    refilled_at_ = now;
    millis earliest = now;
    auto it = chat.empty() ? last_send_.end() : last_send_.find(chat);
    if (it != last_send_.end())
        earliest = std::max(earliest, it->second + per_chat_interval_);
    if (tokens_ < 1.0)
        earliest = std::max(earliest, now + static_cast<millis>(std::ceil((1.0 - tokens_) * 1000.0 / per_second_)));
    if (earliest > now) return earliest;
    tokens_ -= 1.0;
    if (!chat.empty()) last_send_[chat] = now;
    if (last_send_.size() > 10000) {  // forget chats idle for longer than the interval
        std::erase_if(last_send_, [&](auto const& entry) { return entry.second + per_chat_interval_ < now; });
    }
    return std::nullopt;
}

std::optional<millis> rate_limiter::chat_busy_until(std::string const& chat, millis now) const {
    if (chat.empty() || per_chat_interval_ <= 0) return std::nullopt;
    auto it = last_send_.find(chat);
    if (it == last_send_.end() || it->second + per_chat_interval_ <= now) return std::nullopt;
    return it->second + per_chat_interval_;
}

millis turn_planner::place(std::string const& chat, int priority, millis free_at, millis interval, millis now) {
    if (last_turn_.size() > 10000) {  // forget chats whose turns have all passed
        std::erase_if(last_turn_, [&](auto const& entry) {
            return std::all_of(entry.second.begin(), entry.second.end(),
                               [&](auto const& turn) { return turn.second < now; });
        });
    }
    auto& turns = last_turn_[chat];
    millis at = free_at;
    for (auto const& [level, last] : turns)
        if (level <= priority && last >= now) at = std::max(at, last + interval);
    turns[priority] = at;
    return at;
}

}  // namespace signoff
