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

#include <algorithm>
#include <map>
#include <set>

namespace signoff {

namespace net = boost::asio;

namespace {
constexpr int batch_limit = 64;
// More cards than this waiting for one chat go as one list message (SPEC §6), of at most
// list_limit cards (so that every one of them fits its text).
constexpr std::size_t cards_sent_one_by_one = 3;
constexpr int list_limit = 20;
constexpr std::size_t max_remembered_holds = 100000;
constexpr std::size_t max_deferred_per_pass = 8;
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
    turn_planner turns;
    // Rows moved to a later turn by their chat's interval: a card among them that comes due
    // with more than three others waiting goes as a list; a card that can go at once goes as itself.
    std::set<std::int64_t> held_back;
    std::set<std::int64_t> listing;  // cards going as lines of a list now being delivered
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

    // The cards to send as one list instead of `m` alone: those queued for its chat, when `m` is a
    // card that was held back and more than three wait (else none); and the first card left
    // over beyond the list's limit, if any.
    struct card_batch {
        std::vector<store::outbox_message> cards;
        std::optional<std::int64_t> left_over;
    };
    // A due row its chat's interval holds back in this pass.
    struct held_row {
        std::int64_t id;
        std::string chat;  // channel and rate key
        int priority;
        millis free_at;
        millis interval;
    };

    card_batch cards_to_list(sqlite::database& db, store::outbox_message const& m, channels::channel const* ch) {
        if (!ch || m.purpose != "item_card" || !m.address || !held_back.contains(m.id)) return {};
        auto cards = store::queued_cards_for_chat(db, m.channel, *m.address, list_limit + 1);
        std::erase_if(cards, [&](auto const& card) {
            return card.id != m.id && (in_flight.contains(card.id) || listing.contains(card.id));
        });
        if (std::none_of(cards.begin(), cards.end(), [&](auto const& card) { return card.id == m.id; }))
            cards.insert(cards.begin(), m);
        if (cards.size() <= cards_sent_one_by_one) return {};
        card_batch out;
        if (std::ssize(cards) > list_limit) {
            out.left_over = cards.back().id == m.id ? cards.front().id : cards.back().id;
            std::erase_if(cards, [&](auto const& card) { return card.id == *out.left_over; });
        }
        out.cards = std::move(cards);
        return out;
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
                std::vector<store::deferral> deferred;
                std::vector<held_row> held;
                for (auto& m : due) {
                    if (in_flight.contains(m.id) || listing.contains(m.id)) continue;
                    if (static_cast<int>(in_flight.size()) >= options.max_in_flight) break;
                    auto* ch = channels.find(m.channel);
                    auto& limiter = limiter_for(m.channel, ch);
                    auto const chat = ch ? rate_key_of(m, *ch) : std::string();
                    // The rate limit is checked before rendering: a busy chat's backlog costs no work.
                    if (auto busy = limiter.chat_busy_until(chat, now)) {
                        held.push_back({m.id, m.channel + " " + chat, m.priority, *busy, limiter.per_chat_interval()});
                        held_back.insert(m.id);
                        next = std::min(next, *busy);
                        continue;
                    }
                    if (auto later = limiter.acquire(chat, now)) {
                        next = std::min(next, *later);
                        continue;
                    }
                    std::vector<std::int64_t> listed;
                    std::optional<std::int64_t> left_over;
                    auto rendered = application.readers.with([&](sqlite::database& db) {
                        if (auto batch = cards_to_list(db, m, ch); !batch.cards.empty()) {
                            auto list = render_card_list(application.cfg, db, m, batch.cards, ch, now);
                            if (!list.requests.empty()) {
                                for (auto const& card : batch.cards) listed.push_back(card.id);
                                left_over = batch.left_over;
                                return list;
                            }
                        }
                        return render_outbox(application.cfg, db, application.media, m, ch, now);
                    });
                    if (!listed.empty()) {
                        // The turns of the listed cards are empty now: the cards left over
                        // follow in the chat's next turn, as the next list.
                        auto const key = m.channel + " " + chat;
                        turns.forget(key);
                        if (left_over) {
                            deferred.push_back({*left_over, turns.place(key, m.priority, now + limiter.per_chat_interval(),
                                                                        limiter.per_chat_interval(), now)});
                            held_back.insert(*left_over);
                        }
                    }
                    if (rendered.skip) {
                        co_await application.writer.write([&](store::write_tx& tx) {
                            store::mark_sent(tx, m.id, m.attempts, std::nullopt, application.clk.now());
                        });
                        held_back.erase(m.id);
                        continue;
                    }
                    if (rendered.requests.empty()) {
                        co_await give_up(m, m.attempts, "cannot render: " + rendered.why);
                        continue;
                    }
                    in_flight.insert(m.id);
                    listing.insert(listed.begin(), listed.end());
                    net::co_spawn(strand, deliver(std::move(m), *ch, std::move(rendered), std::move(listed)),
                                  net::detached);
                }
                // Held rows are moved to their turns only when the batch is full, when others'
                // rows may wait behind them; a few per pass, so that a chat flooded faster
                // than it can be served costs few writes.
                if (std::ssize(due) == batch_limit) {
                    for (std::size_t i = 0; i < held.size() && i < max_deferred_per_pass; ++i)
                        deferred.push_back(
                            {held[i].id, turns.place(held[i].chat, held[i].priority, held[i].free_at, held[i].interval, now)});
                    if (!held.empty()) woken = true;  // look again at once for the rows behind them
                }
                if (!deferred.empty())
                    co_await application.writer.write(
                        [&](store::write_tx& tx) { store::defer(tx, deferred, application.clk.now()); });
                if (held_back.size() > max_remembered_holds) held_back.clear();  // only lists are lost
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

    // `listed`: when the rendering is a list of cards, the rows it stands for (`m` among them).
    net::awaitable<void> deliver(store::outbox_message m, channels::channel& ch, channels::rendering rendered,
                                 std::vector<std::int64_t> listed) {
        auto self = shared_from_this();
        auto started = std::chrono::steady_clock::now();
        int attempts = m.attempts + 1;
        fetch_response response;
        // A row may take several requests (a long WhatsApp card); a failure retries the row.
        // A request may need the previous one's answer (an upload's media id).
        std::size_t went = 0;  // requests of the first round that were sent
        auto send_all = [&](std::vector<http_call> const& requests) -> net::awaitable<chat::send_result> {
            chat::send_result last;
            for (auto request : requests) {
                if (std::string error; !channels::fill_from_previous(request, response.body, error))
                    co_return chat::send_result{chat::send_result::outcome::give_up, {}, {}, error};
                last = co_await send_one(m, ch, request, response);
                if (last.result != chat::send_result::outcome::sent) break;
                ++went;
            }
            co_return last;
        };
        auto result = co_await send_all(rendered.requests);
        // The creatives went but not the card: a retry must not show them twice.
        bool const creatives_went = rendered.creative_requests > 0 && went >= rendered.creative_requests &&
                                    result.result != chat::send_result::outcome::sent;
        auto sent_as = rendered.sent_as;
        if (result.result == chat::send_result::outcome::give_up && !rendered.fallback.empty()) {
            log::warn("outbox.fallback", {{"outbox_id", m.id}, {"channel", m.channel}, {"error", result.error}});
            result = co_await send_all(rendered.fallback);
            sent_as.clear();
        }
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        nlohmann::json fields = {{"outbox_id", m.id}, {"channel", m.channel}, {"purpose", m.purpose},
                                 {"attempt", attempts}, {"status", response.status}, {"ms", ms.count()}};
        if (!listed.empty()) fields["listed"] = listed.size();
        try {
            if (result.result == chat::send_result::outcome::sent) {
                co_await application.writer.write([&](store::write_tx& tx) {
                    // A list's message id is kept by no row: a quote-reply to it names no one item.
                    if (!listed.empty()) store::mark_listed(tx, listed, m.id, application.clk.now());
                    else store::mark_sent(tx, m.id, attempts, result.message_id, application.clk.now(),
                                          rendered.as_template, sent_as);
                });
                sent_total.inc();
                count_delivery(m.channel, "sent");
                log::info("outbox.sent", fields);
            } else if (result.window_closed && !rendered.as_template && attempts < options.retry.max_attempts) {
                // The platform refused free text outside its window: note it, and the next try
                // sends the template.
                co_await application.writer.write([&](store::write_tx& tx) {
                    millis now = application.clk.now();
                    if (creatives_went) store::note_creatives_sent(tx, m.id);
                    store::note_window_closed(tx.db, m.channel, m.address.value_or(""));
                    store::reschedule(tx, m.id, attempts, now, result.error, now);
                });
                count_delivery(m.channel, "window_closed");
                log::info("outbox.window_closed", fields);
            } else if (result.result == chat::send_result::outcome::retry && attempts < options.retry.max_attempts) {
                millis wait = options.retry.delay(attempts, result.retry_after, rng);
                co_await application.writer.write([&](store::write_tx& tx) {
                    millis now = application.clk.now();
                    if (creatives_went) store::note_creatives_sent(tx, m.id);
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
        for (auto id : listed) listing.erase(id), held_back.erase(id);
        if (result.result == chat::send_result::outcome::sent) held_back.erase(m.id);
        poke();  // look for more work now
    }

    void poke() {
        woken = true;
        timer.cancel();
    }

    net::awaitable<void> give_up(store::outbox_message const& m, int attempts, std::string const& error) {
        held_back.erase(m.id);
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
