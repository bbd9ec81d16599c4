#include "bot/net/http_server.hpp"

#include "bot/core/api_error.hpp"
#include "bot/net/metrics.hpp"
#include "bot/net/router.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include "support/tls_cert.hpp"
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using namespace signoff;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

constexpr std::chrono::milliseconds slow_handler{300};

// The server under test, its io_context run by two threads.
struct test_server {
    explicit test_server(server_options options) {
        routes.add("GET", "/hello", [](http_request const&, route_params const&) -> net::awaitable<http_response> {
            co_return json_response(200, {{"hello", "world"}});
        });
        routes.add("POST", "/echo", [](http_request const& req, route_params const&) -> net::awaitable<http_response> {
            co_return json_response(200, {{"bytes", req.body.size()}, {"remote", req.remote}});
        });
        routes.add(
            "POST", "/guarded",
            [](http_request const& req, route_params const&) -> net::awaitable<http_response> {
                co_return json_response(200, {{"bytes", req.body.size()}});
            },
            [](http_request const& head) {
                if (head.header("X-Key") != "ok") throw api_error(401, "unauthorized", "no key");
            });
        routes.add("GET", "/slow", [](http_request const&, route_params const&) -> net::awaitable<http_response> {
            net::steady_timer timer(co_await net::this_coro::executor, slow_handler);
            co_await timer.async_wait(net::use_awaitable);
            co_return json_response(200, {{"slow", true}});
        });
        server.emplace(ioc, std::move(options), routes, registry);
        server->start();
        for (int i = 0; i < 2; ++i) threads.emplace_back([this] { ioc.run(); });
    }
    ~test_server() {
        server->stop();
        for (auto& t : threads) t.join();
    }
    tcp::endpoint endpoint() const { return server->local_endpoint(); }
    bool ran_out_within(std::chrono::milliseconds limit) {
        for (auto deadline = steady::now() + limit; steady::now() < deadline; std::this_thread::sleep_for(10ms))
            if (ioc.stopped()) return true;
        return ioc.stopped();
    }

    metrics registry;
    router routes;
    net::io_context ioc;
    std::optional<http_server> server;
    std::vector<std::thread> threads;
};

server_options fast_options() {
    return {.max_body_bytes = 1024, .request_timeout = 300ms, .idle_timeout = 300ms};
}

// A raw client: writes exactly the bytes it is given, reads with a timeout.
struct client {
    explicit client(tcp::endpoint ep) { stream.connect(ep); }

    void send(std::string_view bytes) { net::write(stream.socket(), net::buffer(bytes)); }

    struct reply {
        beast::error_code ec;
        http::response<http::string_body> res;
        nlohmann::json json() const { return nlohmann::json::parse(res.body()); }
    };
    reply read(std::chrono::milliseconds timeout = 3s) {
        http::response_parser<http::string_body> parser;
        reply r;
        stream.expires_after(timeout);
        http::async_read(stream, buffer, parser, [&r](beast::error_code ec, std::size_t) { r.ec = ec; });
        ioc.restart();
        ioc.run();
        r.res = parser.release();
        return r;
    }
    reply request(std::string_view bytes) {
        send(bytes);
        return read();
    }
    // Waits for the server to close the connection; returns how long that took, or nullopt on
    // data or timeout.
    std::optional<std::chrono::milliseconds> wait_closed(std::chrono::milliseconds timeout = 3s) {
        auto start = steady::now();
        char byte;
        beast::error_code result;
        stream.expires_after(timeout);
        stream.async_read_some(net::buffer(&byte, 1), [&result](beast::error_code ec, std::size_t) { result = ec; });
        ioc.restart();
        ioc.run();
        if (!result || result == beast::error::timeout) return std::nullopt;
        return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start);
    }

    net::io_context ioc;
    beast::tcp_stream stream{ioc};
    beast::flat_buffer buffer;
};

constexpr std::string_view get_hello = "GET /hello?token=secret HTTP/1.1\r\nHost: test\r\n\r\n";

}  // namespace

TEST_CASE("the server answers keep-alive requests and errors as JSON", "[bot][http_server]") {
    test_server srv(fast_options());
    client c(srv.endpoint());

    SECTION("two requests on one connection") {
        for (int i = 0; i < 2; ++i) {
            auto r = c.request(get_hello);
            REQUIRE_FALSE(r.ec);
            CHECK(r.res.result_int() == 200);
            CHECK(r.res.keep_alive());
            CHECK(r.res[http::field::server] == "signoff");
            CHECK(r.res[http::field::content_type] == "application/json");
            CHECK(r.res[http::field::content_length] == std::to_string(r.res.body().size()));
            CHECK(r.json()["hello"] == "world");
        }
        auto r = c.request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
        CHECK(r.json()["bytes"] == 5);
        CHECK(r.json()["remote"] == "127.0.0.1");
    }
    SECTION("an unknown path is a 404 with the error envelope") {
        auto r = c.request("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n");
        CHECK(r.res.result_int() == 404);
        CHECK(r.res[http::field::content_type] == "application/json");
        CHECK(r.json()["error"]["code"] == "not_found");
        CHECK(r.json()["error"]["message"].is_string());
        CHECK(c.request(get_hello).res.result_int() == 200);  // the connection stays usable
    }
    SECTION("a body above the limit is 413 and the connection closes") {
        SECTION("declared by Content-Length: answered without sending the body") {
            auto start = steady::now();
            auto r = c.request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n");
            CHECK(steady::now() - start < 250ms);
            CHECK(r.res.result_int() == 413);
            CHECK(r.json()["error"]["code"] == "body_too_large");
            CHECK_FALSE(r.res.keep_alive());
        }
        SECTION("found while reading a chunked body") {
            std::string chunk = "200\r\n" + std::string(0x200, 'x') + "\r\n";
            auto r = c.request("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk +
                               chunk + "0\r\n\r\n");
            CHECK(r.res.result_int() == 413);
            CHECK(r.json()["error"]["code"] == "body_too_large");
            CHECK_FALSE(r.res.keep_alive());
        }
        CHECK(c.wait_closed());
    }
    SECTION("a malformed request line is 400 and the connection closes") {
        auto r = c.request("this is not http\r\n\r\n");
        CHECK(r.res.result_int() == 400);
        CHECK(r.json()["error"]["code"] == "bad_request");
        CHECK_FALSE(r.res.keep_alive());
        CHECK(c.wait_closed());
    }
    SECTION("Connection: close from the client is honoured") {
        auto r = c.request("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        CHECK(r.res.result_int() == 200);
        CHECK_FALSE(r.res.keep_alive());
        CHECK(c.wait_closed());
    }
}

TEST_CASE("the server cuts off slow and idle connections", "[bot][http_server]") {
    test_server srv(fast_options());
    client c(srv.endpoint());

    SECTION("half a header, then silence: closed after request_timeout") {
        c.send("GET /hello HTTP/1.1\r\nHo");
        auto closed_after = c.wait_closed();
        REQUIRE(closed_after);
        CHECK(*closed_after >= 250ms);
        CHECK(*closed_after < 1500ms);
    }
    SECTION("a keep-alive connection with no next request: closed after idle_timeout") {
        REQUIRE(c.request(get_hello).res.result_int() == 200);
        auto closed_after = c.wait_closed();
        REQUIRE(closed_after);
        CHECK(*closed_after >= 250ms);
        CHECK(*closed_after < 1500ms);
    }
}

TEST_CASE("stop() drains requests in flight and lets run() return", "[bot][http_server]") {
    test_server srv({.request_timeout = 2s, .idle_timeout = 2s});
    auto const ep = srv.endpoint();
    client in_flight(ep), idle(ep), late(ep);
    REQUIRE(idle.request(get_hello).res.result_int() == 200);
    in_flight.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
    late.send("GET /hello HTTP/1.1\r\nHo");
    std::this_thread::sleep_for(100ms);  // the slow handler is running; the late request has begun

    srv.server->stop();

    auto idle_closed = idle.wait_closed();
    REQUIRE(idle_closed);
    CHECK(*idle_closed < 500ms);

    late.send("st: t\r\n\r\n");
    auto r503 = late.read();
    CHECK(r503.res.result_int() == 503);
    CHECK(r503.json()["error"]["code"] == "shutting_down");
    CHECK_FALSE(r503.res.keep_alive());

    auto slow = in_flight.read();
    REQUIRE_FALSE(slow.ec);
    CHECK(slow.res.result_int() == 200);
    CHECK(slow.json()["slow"] == true);
    CHECK(slow.res[http::field::connection] == "close");
    CHECK(in_flight.wait_closed());

    beast::tcp_stream refused(srv.ioc);
    beast::error_code ec;
    refused.connect(ep, ec);
    CHECK(ec == net::error::connection_refused);

    late.stream.close();
    in_flight.stream.close();
    CHECK(srv.ran_out_within(500ms));
}

TEST_CASE("the server counts requests in its metrics", "[bot][http_server][metrics]") {
    test_server srv(fast_options());
    {
        client c(srv.endpoint());
        c.request(get_hello);
        c.request(get_hello);
        c.request("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n");
    }
    auto text = srv.registry.render();
    CHECK_THAT(text, Catch::Contains("# TYPE signoff_http_requests_total counter\n"));
    CHECK_THAT(text, Catch::Contains("signoff_http_requests_total{code=\"200\"} 2\n"));
    CHECK_THAT(text, Catch::Contains("signoff_http_requests_total{code=\"404\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("# TYPE signoff_http_request_duration_seconds histogram\n"));
    CHECK_THAT(text, Catch::Contains("signoff_http_request_duration_seconds_count 3\n"));
    CHECK_THAT(text, Catch::Contains("signoff_http_requests_in_flight 0\n"));
    CHECK_THAT(text, Catch::Contains("process_resident_memory_bytes "));
}

TEST_CASE("the metrics registry renders Prometheus text format", "[bot][metrics]") {
    metrics registry;
    auto& created = registry.counter("signoff_items_created_total", "Items created");
    created.inc();
    registry.counter("signoff_items_created_total", "Items created").inc(2);  // the same series
    CHECK(&created == &registry.counter("signoff_items_created_total", "Items created"));
    registry.counter("signoff_sent_total", "Messages sent\nby channel", {{"channel", "tele\"gram"}}).inc();
    registry.gauge("signoff_outbox_depth", "Outbox rows").set(2.5);
    auto& latency = registry.histogram("signoff_send_seconds", "Send latency");
    latency.observe(0.003);
    latency.observe(0.2);
    latency.observe(60);
    CHECK_THROWS_AS(registry.gauge("signoff_items_created_total", "x"), std::logic_error);

    auto text = registry.render();
    CHECK_THAT(text, Catch::Contains("# HELP signoff_items_created_total Items created\n"
                                     "# TYPE signoff_items_created_total counter\n"
                                     "signoff_items_created_total 3\n"));
    CHECK_THAT(text, Catch::Contains("# HELP signoff_sent_total Messages sent\\nby channel\n"));
    CHECK_THAT(text, Catch::Contains("signoff_sent_total{channel=\"tele\\\"gram\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("# TYPE signoff_outbox_depth gauge\nsignoff_outbox_depth 2.5\n"));
    CHECK_THAT(text, Catch::Contains("signoff_send_seconds_bucket{le=\"0.0025\"} 0\n"));
    CHECK_THAT(text, Catch::Contains("signoff_send_seconds_bucket{le=\"0.005\"} 1\n"));
    CHECK_THAT(text, Catch::Contains("signoff_send_seconds_bucket{le=\"0.25\"} 2\n"));
    CHECK_THAT(text, Catch::Contains("signoff_send_seconds_bucket{le=\"10\"} 2\n"));
    CHECK_THAT(text, Catch::Contains("signoff_send_seconds_bucket{le=\"+Inf\"} 3\n"));
    CHECK_THAT(text, Catch::Contains("signoff_send_seconds_count 3\n"));
    CHECK_THAT(text, Catch::Contains("# TYPE process_resident_memory_bytes gauge\n"));
}

TEST_CASE("a histogram with its own bounds buckets counts, with labels", "[bot][metrics]") {
    metrics registry;
    auto& sizes = registry.histogram("signoff_batch_jobs", "Jobs per batch", {{"store", "main"}}, {1, 4, 16});
    for (double v : {1.0, 2.0, 4.0, 5.0, 100.0}) sizes.observe(v);
    CHECK(&sizes == &registry.histogram("signoff_batch_jobs", "Jobs per batch", {{"store", "main"}}));
    auto text = registry.render();
    CHECK_THAT(text, Catch::Contains("signoff_batch_jobs_bucket{store=\"main\",le=\"1\"} 1\n"
                                     "signoff_batch_jobs_bucket{store=\"main\",le=\"4\"} 3\n"
                                     "signoff_batch_jobs_bucket{store=\"main\",le=\"16\"} 4\n"
                                     "signoff_batch_jobs_bucket{store=\"main\",le=\"+Inf\"} 5\n"
                                     "signoff_batch_jobs_sum{store=\"main\"} 112\n"
                                     "signoff_batch_jobs_count{store=\"main\"} 5\n"));
}

TEST_CASE("the server binds the listen forms it is given", "[bot][http_server]") {
    net::io_context ioc;
    router routes;
    metrics registry;
    SECTION("hostnames are resolved and port 0 picks a port") {
        http_server server(ioc, {.listen = "localhost:0"}, routes, registry);
        server.start();
        CHECK(server.local_endpoint().address().is_loopback());
        CHECK(server.local_endpoint().port() != 0);
    }
    SECTION("IPv6 in brackets") {
        http_server server(ioc, {.listen = "[::1]:0"}, routes, registry);
        try {
            server.start();
            CHECK(server.local_endpoint().address().is_v6());
        } catch (std::system_error const& e) {
            WARN("no IPv6 loopback here: " << e.what());
        }
    }
    SECTION("a port in use throws std::system_error") {
        http_server first(ioc, {}, routes, registry);
        first.start();
        auto taken = "127.0.0.1:" + std::to_string(first.local_endpoint().port());
        http_server second(ioc, {.listen = taken}, routes, registry);
        CHECK_THROWS_AS(second.start(), std::system_error);
    }
    SECTION("a listen address without a port throws std::system_error") {
        http_server server(ioc, {.listen = "127.0.0.1"}, routes, registry);
        CHECK_THROWS_AS(server.start(), std::system_error);
    }
}

TEST_CASE("the server speaks TLS when given a certificate and key", "[bot][http_server][tls]") {
    auto dir = std::filesystem::temp_directory_path() / ("signoff_tls_test_" + std::to_string(::getpid()));
    auto files = signoff::test::write_self_signed(dir);
    auto options = fast_options();
    options.tls_cert_key_files = files;
    test_server srv(options);

    namespace ssl = net::ssl;
    ssl::context tls(ssl::context::tls_client);
    tls.load_verify_file(files.first);
    tls.set_verify_mode(ssl::verify_peer);
    net::io_context ioc;
    beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
    SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
    stream.set_verify_callback(ssl::host_name_verification("localhost"));
    beast::get_lowest_layer(stream).connect(srv.endpoint());
    stream.handshake(ssl::stream_base::client);
    CHECK(SSL_version(stream.native_handle()) >= TLS1_2_VERSION);

    http::request<http::empty_body> req{http::verb::get, "/hello", 11};
    req.set(http::field::host, "localhost");
    beast::flat_buffer buffer;
    for (int i = 0; i < 2; ++i) {
        http::write(stream, req);
        http::response<http::string_body> res;
        http::read(stream, buffer, res);
        CHECK(res.result_int() == 200);
        CHECK(nlohmann::json::parse(res.body())["hello"] == "world");
    }
    beast::error_code ec;
    stream.shutdown(ec);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a Transfer-Encoding other than exactly chunked is 400 and the body is never a second request",
          "[bot][http_server][bad-input]") {
    test_server srv(fast_options());
    client c(srv.endpoint());
    std::string const smuggled = "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n";

    SECTION("chunked, identity") {
        auto r = c.request("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, identity\r\n\r\n" + smuggled);
        CHECK(r.res.result_int() == 400);
        CHECK(r.json()["error"]["code"] == "bad_request");
        CHECK_FALSE(r.res.keep_alive());
        CHECK(c.wait_closed());  // the smuggled GET gets no answer of its own
    }
    SECTION("two Transfer-Encoding fields") {
        auto r = c.request("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled);
        CHECK(r.res.result_int() == 400);
        CHECK(c.wait_closed());
    }
    SECTION("identity alone") {
        auto r = c.request("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: identity\r\n\r\n" + smuggled);
        CHECK(r.res.result_int() == 400);
        CHECK(c.wait_closed());
    }
    SECTION("exactly chunked, in any case, is read as a body") {
        auto r = c.request("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding:  Chunked \r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        CHECK(r.res.result_int() == 200);
        CHECK(r.json()["bytes"] == 5);
        CHECK(c.request(get_hello).res.result_int() == 200);
    }
}

TEST_CASE("slow headers are cut off after header_timeout, before request_timeout", "[bot][http_server]") {
    auto options = fast_options();
    options.request_timeout = 5s;
    options.header_timeout = 200ms;
    test_server srv(options);
    client c(srv.endpoint());
    c.send("GET /hello HTTP/1.1\r\nHo");
    auto closed_after = c.wait_closed(4s);
    REQUIRE(closed_after);
    CHECK(*closed_after >= 150ms);
    CHECK(*closed_after < 2s);

    SECTION("a body may take longer than the headers did") {
        client slow(srv.endpoint());
        slow.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhe");
        std::this_thread::sleep_for(400ms);  // past header_timeout, well within request_timeout
        slow.send("llo");
        auto r = slow.read();
        CHECK(r.res.result_int() == 200);
        CHECK(r.json()["bytes"] == 5);
    }
}

TEST_CASE("at most max_connections connections are open at once", "[bot][http_server]") {
    auto options = fast_options();
    options.idle_timeout = 5s;
    options.request_timeout = 5s;
    options.max_connections = 2;
    test_server srv(options);
    std::optional<client> first(srv.endpoint());
    client second(srv.endpoint());
    REQUIRE(first->request(get_hello).res.result_int() == 200);  // both are registered once served
    REQUIRE(second.request(get_hello).res.result_int() == 200);

    client third(srv.endpoint());
    auto closed_after = third.wait_closed(2s);
    REQUIRE(closed_after);  // closed at once, not held
    CHECK(*closed_after < 1s);
    CHECK(srv.registry.render().find("signoff_http_connections_refused_total 1") != std::string::npos);

    // A freed place is taken again.
    first.reset();
    bool served = false;
    for (auto deadline = steady::now() + 3s; !served && steady::now() < deadline;) {
        client next(srv.endpoint());
        next.send(get_hello);
        auto r = next.read(1s);
        served = !r.ec && r.res.result_int() == 200;
    }
    CHECK(served);
    CHECK(second.request(get_hello).res.result_int() == 200);
}

TEST_CASE("a route's head check answers before the body is read", "[bot][http_server][bad-input]") {
    auto options = fast_options();
    options.request_timeout = 5s;
    test_server srv(options);
    client c(srv.endpoint());

    SECTION("refused: answered at once, the body never read, the connection closed") {
        auto start = steady::now();
        auto r = c.request("POST /guarded HTTP/1.1\r\nHost: t\r\nContent-Length: 900\r\n\r\n");
        CHECK(steady::now() - start < 2s);  // well before the body could time out
        CHECK(r.res.result_int() == 401);
        CHECK(r.json()["error"]["code"] == "unauthorized");
        CHECK_FALSE(r.res.keep_alive());
        CHECK(c.wait_closed());
    }
    SECTION("refused before 100-continue is sent") {
        auto r = c.request("POST /guarded HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        CHECK(r.res.result_int() == 401);
    }
    SECTION("accepted: the body is read and handled") {
        auto r = c.request("POST /guarded HTTP/1.1\r\nHost: t\r\nX-Key: ok\r\nContent-Length: 5\r\n\r\nhello");
        CHECK(r.res.result_int() == 200);
        CHECK(r.json()["bytes"] == 5);
    }
}
