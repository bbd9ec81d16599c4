#pragma once
// The HTTP/1.1 listener (STYLE §B): one coroutine per connection on its own strand, timeouts on
// every socket operation, body and header limits, optional TLS. Requests are handed to the
// router as neutral http_request values; the router never sees a socket.

#include "bot/net/metrics.hpp"
#include "bot/net/router.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace signoff {

struct server_options {
    std::string listen = "127.0.0.1:0";                  // HOST:PORT or [V6]:PORT; port 0 picks a free one
    std::size_t max_body_bytes = 1048576;                // larger request bodies get 413
    int threads = 2;                                     // informational: main runs the io_context on this many
    std::chrono::milliseconds request_timeout{30000};    // first byte to full request; also each write
    std::chrono::milliseconds idle_timeout{60000};       // between keep-alive requests
    std::chrono::milliseconds header_timeout{10000};     // first byte to the end of the headers
    std::size_t max_connections = 1024;                  // more are closed as soon as they are accepted
    std::optional<std::pair<std::string, std::string>> tls_cert_key_files;  // PEM chain, PEM key
};

class http_server {
public:
    // router and metrics must outlive every run() of the io_context.
    http_server(boost::asio::io_context& ioc, server_options options, router const& routes, metrics& registry);
    ~http_server();
    http_server(http_server const&) = delete;
    http_server& operator=(http_server const&) = delete;

    // Resolve, bind, listen and spawn the accept loop. Throws std::system_error when the address
    // cannot be resolved or bound, or the TLS files cannot be loaded.
    void start();

    // The bound address, with the real port; valid after start().
    boost::asio::ip::tcp::endpoint local_endpoint() const;

    // Graceful and thread-safe: stop accepting, close idle connections, let requests in flight
    // finish with Connection: close and answer later requests 503 shutting_down. run() returns
    // once that work drains. Idempotent.
    void stop();

private:
    struct impl;
    std::shared_ptr<impl> impl_;  // shared with the sessions, which may outlive this object
};

}  // namespace signoff
