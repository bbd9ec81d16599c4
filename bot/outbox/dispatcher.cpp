#include "bot/outbox/dispatcher.hpp"

#include "bot/core/log.hpp"
#include "adapters/wecom.hpp"
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

#include <set>

namespace signoff {

namespace net = boost::asio;

namespace {
constexpr int batch_limit = 64;
// Commits wake the dispatcher; under a burst of them it looks at the store at most this often.
constexpr std::chrono::milliseconds min_scan_interval{20};
}

struct outbox_dispatcher::impl : std::enable_shared_from_this<impl> {
    impl(net::io_context& ioc, app& a, dispatcher_options o)
        : strand(net::make_strand(ioc)),
          timer(strand),
          application(a),
          options(o),
          client(strand),
          telegram_limit(o.telegram_per_second, o.telegram_per_chat_interval),
          whatsapp_limit(o.whatsapp_per_second, o.whatsapp_per_chat_interval),
          wecom_limit(o.wecom_per_second, o.wecom_per_chat_interval),
          default_limit(o.default_per_second, 0),
          rng(std::random_device{}()),
          sent_total(a.registry.counter("signoff_outbox_sent_total", "Outbound messages delivered")),
          retried_total(a.registry.counter("signoff_outbox_retries_total", "Outbound delivery attempts to retry")),
          dead_total(a.registry.counter("signoff_outbox_dead_total", "Outbound messages given up on")) {}

    net::strand<net::io_context::executor_type> strand;
    net::steady_timer timer;
    app& application;
    dispatcher_options options;
    http_client client;
    rate_limiter telegram_limit;
    rate_limiter whatsapp_limit;
    rate_limiter wecom_limit;
    rate_limiter default_limit;
    std::mt19937 rng;
    std::set<std::int64_t> in_flight;
    bool stopping = false;
    bool woken = false;  // a wake-up arrived while the loop was busy: look again before sleeping
    // WeCom's access token, cached until shortly before it expires (one fetch at a time).
    std::string wecom_token;
    millis wecom_token_expires = 0;
    std::shared_ptr<net::steady_timer> wecom_token_fetch;  // set while a fetch runs; waiters wait on it
    std::chrono::steady_clock::time_point last_scan{};
    counter& sent_total;
    counter& retried_total;
    counter& dead_total;

    rate_limiter& limiter_for(std::string const& channel) {
        if (channel == "telegram") return telegram_limit;
        if (channel == "whatsapp") return whatsapp_limit;
        if (channel == "wecom") return wecom_limit;
        return default_limit;
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
                    // The rate limit is checked before rendering: a busy chat's backlog costs no work.
                    if (auto later = limiter_for(m.channel).acquire(rate_key_of(m), now)) {
                        next = std::min(next, *later);
                        continue;
                    }
                    auto rendered = application.readers.with(
                        [&](sqlite::database& db) { return render_outbox(application.cfg, db, m, now); });
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
                    net::co_spawn(strand, deliver(std::move(m), std::move(rendered)), net::detached);
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

    // The cached WeCom token, fetched when missing or about to expire; "" when it cannot be had.
    net::awaitable<std::string> wecom_access_token(bool refresh) {
        constexpr millis early = 5 * ms_per_minute;
        if (refresh) wecom_token.clear();
        if (!wecom_token.empty() && application.clk.now() < wecom_token_expires) co_return wecom_token;
        if (wecom_token_fetch) {  // another delivery is fetching it: wait for that one
            auto fetch = wecom_token_fetch;
            boost::system::error_code ec;
            co_await fetch->async_wait(net::redirect_error(net::use_awaitable, ec));
            co_return wecom_token;
        }
        wecom_token_fetch = std::make_shared<net::steady_timer>(strand, net::steady_timer::time_point::max());
        auto response = co_await client.fetch(wecom::render_gettoken(application.cfg.channels.wecom));
        auto got = response.error.empty() ? wecom::read_token(response.status, response.body) : wecom::token_result{};
        if (got.token) {
            wecom_token = *got.token;
            wecom_token_expires = application.clk.now() + got.expires_in * ms_per_second - early;
            log::info("wecom.token_refreshed", {{"expires_in", got.expires_in}});
        } else {
            log::warn("wecom.token_failed", {{"error", response.error.empty() ? got.error : response.error}});
        }
        wecom_token_fetch->cancel();
        wecom_token_fetch.reset();
        co_return wecom_token;
    }

    // Sends one request; for WeCom with the access token, refreshed and tried once more when
    // WeCom says it expired (40014/42001), so the message is not lost.
    net::awaitable<chat::send_result> send_one(store::outbox_message const& m, chat::outbound_request request,
                                               fetch_response& response) {
        bool const wecom = m.channel == "wecom";
        auto const placeholder = std::string(wecom_token_placeholder);
        for (int round = 0; round < 2; ++round) {
            auto req = request;
            if (wecom) {
                auto token = co_await wecom_access_token(round > 0);
                if (token.empty()) co_return chat::send_result{chat::send_result::outcome::retry, {}, {}, "no WeCom access token"};
                if (auto at = req.url.find(placeholder); at != std::string::npos) req.url.replace(at, placeholder.size(), token);
            }
            response = co_await client.fetch(req);
            if (!response.error.empty())
                co_return chat::send_result{chat::send_result::outcome::retry, {}, {}, response.error};
            auto result = read_outbox_result(application.cfg, m, response.status, response.body);
            if (!(wecom && result.error.rfind("token:", 0) == 0)) co_return result;
            log::info("wecom.token_rejected", {{"outbox_id", m.id}, {"error", result.error}});
        }
        co_return chat::send_result{chat::send_result::outcome::retry, {}, {}, "WeCom refused a fresh access token"};
    }

    net::awaitable<void> deliver(store::outbox_message m, rendered_request rendered) {
        auto self = shared_from_this();
        auto started = std::chrono::steady_clock::now();
        int attempts = m.attempts + 1;
        fetch_response response;
        // A row may take several requests (a long WhatsApp card); a failure retries the row.
        auto send_all = [&](std::vector<chat::outbound_request> const& requests) -> net::awaitable<chat::send_result> {
            chat::send_result last;
            for (auto const& request : requests) {
                last = co_await send_one(m, request, response);
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
                log::info("outbox.sent", fields);
            } else if (result.window_closed && !rendered.as_template && attempts < options.retry.max_attempts) {
                // WhatsApp refused free text (131047): note it, and the next try sends the template.
                co_await application.writer.write([&](store::write_tx& tx) {
                    millis now = application.clk.now();
                    store::note_window_closed(tx.db, m.channel, m.address.value_or(""));
                    store::reschedule(tx, m.id, attempts, now, result.error, now);
                });
                log::info("outbox.window_closed", fields);
            } else if (result.result == chat::send_result::outcome::retry && attempts < options.retry.max_attempts) {
                millis wait = options.retry.delay(attempts, result.retry_after, rng);
                co_await application.writer.write([&](store::write_tx& tx) {
                    millis now = application.clk.now();
                    store::reschedule(tx, m.id, attempts, now + wait, result.error, now);
                });
                retried_total.inc();
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
        log::warn("outbox.dead", {{"outbox_id", m.id}, {"channel", m.channel}, {"purpose", m.purpose},
                                  {"attempts", attempts}, {"error", error}});
    }
};

outbox_dispatcher::outbox_dispatcher(net::io_context& ioc, app& a, dispatcher_options options)
    : impl_(std::make_shared<impl>(ioc, a, options)) {}

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
