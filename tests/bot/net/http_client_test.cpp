#include "bot/net/http_client.hpp"
#include "bot/net/http_server.hpp"
#include "config/validate.hpp"
#include "fakes/recording_server.hpp"
#include "support/temp_dir.hpp"
#include "support/tls_cert.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include <thread>

using namespace signoff;
namespace net = boost::asio;

namespace {
// Runs one fetch on its own io_context and returns the answer.
fetch_response fetch(http_call const& req, std::string const& ca = {}) {
    net::io_context ioc;
    http_client client(ioc.get_executor(), std::chrono::seconds(5), 1 << 20, ca);
    auto future = net::co_spawn(ioc, client.fetch(req), net::use_future);
    ioc.run();
    return future.get();
}
}  // namespace

TEST_CASE("URLs are split strictly and plain http is only for loopback", "[bot][http_client]") {
    url_parts u;
    REQUIRE(parse_url("https://api.telegram.org/bot1:x/sendMessage?a=1", u));
    CHECK(u.host == "api.telegram.org");
    CHECK(u.port == "443");
    CHECK(u.target == "/bot1:x/sendMessage?a=1");
    REQUIRE(parse_url("http://[::1]:8080", u));
    CHECK(u.host == "::1");
    CHECK(u.port == "8080");
    CHECK(u.target == "/");
    CHECK_FALSE(parse_url("ftp://x/", u));
    CHECK_FALSE(parse_url("https://user:pw@host/", u));
    CHECK_FALSE(parse_url("https://host:80x/", u));
    CHECK_FALSE(parse_url("no scheme", u));
    CHECK(is_loopback_host("127.0.0.1"));
    CHECK(is_loopback_host("localhost"));
    CHECK_FALSE(is_loopback_host("10.0.0.1"));
    CHECK(is_loopback_host("127.0.0.2"));
    CHECK(is_loopback_host("[::1]"));
    CHECK_FALSE(is_loopback_host("127.example.org"));  // a name, not an address: it may resolve anywhere
    CHECK_FALSE(is_loopback_host("127.0.0.1.example.org"));
    CHECK_THAT(fetch({.url = "http://127.example.org/"}).error, Catch::Contains("loopback"));

    auto refused = fetch({.url = "http://example.org/hook", .body = "{}"});
    CHECK(refused.status == 0);
    CHECK_THAT(refused.error, Catch::Contains("loopback"));
    CHECK_THAT(fetch({.url = "::"}).error, Catch::Contains("malformed"));
}

TEST_CASE("An upper-case scheme means the same to check-config and to the client", "[bot][http_client][config]") {
    auto config_problems = [](std::string const& api_base) {
        config::config c;
        c.channels.telegram.api_base = api_base;
        std::vector<config::problem> all, out;
        config::validate(c, {}, all);
        for (auto const& p : all)
            if (p.path == "channels.telegram.api_base") out.push_back(p);
        return out;
    };
    url_parts u;
    REQUIRE(parse_url("HTTPS://host/x", u));
    CHECK(u.scheme == "https");
    CHECK(u.target == "/x");
    CHECK(config_problems("HTTPS://host/x").empty());

    // Plain HTTP in capitals is still plain HTTP: refused by both away from loopback, sent by the client toward it.
    REQUIRE(config_problems("HTTP://host/x").size() == 1);
    CHECK_THAT(config_problems("HTTP://host/x")[0].message, Catch::Contains("loopback"));
    CHECK_THAT(fetch({.url = "HTTP://host/x"}).error, Catch::Contains("loopback"));
    test::recording_server peer;
    CHECK(config_problems("HTTP://127.0.0.1:" + std::to_string(peer.port())).empty());
    auto sent = fetch({.url = "HTTP://127.0.0.1:" + std::to_string(peer.port()) + "/x"});
    CHECK(sent.error.empty());
    REQUIRE(peer.requests().size() == 1);
    CHECK(peer.requests()[0].target == "/x");
}

TEST_CASE("The client talks to loopback peers and reports transport failures as values", "[bot][http_client]") {
    test::recording_server peer;
    auto answer = fetch({.url = peer.url("/hooks?x=1"), .headers = {{"X-Test", "yes"}}, .body = "{\"a\":1}"});
    CHECK(answer.error.empty());
    CHECK(answer.status == 200);
    CHECK(answer.body == "{}");
    REQUIRE(peer.requests().size() == 1);
    CHECK(peer.requests()[0].target == "/hooks?x=1");
    CHECK(peer.requests()[0].header("X-Test") == "yes");
    CHECK(peer.requests()[0].body == "{\"a\":1}");

    peer.answer_next({503});
    CHECK(fetch({.url = peer.url("/")}).status == 503);

    auto closed = fetch({.url = "http://127.0.0.1:9/"});
    CHECK(closed.status == 0);
    CHECK_THAT(closed.error, Catch::Contains("connect"));
}

TEST_CASE("HTTPS verifies the peer: an untrusted certificate fails, a trusted one works", "[bot][http_client][tls]") {
    test::temp_dir dir;
    auto files = test::write_self_signed(dir.path());
    net::io_context server_ioc;
    router routes;
    routes.add("GET", "/ping", [](http_request const&, route_params const&) -> net::awaitable<http_response> {
        co_return json_response(200, {{"pong", true}});
    });
    http_server server(server_ioc, {.listen = "127.0.0.1:0", .tls_cert_key_files = files}, routes, metrics::global());
    server.start();
    std::thread runner([&] { server_ioc.run(); });
    std::string url = "https://localhost:" + std::to_string(server.local_endpoint().port()) + "/ping";

    auto untrusted = fetch({.method = "GET", .url = url});
    CHECK(untrusted.status == 0);
    CHECK_THAT(untrusted.error, Catch::Contains("certificate verify failed"));

    auto trusted = fetch({.method = "GET", .url = url}, files.first);
    CHECK(trusted.error.empty());
    CHECK(trusted.status == 200);
    CHECK(trusted.body == "{\"pong\":true}");

    // The TLS context is made at the first HTTPS request: a CA file that cannot be read is
    // that request's error, not an exception out of the delivery.
    auto unreadable = fetch({.method = "GET", .url = url}, (dir.path() / "missing.pem").string());
    CHECK(unreadable.status == 0);
    CHECK_THAT(unreadable.error, Catch::Contains("TLS set-up"));

    server.stop();
    runner.join();
}
