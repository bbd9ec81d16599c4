#include "bot/scheduler/scheduler.hpp"

#include "bot/actions/actions.hpp"
#include "bot/engine/deadlines.hpp"
#include "bot/engine/digest_time.hpp"
#include "bot/core/log.hpp"
#include "bot/actions/notify.hpp"
#include "store/audit.hpp"
#include "store/items.hpp"
#include "store/retention.hpp"
#include "store/schedule.hpp"
#include "store/sessions.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cmath>

namespace signoff {

namespace net = boost::asio;

namespace {
constexpr int items_per_tick = 500;
// A digest missed by a restart shortly after its time is still sent; a later start waits for tomorrow.
constexpr millis digest_catch_up = ms_per_hour;
// Retention deletes in short write transactions between requests: at most this many rows of
// each kind per transaction, and this many transactions per pass (the rest waits a tick).
constexpr int rows_per_prune = 500;
constexpr int prunes_per_pass = 20;
// Retention is counted in days: a look every this many ticks is plenty, and a quiet server then
// commits nothing (and calls fsync for nothing) between them. A pass that left rows waiting
// comes back on the next tick.
constexpr int ticks_per_prune = 60;

millis days_to_ms(double days) { return std::llround(days * 24 * static_cast<double>(ms_per_hour)); }
}  // namespace

struct scheduler::impl : std::enable_shared_from_this<impl> {
    impl(net::io_context& ioc, app& a, millis t)
        : strand(net::make_strand(ioc)),
          timer(strand),
          application(a),
          tick(t),
          ticks_total(a.registry.counter("signoff_scheduler_ticks_total", "Scheduler passes completed")),
          lag_seconds(a.registry.gauge("signoff_scheduler_lag_seconds",
                                       "Seconds from when the last scheduler pass was due until it finished")),
          last_pass_seconds(a.registry.gauge("signoff_scheduler_last_pass_timestamp_seconds",
                                             "Unix time the last scheduler pass finished without an error")) {}

    net::strand<net::io_context::executor_type> strand;
    net::steady_timer timer;
    app& application;
    millis tick;
    counter& ticks_total;  // passes that ended without an error; tests wait on the next one
    gauge& lag_seconds;
    gauge& last_pass_seconds;
    bool stopping = false;
    int ticks_to_prune = 0;     // 0: prune on this pass
    std::string tip_logged_on;  // the local date the audit tip was last logged

    // Once a day (on the first pass of each local date, so also at start) the audit chain's tip
    // goes to the log, a copy outside the store for `signoff audit verify --tip`.
    void log_audit_tip(millis now) {
        auto date = local_date(application.cfg.timezone, now);
        if (date == tip_logged_on) return;
        auto tip = application.readers.with([](sqlite::database& db) { return store::read_tip(db); });
        log::info("audit.tip", {{"id", tip.id}, {"hash", tip.hash}, {"date", date}});
        tip_logged_on = std::move(date);
    }

    actions::context context(millis now) const {
        return {.cfg = application.cfg, .now = now, .recorded_by = std::nullopt, .channel = "scheduler"};
    }

    net::awaitable<void> fire_timers(millis now) {
        auto const& cfg = application.cfg;
        millis horizon = now + hours_to_ms(cfg.sla.remind_before_hours);
        auto ids = application.readers.with(
            [&](sqlite::database& db) { return store::items_with_timers_before(db, horizon, items_per_tick); });
        for (auto id : ids) {
            auto it = application.readers.with([&](sqlite::database& db) { return store::find_item(db, id); });
            if (!it) continue;
            for (auto const& t : engine::due_timers(cfg.sla, *it, now)) {
                std::string kind(engine::timer_name(t.kind));
                bool fired = false;
                co_await application.writer.write([&](store::write_tx& tx) {
                    millis at = application.clk.now();
                    if (!store::claim_timer(tx.db, id, kind, t.at, at)) return;
                    fired = true;
                    auto ctx = context(at);
                    switch (t.kind) {
                        case engine::timer_kind::reminder:
                        case engine::timer_kind::interim_reminder: actions::remind(tx, ctx, id, kind); break;
                        case engine::timer_kind::escalation: actions::escalate(tx, ctx, id, 1, "due"); break;
                        case engine::timer_kind::urgent_escalation: actions::escalate(tx, ctx, id, 1, "urgent"); break;
                        case engine::timer_kind::second_escalation:
                            actions::escalate(tx, ctx, id, 2, "still due");
                            break;
                    }
                });
                if (fired) log::info("timer.fired", {{"item", id}, {"kind", kind}});
            }
        }
    }

    net::awaitable<void> remind_publications(millis now) {
        auto ids = application.readers.with(
            [&](sqlite::database& db) { return store::publications_due(db, now, items_per_tick); });
        for (auto id : ids) {
            co_await application.writer.write(
                [&](store::write_tx& tx) { actions::remind_publication(tx, context(application.clk.now()), id); });
            log::info("timer.fired", {{"item", id}, {"kind", "publication"}});
        }
    }

    net::awaitable<void> send_digests(millis now) {
        auto const& cfg = application.cfg;
        // The latest digest instant not after now (days are 23 to 25 hours long across DST).
        millis today = next_daily_at(cfg.timezone, cfg.sla.digest_at, now - 48 * ms_per_hour);
        for (millis next = next_daily_at(cfg.timezone, cfg.sla.digest_at, today); next <= now;
             next = next_daily_at(cfg.timezone, cfg.sla.digest_at, today))
            today = next;
        if (today > now || now - today > digest_catch_up) co_return;
        auto date = local_date(cfg.timezone, today);
        auto people = application.readers.with([](sqlite::database& db) { return store::people_with_open_items(db); });
        for (auto const& person : people) {
            co_await application.writer.write([&](store::write_tx& tx) {
                if (!store::claim_digest(tx.db, person, date, application.clk.now())) return;
                notify::digest(tx, cfg, person, date, application.clk.now());
            });
        }
    }

    // Returns whether rows past retention may still be waiting.
    net::awaitable<bool> prune_history(millis now) {
        auto const& s = application.cfg.store;
        store::retention_cutoffs cutoffs{.outbox_before = now - days_to_ms(s.outbox_retention_days),
                                         .inbound_before = now - days_to_ms(s.inbound_retention_days)};
        store::pruned_rows total;
        bool more = false;
        for (int pass = 0; pass < prunes_per_pass; ++pass) {
            store::pruned_rows batch;
            co_await application.writer.write(
                [&](store::write_tx& tx) { batch = store::prune(tx.db, cutoffs, rows_per_prune); });
            total += batch;
            more = batch.filled(rows_per_prune);
            if (!more) break;
        }
        // Sign-in links and sessions are kept a day past their expiry, then deleted.
        int sign_ins = 0;
        co_await application.writer.write(
            [&](store::write_tx& tx) { sign_ins = store::prune_sign_ins(tx.db, now - 24 * ms_per_hour, rows_per_prune); });
        if (sign_ins > 0) log::info("retention.pruned_sign_ins", {{"rows", sign_ins}});
        if (total.total() > 0)
            log::info("retention.pruned", {{"outbox", total.outbox},
                                           {"inbound_keys", total.inbound_keys},
                                           {"idempotency", total.idempotency},
                                           {"stranger_refusals", total.stranger_refusals}});
        co_return more || sign_ins >= rows_per_prune;
    }

    net::awaitable<void> run() {
        auto self = shared_from_this();
        auto due = std::chrono::steady_clock::now();
        while (!stopping) {
            millis now = application.clk.now();
            try {
                co_await fire_timers(now);
                co_await remind_publications(now);
                co_await send_digests(now);
                log_audit_tip(now);
                if (ticks_to_prune == 0) ticks_to_prune = co_await prune_history(now) ? 0 : ticks_per_prune;
                else --ticks_to_prune;
                ticks_total.inc();
                lag_seconds.set(std::chrono::duration<double>(std::chrono::steady_clock::now() - due).count());
                last_pass_seconds.set(static_cast<double>(application.clk.now()) / ms_per_second);
            } catch (std::exception const& e) {
                log::error("scheduler.tick_failed", {{"error", e.what()}});
            }
            if (stopping) break;
            timer.expires_after(std::chrono::milliseconds(tick));
            due = timer.expiry();
            boost::system::error_code ec;
            co_await timer.async_wait(net::redirect_error(net::use_awaitable, ec));
        }
    }
};

// NB: config validation keeps tick_seconds at 1 ms or more, so the loop never spins.
scheduler::scheduler(net::io_context& ioc, app& a)
    : impl_(std::make_shared<impl>(ioc, a, std::llround(a.cfg.timers.tick_seconds * ms_per_second))) {}
scheduler::~scheduler() = default;

void scheduler::start() {
    net::co_spawn(impl_->strand, impl_->run(), [](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (std::exception const& ex) {
            log::error("scheduler.stopped_unexpectedly", {{"error", ex.what()}});
        }
    });
}

void scheduler::stop() {
    net::post(impl_->strand, [self = impl_] {
        self->stopping = true;
        self->timer.cancel();
    });
}

}  // namespace signoff
