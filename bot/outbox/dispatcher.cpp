#include "bot/outbox/dispatcher.hpp"

#include "bot/core/log.hpp"
#include "bot/outbox/render.hpp"
#include "store/audit.hpp"
#include "store/keys.hpp"
#include "store/outbox.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <map>
#include <set>

namespace signoff {

namespace net = boost::asio;

namespace {
constexpr int batch_limit = 64;
// Commits wake the dispatcher; under a burst of them it looks at the store at most this often.
constexpr std::chrono::milliseconds min_scan_interval{20};
}

struct outbox_dispatcher::impl : std::enable_shared_from_this<impl> {
    impl(net::io_context& ioc, app& a, channels::channel_set& c, dispatcher_options o)
        : strand(net::make_strand(ioc)),
          timer(strand),
          application(a),
          channels(c),
          options(o),
          client(strand),
          rng(std::random_device{}()),
          sent_total(a.registry.counter("signoff_outbox_sent_total", "Outbound messages delivered")),
          retried_total(a.registry.counter("signoff_outbox_retries_total", "Outbound delivery attempts to retry")),
          dead_total(a.registry.counter("signoff_outbox_dead_total", "Outbound messages given up on")) {}

    net::strand<net::io_context::executor_type> strand;
    net::steady_timer timer;
    app& application;
    channels::channel_set& channels;
    dispatcher_options options;
    http_client client;
    std::map<std::string, rate_limiter, std::less<>> limits;  // per channel name
    std::mt19937 rng;
    std::set<std::int64_t> in_flight;
    bool stopping = false;
    bool woken = false;  // a wake-up arrived while the loop was busy: look again before sleeping
    // Per channel, set while its credential is being fetched: other deliveries wait on it, so
    // one fetch serves them all.
    std::map<std::string, std::shared_ptr<net::steady_timer>, std::less<>> credential_fetches;
    std::chrono::steady_clock::time_point last_scan{};
    counter& sent_total;
    counter& retried_total;
    counter& dead_total;

    // signoff_outbox_deliveries_total{channel, result}: result is sent, retry, window_closed or dead.
    void count_delivery(std::string const& channel, char const* result) {
        application.registry
            .counter("signoff_outbox_deliveries_total", "Delivery outcomes by channel and result",
                     {{"channel", channel}, {"result", result}})
            .inc();
    }

    rate_limiter& limiter_for(std::string const& channel, channels::channel const* ch) {
        auto it = limits.find(channel);
        if (it == limits.end()) {
            auto r = ch ? ch->rate() : channels::rate{};
            it = limits.emplace(channel, rate_limiter(r.per_second, r.per_chat)).first;
        }
        return it->second;
    }

    net::awaitable<void> run() {
        auto self = shared_from_this();
        while (!stopping) {
            for (auto since = std::chrono::steady_clock::now() - last_scan; since < min_scan_interval && !stopping;
                 since = std::chrono::steady_clock::now() - last_scan) {
                timer.expires_after(min_scan_interval - since);
                boost::system::error_code ec;
                co_await timer.async_wait(net::redirect_error(net::use_awaitable, ec));
            }
            if (stopping) break;
            last_scan = std::chrono::steady_clock::now();
            woken = false;
            millis now = application.clk.now();
            millis next = now + options.poll_interval;
            try {
                auto due = application.readers.with(
                    [&](sqlite::database& db) { return store::due_messages(db, now, batch_limit); });
                for (auto& m : due) {
                    if (in_flight.contains(m.id)) continue;
                    if (static_cast<int>(in_flight.size()) >= options.max_in_flight) break;
                    auto* ch = channels.find(m.channel);
                    // The rate limit is checked before rendering: a busy chat's backlog costs no work.
                    if (auto later = limiter_for(m.channel, ch).acquire(ch ? rate_key_of(m, *ch) : "", now)) {
                        next = std::min(next, *later);
                        continue;
                    }
                    auto rendered = application.readers.with(
                        [&](sqlite::database& db) { return render_outbox(application.cfg, db, m, ch, now); });
                    if (rendered.skip) {
                        co_await application.writer.write([&](store::write_tx& tx) {
                            store::mark_sent(tx, m.id, m.attempts, std::nullopt, application.clk.now());
                        });
                        continue;
                    }
                    if (rendered.requests.empty()) {
                        co_await give_up(m, m.attempts, "cannot render: " + rendered.why);
                        continue;
                    }
                    in_flight.insert(m.id);
                    net::co_spawn(strand, deliver(std::move(m), *ch, std::move(rendered)), net::detached);
                }
                // Rows already due but skipped (in flight, or over the in-flight cap) are looked at
                // again when a delivery finishes; rate-limited ones set `next` above.
                auto due_at =
                    application.readers.with([&](sqlite::database& db) { return store::next_due_after(db, now); });
                if (due_at) next = std::min(next, *due_at);
            } catch (std::exception const& e) {
                log::error("outbox.cycle_failed", {{"error", e.what()}});
            }
            if (stopping) break;
            if (woken) {
                woken = false;
                continue;
            }
            timer.expires_after(std::chrono::milliseconds(std::max<millis>(1, next - application.clk.now())));
            boost::system::error_code ec;
            co_await timer.async_wait(net::redirect_error(net::use_awaitable, ec));
        }
    }

    // Makes sure the channel holds a valid credential, when it needs one; false when none can be
    // had now. One fetch at a time per channel.
    net::awaitable<bool> ensure_credential(channels::channel& ch, std::string& error) {
        auto request = ch.credential_request(application.clk.now());
        if (!request) co_return true;
        auto const key = std::string(ch.name());
        if (auto running = credential_fetches.find(key); running != credential_fetches.end()) {
            auto fetch = running->second;
            boost::system::error_code ec;
            co_await fetch->async_wait(net::redirect_error(net::use_awaitable, ec));
            if (!ch.credential_request(application.clk.now())) co_return true;
            error = "no " + key + " credential";
            co_return false;
        }
        auto fetch = std::make_shared<net::steady_timer>(strand, net::steady_timer::time_point::max());
        credential_fetches[key] = fetch;
        auto response = co_await client.fetch(*request);
        bool got = false;
        if (response.error.empty()) got = ch.accept_credential(response.status, response.body, application.clk.now(), error);
        else error = response.error;
        if (got) log::info("outbox.credential_refreshed", {{"channel", key}});
        else log::warn("outbox.credential_failed", {{"channel", key}, {"error", error}});
        credential_fetches.erase(key);
        fetch->cancel();
        co_return got;
    }

    // Sends one request; when the channel refuses its credential, fetches a fresh one and tries
    // once more, so the message is not lost.
    net::awaitable<chat::send_result> send_one(store::outbox_message const& m, channels::channel& ch,
                                               http_call const& request, fetch_response& response) {
        for (int round = 0; round < 2; ++round) {
            if (round > 0) ch.drop_credential();
            std::string error;
            if (!co_await ensure_credential(ch, error))
                co_return chat::send_result{chat::send_result::outcome::retry, {}, {}, error};
            auto req = request;
            ch.authorise(req);
            response = co_await client.fetch(req);
            if (!response.error.empty())
                co_return chat::send_result{chat::send_result::outcome::retry, {}, {}, response.error};
            auto result = ch.read_result(response.status, response.body);
            if (!result.credential_rejected) co_return result;
            log::info("outbox.credential_rejected", {{"outbox_id", m.id}, {"channel", m.channel}, {"error", result.error}});
        }
        co_return chat::send_result{chat::send_result::outcome::retry, {}, {}, m.channel + " refused a fresh credential"};
    }

    net::awaitable<void> deliver(store::outbox_message m, channels::channel& ch, channels::rendering rendered) {
        auto self = shared_from_this();
        auto started = std::chrono::steady_clock::now();
        int attempts = m.attempts + 1;
        fetch_response response;
        // A row may take several requests (a long WhatsApp card); a failure retries the row.
        auto send_all = [&](std::vector<http_call> const& requests) -> net::awaitable<chat::send_result> {
            chat::send_result last;
            for (auto const& request : requests) {
                last = co_await send_one(m, ch, request, response);
                if (last.result != chat::send_result::outcome::sent) break;
            }
            co_return last;
        };
        auto result = co_await send_all(rendered.requests);
        if (result.result == chat::send_result::outcome::give_up && !rendered.fallback.empty())
            result = co_await send_all(rendered.fallback);
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        nlohmann::json fields = {{"outbox_id", m.id}, {"channel", m.channel}, {"purpose", m.purpose},
                                 {"attempt", attempts}, {"status", response.status}, {"ms", ms.count()}};
        try {
            if (result.result == chat::send_result::outcome::sent) {
                co_await application.writer.write([&](store::write_tx& tx) {
                    store::mark_sent(tx, m.id, attempts, result.message_id, application.clk.now(),
                                     rendered.as_template);
                });
                sent_total.inc();
                count_delivery(m.channel, "sent");
                log::info("outbox.sent", fields);
            } else if (result.window_closed && !rendered.as_template && attempts < options.retry.max_attempts) {
                // The platform refused free text outside its window: note it, and the next try
                // sends the template.
                co_await application.writer.write([&](store::write_tx& tx) {
                    millis now = application.clk.now();
                    store::note_window_closed(tx.db, m.channel, m.address.value_or(""));
                    store::reschedule(tx, m.id, attempts, now, result.error, now);
                });
                count_delivery(m.channel, "window_closed");
                log::info("outbox.window_closed", fields);
            } else if (result.result == chat::send_result::outcome::retry && attempts < options.retry.max_attempts) {
                millis wait = options.retry.delay(attempts, result.retry_after, rng);
                co_await application.writer.write([&](store::write_tx& tx) {
                    millis now = application.clk.now();
                    store::reschedule(tx, m.id, attempts, now + wait, result.error, now);
                });
                retried_total.inc();
                count_delivery(m.channel, "retry");
                fields["error"] = result.error;
                fields["retry_in_ms"] = wait;
                log::warn("outbox.retry", fields);
            } else {
                co_await give_up(m, attempts, result.error);
            }
        } catch (std::exception const& e) {
            log::error("outbox.record_failed", {{"outbox_id", m.id}, {"error", e.what()}});
        }
        in_flight.erase(m.id);
        poke();  // look for more work now
    }

    void poke() {
        woken = true;
        timer.cancel();
    }

    net::awaitable<void> give_up(store::outbox_message const& m, int attempts, std::string const& error) {
        co_await application.writer.write([&](store::write_tx& tx) {
            millis now = application.clk.now();
            store::mark_dead(tx, m.id, attempts, error, now);
            store::event_record e;
            e.at = now;
            e.type = "message_dead";
            e.item = m.item;
            e.revision = m.revision;
            e.channel = m.channel;
            e.data = {{"outbox_id", m.id}, {"recipient", m.recipient ? nlohmann::json(*m.recipient) : nlohmann::json()},
                      {"purpose", m.purpose}, {"attempts", attempts}, {"error", error}};
            store::append_event(tx, e);
        });
        dead_total.inc();
        count_delivery(m.channel, "dead");
        log::warn("outbox.dead", {{"outbox_id", m.id}, {"channel", m.channel}, {"purpose", m.purpose},
                                  {"attempts", attempts}, {"error", error}});
    }
};

outbox_dispatcher::outbox_dispatcher(net::io_context& ioc, app& a, channels::channel_set& channels,
                                     dispatcher_options options)
    : impl_(std::make_shared<impl>(ioc, a, channels, options)) {}

outbox_dispatcher::~outbox_dispatcher() = default;

void outbox_dispatcher::start() {
    net::co_spawn(impl_->strand, impl_->run(), [](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (std::exception const& ex) {
            log::error("outbox.stopped_unexpectedly", {{"error", ex.what()}});
        }
    });
}

void outbox_dispatcher::wake() {
    net::post(impl_->strand, [self = impl_] { self->poke(); });
}

void outbox_dispatcher::stop() {
    net::post(impl_->strand, [self = impl_] {
        self->stopping = true;
        self->timer.cancel();
    });
}

}  // namespace signoff
