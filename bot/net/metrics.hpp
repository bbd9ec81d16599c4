#pragma once
// A small thread-safe metrics registry rendered in Prometheus text format 0.0.4. Series are
// created on first use and live as long as the registry, so callers may keep the references:
//   signoff::counter& created = metrics::global().counter("signoff_items_created_total", "Items created");
//   created.inc();

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace signoff {

using metric_labels = std::vector<std::pair<std::string, std::string>>;  // fixed per series, e.g. {{"code", "200"}}

class counter {
public:
    void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

class gauge {
public:
    void set(double v) { value_.store(v, std::memory_order_relaxed); }
    void add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
    double value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0};
};

// Latency in seconds, with fixed buckets from 1 ms to 10 s, unless other bucket bounds are given
// (ascending; e.g. batch sizes).
class histogram {
public:
    static constexpr std::array<double, 13> latency_bounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                              0.25,  0.5,    1,     2.5,  5,     10};

    explicit histogram(std::vector<double> bounds = {latency_bounds.begin(), latency_bounds.end()});
    void observe(double value);
    std::vector<double> const& bounds() const { return bounds_; }
    // Cumulative counts per bound, then the +Inf count (which is the total count).
    std::vector<std::uint64_t> cumulative() const;
    double sum() const { return sum_.load(std::memory_order_relaxed); }

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1; last: above every bound
    std::atomic<double> sum_{0};
};

class metrics {
public:
    // The process-wide registry that /metrics renders.
    static metrics& global();

    // Find or create a series. One name has one type and one help text; asking for a name
    // already registered with another type throws std::logic_error.
    signoff::counter& counter(std::string const& name, std::string const& help, metric_labels labels = {});
    signoff::gauge& gauge(std::string const& name, std::string const& help, metric_labels labels = {});
    // `bounds` count only when the series is created; empty means latency_bounds.
    signoff::histogram& histogram(std::string const& name, std::string const& help, metric_labels labels = {},
                                  std::vector<double> bounds = {});

    // Every series, plus process_resident_memory_bytes read from /proc/self/statm now.
    std::string render() const;

private:
    enum class kind { counter, gauge, histogram };
    struct family {
        kind type;
        std::string help;
        std::map<std::string, std::unique_ptr<signoff::counter>> counters;  // by rendered labels
        std::map<std::string, std::unique_ptr<signoff::gauge>> gauges;
        std::map<std::string, std::unique_ptr<signoff::histogram>> histograms;
    };
    family& find_family(std::string const& name, std::string const& help, kind type);

    mutable std::mutex mutex_;
    std::map<std::string, family> families_;  // by metric name, so render() is sorted
};

}  // namespace signoff
