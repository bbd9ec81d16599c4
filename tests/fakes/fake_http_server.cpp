#include "fakes/fake_http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <thread>
#include <utility>

namespace signoff::test {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

http_request to_request(http::request<http::string_body>& req) {
    http_request out{.method = std::string(req.method_string()), .target = std::string(req.target())};
    for (auto const& f : req) out.headers.emplace_back(f.name_string(), f.value());
    out.body = std::move(req.body());
    return out;
}

}  // namespace

struct fake_http_server::impl {
    handler handle;
    std::size_t max_body_bytes;
    net::io_context ioc{1};
    tcp::acceptor acceptor{ioc};  // NB: used by the I/O thread only once it runs
    std::uint16_t port = 0;
    std::thread thread;

    net::awaitable<void> session(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(max_body_bytes);
            auto [read_ec, read_n] = co_await http::async_read(stream, buffer, parser, use_tuple);
            if (read_ec) co_return;  // the client closed, or sent garbage: drop the connection
            auto req = parser.release();
            auto const answer = handle(to_request(req));
            if (answer.delay.count() > 0) {
                net::steady_timer timer(stream.get_executor(), answer.delay);
                co_await timer.async_wait(use_tuple);
            }
            http::response<http::string_body> res{static_cast<http::status>(answer.status), req.version()};
            for (auto const& [name, value] : answer.headers) res.set(name, value);
            res.keep_alive(req.keep_alive());
            res.body() = answer.body;
            res.prepare_payload();
            auto [write_ec, write_n] = co_await http::async_write(stream, res, use_tuple);
            if (write_ec || !res.keep_alive()) break;
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    net::awaitable<void> listen() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
            if (ec == net::error::operation_aborted) co_return;
            if (ec) continue;
            net::co_spawn(ioc, session(std::move(socket)), net::detached);
        }
    }
};

fake_http_server::fake_http_server(handler h, std::size_t max_body_bytes)
    : impl_(std::make_unique<impl>(std::move(h), max_body_bytes)) {
    tcp::endpoint const endpoint{net::ip::make_address("127.0.0.1"), 0};
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen();
    impl_->port = impl_->acceptor.local_endpoint().port();
    net::co_spawn(impl_->ioc, impl_->listen(), net::detached);
    impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

fake_http_server::~fake_http_server() {
    // A test fake may stop mid-request: pending sessions and hangs are destroyed with the io_context.
    impl_->ioc.stop();
    impl_->thread.join();
}

std::uint16_t fake_http_server::port() const { return impl_->port; }

std::string fake_http_server::base_url() const { return "http://127.0.0.1:" + std::to_string(port()); }

}  // namespace signoff::test
