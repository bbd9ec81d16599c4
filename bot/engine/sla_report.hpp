#pragma once
// The SLA report of SPEC §5 (`GET /api/v1/reports/sla`), computed from item timelines: per
// role (with its head), the items submitted in the period, how many were handled (a draft's
// decision, a complaint's final reply) on time or late, how many are still open past their due,
// the median and 90th-percentile time to handling, and the escalations. A pure function.

#include "bot/core/time.hpp"
#include "config/config.hpp"
#include "bot/core/item.hpp"

#include <optional>
#include <string>
#include <vector>

namespace signoff::engine {

struct sla_row {
    std::string role;  // "" for the total row
    std::string head;  // the role's head (person id); "" for the total row
    int items = 0;     // submitted in the period
    int handled = 0;   // decided or answered
    int on_time = 0;   // handled by the due time they were submitted with
    int late = 0;      // handled after it, or still open past it at the report's time
    int open = 0;      // not handled and not yet due
    std::optional<double> median_hours;  // time from submission to handling, of the handled ones
    std::optional<double> p90_hours;
    int escalations = 0;  // escalation events of these items
    // on_time / (on_time + late): the share of items that met their due; nullopt when none has yet.
    std::optional<double> on_time_rate() const;
};

struct sla_report {
    std::vector<sla_row> rows;  // one per role that has items, in the configuration's order
    sla_row total;
};

sla_report compute_sla_report(config::config const& cfg, std::vector<item_timeline> const& items, millis now);

// The report as CSV (RFC 4180), one line per role and a last line "total".
std::string sla_report_csv(sla_report const& report);

}  // namespace signoff::engine
