#include "bot/api/operations.hpp"

#include "bot/core/log.hpp"
#include "store/health.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <memory>

namespace signoff {

namespace {

// Whether an empty job commits within `limit`. The job still takes the write lock (BEGIN
// IMMEDIATE) on the writer's thread, so this proves the store takes writes and the writer is not
// wedged. The wait is bounded because a job queued behind one that is itself waiting out the busy
// timeout would otherwise keep the probe for two timeouts.
boost::asio::awaitable<bool> commits_within(store::writer& writer, std::chrono::milliseconds limit) {
    struct probe {
        explicit probe(boost::asio::any_io_executor ex) : timer(ex) {}
        boost::asio::steady_timer timer;
        bool done = false;
        bool committed = false;
    };
    auto ex = co_await boost::asio::this_coro::executor;  // the connection's strand: both handlers run there
    auto state = std::make_shared<probe>(ex);
    writer.write([](store::write_tx&) {}, boost::asio::bind_executor(ex, [state](std::exception_ptr error) {
                     state->done = true;
                     state->committed = !error;
                     state->timer.cancel();
                 }));
    if (!state->done) {
        state->timer.expires_after(limit);
        boost::system::error_code ec;
        co_await state->timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    }
    co_return state->committed;
}

}  // namespace

void add_readiness_route(router& routes, app& a) {
    routes.add("GET", "/readyz", [&a](http_request const&, route_params const&) -> boost::asio::awaitable<http_response> {
        if (!co_await commits_within(a.writer, readiness_write_limit))
            co_return error_response(503, "store_not_writable",
                                     "the store did not take a write within " +
                                         std::to_string(readiness_write_limit.count() / 1000) + " s");
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
