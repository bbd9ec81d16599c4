#include "bot/api/operations.hpp"

#include "bot/core/log.hpp"
#include "store/health.hpp"

#include <algorithm>

namespace signoff {

void add_readiness_route(router& routes, app& a) {
    routes.add("GET", "/readyz", [&a](http_request const&, route_params const&) -> boost::asio::awaitable<http_response> {
        // An empty job still takes the write lock (BEGIN IMMEDIATE) and commits on the writer's
        // thread: the store takes writes and the writer is not wedged.
        bool writable = true;
        try {
            co_await a.writer.write([](store::write_tx&) {});
        } catch (std::exception const&) {
            writable = false;
        }
        if (!writable) co_return error_response(503, "store_not_writable", "the store does not take writes");
        auto oldest = a.readers.with([](sqlite::database& db) { return store::oldest_due_queued(db); });
        millis waited = oldest ? a.clk.now() - *oldest : 0;
        if (waited > outbox_stuck_after)
            co_return error_response(503, "outbox_stuck",
                                     "an outbound message has been due for " + std::to_string(waited / ms_per_second) +
                                         " s (the limit is " + std::to_string(outbox_stuck_after / ms_per_second) + " s)");
        co_return json_response(200, {{"status", "ready"}});
    });
}

void store_gauges::refresh() {
    millis now = app_.clk.now();
    std::vector<store::channel_backlog> backlog;
    std::vector<store::role_load> load;
    try {
        backlog = app_.readers.with([](sqlite::database& db) { return store::outbox_backlog(db); });
        load = app_.readers.with([now](sqlite::database& db) { return store::open_items_by_role(db, now); });
    } catch (std::exception const& e) {
        // The rest of /metrics still renders; the gauges keep their last values.
        log::warn("metrics.store_unreadable", {{"error", e.what()}});
        return;
    }
    auto& r = app_.registry;
    auto queued = [&r](std::string const& channel) -> gauge& {
        return r.gauge("signoff_outbox_queued", "Outbound messages waiting for delivery, by channel",
                       {{"channel", channel}});
    };
    auto oldest = [&r](std::string const& channel) -> gauge& {
        return r.gauge("signoff_outbox_oldest_queued_age_seconds",
                       "Age of the oldest outbound message waiting for delivery, by channel", {{"channel", channel}});
    };
    std::lock_guard lock(mutex_);
    for (auto const& channel : channels_seen_) {
        queued(channel).set(0);
        oldest(channel).set(0);
    }
    for (auto const& b : backlog) {
        channels_seen_.insert(b.channel);
        queued(b.channel).set(static_cast<double>(b.queued));
        oldest(b.channel).set(static_cast<double>(std::max<millis>(0, now - b.oldest_created)) / ms_per_second);
    }
    auto open = [&r](std::string const& role) -> gauge& {
        return r.gauge("signoff_items_open", "Items waiting for an approver or responder, by role", {{"role", role}});
    };
    auto overdue = [&r](std::string const& role) -> gauge& {
        return r.gauge("signoff_items_overdue", "Open items past their due time, by role", {{"role", role}});
    };
    for (auto const& role : app_.cfg.roles) {
        open(role.id).set(0);
        overdue(role.id).set(0);
    }
    for (auto const& l : load) {
        open(l.role).set(static_cast<double>(l.open));
        overdue(l.role).set(static_cast<double>(l.overdue));
    }
}

}  // namespace signoff
