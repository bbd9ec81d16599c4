#include "bot/engine/sla_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace signoff::engine {

namespace {

// The nearest-rank percentile (p in (0, 1]) of sorted values: what a person counting by hand gets.
double percentile(std::vector<double> const& sorted, double p) {
    auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted[std::max<std::size_t>(rank, 1) - 1];
}

double two_decimals(double v) { return std::round(v * 100) / 100; }

void add(sla_row& row, item_timeline const& t, millis now, std::vector<double>& hours) {
    ++row.items;
    row.escalations += t.escalations;
    if (t.handled) {
        ++row.handled;
        if (*t.handled <= t.due) ++row.on_time;
        else ++row.late;
        hours.push_back(static_cast<double>(*t.handled - t.created) / static_cast<double>(ms_per_hour));
    } else if (t.due < now) {
        ++row.late;
    } else {
        ++row.open;
    }
}

void finish(sla_row& row, std::vector<double>& hours) {
    if (hours.empty()) return;
    std::sort(hours.begin(), hours.end());
    auto const n = hours.size();
    row.median_hours = two_decimals(n % 2 ? hours[n / 2] : (hours[n / 2 - 1] + hours[n / 2]) / 2);
    row.p90_hours = two_decimals(percentile(hours, 0.9));
}

std::string csv_field(std::string const& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string number(std::optional<double> v) {
    if (!v) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", *v);
    return buf;
}

std::string rate(std::optional<double> v) {
    if (!v) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", *v);
    return buf;
}

}  // namespace

std::optional<double> sla_row::on_time_rate() const {
    if (on_time + late == 0) return std::nullopt;
    return std::round(1000.0 * on_time / (on_time + late)) / 1000;
}

sla_report compute_sla_report(config::config const& cfg, std::vector<item_timeline> const& items, millis now) {
    std::map<std::string, std::pair<sla_row, std::vector<double>>> by_role;
    sla_report report;
    std::vector<double> all_hours;
    for (auto const& t : items) {
        auto& [row, hours] = by_role[t.role];
        add(row, t, now, hours);
        add(report.total, t, now, all_hours);
    }
    // Roles in the configuration's order, then any the configuration no longer has.
    auto take = [&](std::string const& role) {
        auto it = by_role.find(role);
        if (it == by_role.end()) return;
        auto& [row, hours] = it->second;
        row.role = role;
        if (auto const* r = cfg.find_role(role)) row.head = r->head;
        finish(row, hours);
        report.rows.push_back(row);
        by_role.erase(it);
    };
    for (auto const& r : cfg.roles) take(r.id);
    while (!by_role.empty()) take(by_role.begin()->first);
    finish(report.total, all_hours);
    return report;
}

std::string sla_report_csv(sla_report const& report) {
    std::string out = "role,head,items,handled,on_time,late,open,on_time_rate,median_hours,p90_hours,escalations\r\n";
    auto line = [&](sla_row const& r, std::string const& role) {
        out += csv_field(role) + "," + csv_field(r.head) + "," + std::to_string(r.items) + "," +
               std::to_string(r.handled) + "," + std::to_string(r.on_time) + "," + std::to_string(r.late) + "," +
               std::to_string(r.open) + "," + rate(r.on_time_rate()) + "," + number(r.median_hours) + "," + number(r.p90_hours) + "," +
               std::to_string(r.escalations) + "\r\n";
    };
    for (auto const& r : report.rows) line(r, r.role);
    line(report.total, "total");
    return out;
}

}  // namespace signoff::engine
