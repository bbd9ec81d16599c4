#include "bot/core/log.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>

namespace signoff::log {

namespace {
std::atomic<level> threshold{level::info};

constexpr std::string_view level_name(level l) {
    switch (l) {
        case level::debug: return "debug";
        case level::info: return "info";
        case level::warn: return "warn";
        case level::error: return "error";
    }
    return "info";
}

void append_timestamp(std::string& out) {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                          tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    out.append(buf, static_cast<std::size_t>(n));
}

void append_json(std::string& out, nlohmann::json const& value) {
    out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Lines wait here and go to stderr in one write every flush_interval (or at once when the buffer
// is full, for a warning or an error, and at exit): at thousands of requests a second a write
// per line was a tenth of the server's CPU. A kill -9 can lose at most the last interval's
// info lines; warnings and errors are never held.
class sink {
  public:
    static constexpr auto flush_interval = std::chrono::milliseconds(20);
    static constexpr std::size_t flush_bytes = 64 * 1024;

    void add(std::string const& line, bool urgent) {
        std::unique_lock lock(mutex_);
        buffer_ += line;
        if (urgent || buffer_.size() >= flush_bytes) {
            flush_locked();
            return;
        }
        if (!flusher_started_) {
            flusher_started_ = true;
            std::thread([this] { run(); }).detach();  // the sink is never destroyed: nothing to join
        }
    }

    void flush() {
        std::lock_guard lock(mutex_);
        flush_locked();
    }

  private:
    void run() {
        for (;;) {
            std::this_thread::sleep_for(flush_interval);
            flush();
        }
    }

    void flush_locked() {
        std::size_t done = 0;
        while (done < buffer_.size()) {
            auto n = ::write(STDERR_FILENO, buffer_.data() + done, buffer_.size() - done);
            if (n <= 0) break;  // stderr closed or full: the lines are dropped, never the server
            done += static_cast<std::size_t>(n);
        }
        buffer_.clear();
    }

    std::mutex mutex_;
    std::string buffer_;
    bool flusher_started_ = false;
};

sink& the_sink() {
    static sink* const s = [] {
        auto* made = new sink;  // leaked on purpose: lines logged during static destruction still go out
        std::atexit([] { the_sink().flush(); });
        return made;
    }();
    return *s;
}
}  // namespace

void set_threshold(level lowest) { threshold = lowest; }
bool enabled(level l) { return l >= threshold.load(std::memory_order_relaxed); }

void write(level l, std::string_view event, nlohmann::json fields) {
    if (!enabled(l)) return;
    std::string line;
    line.reserve(256);
    line += "{\"ts\":\"";
    append_timestamp(line);
    line += "\",\"level\":\"";
    line += level_name(l);
    line += "\",\"event\":";
    append_json(line, event);
    if (fields.is_object())
        for (auto const& [key, value] : fields.items()) {
            line += ',';
            append_json(line, key);
            line += ':';
            append_json(line, value);
        }
    line += "}\n";
    the_sink().add(line, l >= level::warn);
}

void flush() { the_sink().flush(); }

}  // namespace signoff::log
