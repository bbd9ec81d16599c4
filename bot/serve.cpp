#include "bot/serve.hpp"

#include "bot/demo_seed.hpp"

#include "adapters/sms.hpp"
#include "adapters/telegram.hpp"
#include "adapters/wecom.hpp"
#include "adapters/whatsapp.hpp"
#include "bot/api/routes.hpp"
#include "bot/console/routes.hpp"
#include "bot/net/http_server.hpp"
#include "bot/outbox/dispatcher.hpp"
#include "bot/outbox/callback_channel.hpp"
#include "bot/scheduler/scheduler.hpp"
#include "bot/webhooks/webhooks.hpp"
#include "bot/core/log.hpp"
#include "bot/core/url.hpp"
#include "config/load.hpp"
#include "store/audit.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <iostream>
#include <malloc.h>
#include <thread>

namespace signoff {

namespace net = boost::asio;

namespace {

// How long the writer must have had nothing to do before the caches are given back.
constexpr std::chrono::seconds idle_release_after{5};

std::optional<config::config> load_config(serve_options const& options) {
    auto result = options.config_file ? config::load_file(*options.config_file)
                                      : config::load_text(config::demo_json());
    for (auto const& p : result.problems) {
        if (p.warning) log::warn("config.warning", {{"path", p.path}, {"message", p.message}});
        else std::cerr << config::format(p) << "\n";
    }
    return std::move(result.value);
}

log::level parse_level(std::string const& name) {
    if (name == "debug") return log::level::debug;
    if (name == "warn") return log::level::warn;
    if (name == "error") return log::level::error;
    return log::level::info;
}

std::string printable(net::ip::tcp::endpoint const& ep) {
    auto address = ep.address().to_string();
    if (ep.address().is_v6()) address = "[" + address + "]";
    return address + ":" + std::to_string(ep.port());
}

server_options server_options_from(config::server_config const& s) {
    server_options o;
    o.listen = s.listen;
    o.max_body_bytes = s.max_body_bytes;
    o.threads = s.threads;
    o.request_timeout = std::chrono::milliseconds(static_cast<long>(s.request_timeout_seconds * 1000));
    o.idle_timeout = std::chrono::milliseconds(static_cast<long>(s.idle_timeout_seconds * 1000));
    o.header_timeout = std::chrono::milliseconds(static_cast<long>(s.header_timeout_seconds * 1000));
    o.max_connections = s.max_connections;
    if (s.tls) o.tls_cert_key_files = std::pair{s.tls->cert_file, s.tls->key_file};
    return o;
}

// The name of an API key that still has a value the embedded configuration ships, when the
// server would listen beyond loopback with it (SPEC §3); nullopt when serving is safe.
std::optional<std::string> public_demo_key(config::config const& cfg) {
    auto const& listen = cfg.server.listen;
    auto host = listen.substr(0, listen.rfind(':'));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (is_loopback_host(host)) return std::nullopt;
    auto const demo = config::shipped_demo_keys();
    for (auto const& k : cfg.api.keys)
        if (!k.key.empty() && std::find(demo.begin(), demo.end(), k.key) != demo.end()) return k.name;
    return std::nullopt;
}

// Every outbound channel the outbox can deliver on; an inactive one answers why it cannot.
channels::channel_set outbound_channels(config::config const& cfg) {
    channels::channel_set set;
    set.add(telegram::make_channel(cfg.channels.telegram));
    set.add(whatsapp::make_channel(cfg.channels.whatsapp));
    set.add(wecom::make_channel(cfg.channels.wecom));
    set.add(sms::make_channel(cfg.channels.sms));
    set.add(outbox::make_callback_channel(cfg.api));
    return set;
}

}  // namespace

int serve(serve_options const& options) {
    auto started = std::chrono::steady_clock::now();
    auto loaded = load_config(options);
    if (!loaded) {
        std::cerr << "signoff: the configuration has errors; nothing was started\n";
        return 1;
    }
    config::config& cfg = *loaded;
    if (options.db) cfg.store.path = *options.db;
    if (options.listen) cfg.server.listen = *options.listen;
    log::set_threshold(parse_level(cfg.log_level));
    if (auto key = public_demo_key(cfg)) {
        std::cerr << "signoff: refusing to listen on " << cfg.server.listen << ": API key \"" << *key
                  << "\" still has the public demo value of the embedded configuration; give it a secret value "
                     "(in the demo configuration: SIGNOFF_AGENCY_KEY and SIGNOFF_PR_KEY) or listen on loopback\n";
        return 1;
    }
    if (!options.config_file) log::warn("config.demo", {{"message", "running on the embedded demo configuration"}});

    try {
        store::writer writer(cfg.store.path, cfg.store.synchronous, cfg.audit.key);
        store::reader_pool readers(cfg.store.path);
        system_clock clk;
        if (cfg.audit.key.empty()) {
            log::warn("audit.unkeyed", {{"message", "audit.key is empty: the audit chain is plain SHA-256, which anyone "
                                                    "with write access to the database can rebuild"}});
        } else {
            writer.write_sync([&clk](store::write_tx& tx) {
                if (auto id = store::start_keyed_chain(tx, clk.now()))
                    log::info("audit.keyed", {{"from_event", *id}});
            });
        }
        metrics& registry = metrics::global();
        net::thread_pool bulk(1);
        media::library creatives(cfg.media.dir.empty() ? cfg.store.path + ".media" : cfg.media.dir,
                                 cfg.media.link_secret, cfg.server.public_url);
        creatives.open();
        app a{cfg, writer, readers, clk, registry, creatives, bulk.get_executor()};
        // Only the try-it-out case (scripts/run.sh): the embedded demo on its own ./signoff.db.
        if (!options.config_file && !options.db) seed_demo_items(a);
        auto& batch_jobs = registry.histogram("signoff_store_batch_jobs", "Write jobs per committed batch", {},
                                              {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048});
        auto& commit_seconds =
            registry.histogram("signoff_store_commit_seconds", "Time COMMIT of one write batch took, fsync included");
        writer.on_batch([&batch_jobs, &commit_seconds](std::size_t jobs, double seconds) {
            batch_jobs.observe(static_cast<double>(jobs));
            commit_seconds.observe(seconds);
        });
        // After a quiet spell the pages read for earlier work (start-up's housekeeping on a
        // year-old store among them) go back to the system; the next request reads what it needs.
        writer.on_idle(idle_release_after, [&readers] {
            readers.release_memory();
            ::malloc_trim(0);
        });
        router routes;
        add_api_routes(routes, a);
        add_telegram_webhook(routes, a);
        add_whatsapp_webhook(routes, a);
        add_wecom_webhook(routes, a);
        console::add_console_routes(routes);
        auto outbound = outbound_channels(cfg);

        int const threads = std::max(1, cfg.server.threads);
        net::io_context ioc(threads);
        http_server server(ioc, server_options_from(cfg.server), routes, registry);
        server.start();
        dispatcher_options dispatch;
        dispatch.retry.first_delay = std::llround(cfg.timers.first_retry_seconds * ms_per_second);
        outbox_dispatcher dispatcher(ioc, a, outbound, dispatch);
        writer.on_commit([&dispatcher] { dispatcher.wake(); });
        dispatcher.start();
        scheduler timers(ioc, a);
        timers.start();
        net::signal_set signals(ioc, SIGINT, SIGTERM);
        signals.async_wait([&](boost::system::error_code ec, int signal) {
            if (ec) return;
            log::info("server.stopping", {{"signal", signal}});
            server.stop();
            dispatcher.stop();
            timers.stop();
        });
        auto endpoint = printable(server.local_endpoint());
        std::cout << "listening on " << endpoint << std::endl;
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        log::info("server.started", {{"listen", endpoint}, {"db", cfg.store.path}, {"threads", threads},
                                     {"startup_ms", ms.count()}});

        std::vector<std::thread> pool;
        for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
        ioc.run();
        for (auto& t : pool) t.join();
        bulk.join();
        writer.on_commit(nullptr);
        writer.stop();
        writer.on_batch(nullptr);
        writer.on_idle({}, nullptr);
        log::info("server.stopped", {});
        return 0;
    } catch (std::exception const& e) {
        log::error("server.failed", {{"error", e.what()}});
        std::cerr << "signoff: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace signoff
