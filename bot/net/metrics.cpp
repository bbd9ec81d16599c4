#include "bot/net/metrics.hpp"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <stdexcept>

namespace signoff {

namespace {

std::string format_number(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc{} ? std::string(buf, end) : "NaN";
}

// HELP text escapes backslash and newline; label values also escape the double quote.
std::string escape(std::string_view text, bool quote) {
    std::string out;
    for (char c : text) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else if (c == '"' && quote) out += "\\\"";
        else out.push_back(c);
    }
    return out;
}

// `code="200",method="GET"`: the series key, and the text between the braces when rendering.
std::string render_labels(metric_labels const& labels) {
    std::string out;
    for (auto const& [name, value] : labels) {
        if (!out.empty()) out += ',';
        out += name + "=\"" + escape(value, true) + '"';
    }
    return out;
}

std::string braces(std::string const& labels) { return labels.empty() ? "" : "{" + labels + "}"; }

double resident_memory_bytes() {
    std::ifstream statm("/proc/self/statm");
    double size = 0, resident = 0;
    if (!(statm >> size >> resident)) return 0;
    return resident * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

template <class Series>
Series& find_series(std::map<std::string, std::unique_ptr<Series>>& series, metric_labels const& labels) {
    auto& slot = series[render_labels(labels)];
    if (!slot) slot = std::make_unique<Series>();
    return *slot;
}

}  // namespace

histogram::histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void histogram::observe(double value) {
    std::size_t i = 0;
    while (i < bounds_.size() && value > bounds_[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
}

std::vector<std::uint64_t> histogram::cumulative() const {
    std::vector<std::uint64_t> out(bounds_.size() + 1);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = total += buckets_[i].load(std::memory_order_relaxed);
    return out;
}

metrics& metrics::global() {
    static metrics registry;
    return registry;
}

metrics::family& metrics::find_family(std::string const& name, std::string const& help, kind type) {
    auto [it, inserted] = families_.try_emplace(name);
    if (inserted) {
        it->second.type = type;
        it->second.help = help;
    } else if (it->second.type != type) {
        throw std::logic_error("metric " + name + " is already registered with another type");
    }
    return it->second;
}

counter& metrics::counter(std::string const& name, std::string const& help, metric_labels labels) {
    std::lock_guard lock(mutex_);
    return find_series(find_family(name, help, kind::counter).counters, labels);
}

gauge& metrics::gauge(std::string const& name, std::string const& help, metric_labels labels) {
    std::lock_guard lock(mutex_);
    return find_series(find_family(name, help, kind::gauge).gauges, labels);
}

histogram& metrics::histogram(std::string const& name, std::string const& help, metric_labels labels,
                              std::vector<double> bounds) {
    std::lock_guard lock(mutex_);
    auto& series = find_family(name, help, kind::histogram).histograms[render_labels(labels)];
    if (!series)
        series = bounds.empty() ? std::make_unique<signoff::histogram>() : std::make_unique<signoff::histogram>(bounds);
    return *series;
}

std::string metrics::render() const {
    std::string out;
    auto header = [&out](std::string const& name, std::string const& help, std::string_view type) {
        out += "# HELP " + name + ' ' + escape(help, false) + "\n# TYPE " + name + ' ' + std::string(type) + '\n';
    };
    std::lock_guard lock(mutex_);
    for (auto const& [name, f] : families_) {
        switch (f.type) {
            case kind::counter:
                header(name, f.help, "counter");
                for (auto const& [labels, c] : f.counters)
                    out += name + braces(labels) + ' ' + std::to_string(c->value()) + '\n';
                break;
            case kind::gauge:
                header(name, f.help, "gauge");
                for (auto const& [labels, g] : f.gauges)
                    out += name + braces(labels) + ' ' + format_number(g->value()) + '\n';
                break;
            case kind::histogram:
                header(name, f.help, "histogram");
                for (auto const& [labels, h] : f.histograms) {
                    auto counts = h->cumulative();
                    auto prefix = labels.empty() ? std::string() : labels + ',';
                    auto const& bounds = h->bounds();
                    for (std::size_t i = 0; i < counts.size(); ++i) {
                        auto le = i < bounds.size() ? format_number(bounds[i]) : "+Inf";
                        out += name + "_bucket{" + prefix + "le=\"" + le + "\"} " + std::to_string(counts[i]) + '\n';
                    }
                    out += name + "_sum" + braces(labels) + ' ' + format_number(h->sum()) + '\n';
                    out += name + "_count" + braces(labels) + ' ' + std::to_string(counts.back()) + '\n';
                }
                break;
        }
    }
    header("process_resident_memory_bytes", "Resident memory size in bytes.", "gauge");
    out += "process_resident_memory_bytes " + format_number(resident_memory_bytes()) + '\n';
    return out;
}

}  // namespace signoff
