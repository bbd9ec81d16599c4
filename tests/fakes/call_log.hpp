#pragma once
// What a fake received, in arrival order, for tests to read and wait on. Thread-safe: the fake's
// thread adds, the test's thread reads, waits and clears.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <mutex>
#include <utility>
#include <vector>

namespace signoff::test {

template <class Call>
class call_log {
  public:
    void add(Call c) {
        std::lock_guard lock(mutex_);
        calls_.push_back(std::move(c));
        ++version_;
        changed_.notify_all();
    }

    void clear() {
        std::lock_guard lock(mutex_);
        calls_.clear();
        ++version_;
        changed_.notify_all();
    }

    std::vector<Call> all() const {  // a copy
        std::lock_guard lock(mutex_);
        return calls_;
    }

    std::vector<Call> matching(std::function<bool(Call const&)> const& match) const {
        auto out = all();
        std::erase_if(out, [&](Call const& c) { return !match(c); });
        return out;
    }

    // Waits until `pred(all())` holds or the timeout passes; returns whether it held. `pred` runs
    // on the caller's thread without the lock held, on a fresh copy after each change.
    bool wait_for(std::function<bool(std::vector<Call> const&)> const& pred, std::chrono::milliseconds timeout) const {
        auto const deadline = std::chrono::steady_clock::now() + timeout;
        std::unique_lock lock(mutex_);
        for (;;) {
            auto const seen = version_;
            auto const snapshot = calls_;
            lock.unlock();
            if (pred(snapshot)) return true;
            lock.lock();
            if (!changed_.wait_until(lock, deadline, [&] { return version_ != seen; })) return false;
        }
    }

    // Waits until at least `count` calls satisfy `match` (any call, when `match` is empty).
    bool wait_for_count(std::size_t count, std::chrono::milliseconds timeout,
                        std::function<bool(Call const&)> const& match = {}) const {
        return wait_for(
            [&](std::vector<Call> const& all) {
                auto const n = match ? std::count_if(all.begin(), all.end(), match) : std::ssize(all);
                return static_cast<std::size_t>(n) >= count;
            },
            timeout);
    }

  private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<Call> calls_;
    std::uint64_t version_ = 0;  // bumped on every change
};

}  // namespace signoff::test
