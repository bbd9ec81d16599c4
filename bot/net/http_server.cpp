#include "bot/net/http_server.hpp"

#include "bot/core/log.hpp"
#include "bot/net/http_bodies.hpp"
#include "bot/net/request_framing.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <list>
#include <mutex>
#include <system_error>
#include <type_traits>
#include <vector>

namespace signoff {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

using http_bodies::read_spooled;
using http_bodies::to_beast;
using http_bodies::write_file_response;

constexpr std::size_t read_chunk_bytes = 4096;
constexpr std::chrono::milliseconds max_linger{1000};     // draining a connection we close
constexpr std::chrono::milliseconds accept_pause{100};    // after an accept error such as EMFILE
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

struct session_base {
    virtual ~session_base() = default;
    virtual void close_if_idle() = 0;  // NB: call on `strand` only
    net::any_io_executor strand;
};

struct server_state {
    server_state(net::io_context& ioc, server_options options, router const& routes, metrics& registry)
        : ioc(ioc), options(std::move(options)), routes(routes), registry(registry), acceptor(net::make_strand(ioc)),
          in_flight(registry.gauge("signoff_http_requests_in_flight", "HTTP requests being handled")),
          refused(registry.counter("signoff_http_connections_refused_total",
                                   "Connections closed at once because server.max_connections were open")),
          duration(registry.histogram("signoff_http_request_duration_seconds", "HTTP request handling time")) {}

    net::io_context& ioc;
    server_options const options;
    router const& routes;
    metrics& registry;
    tcp::acceptor acceptor;  // used on its own strand only
    tcp::endpoint endpoint;
    std::optional<ssl::context> tls;
    std::atomic<bool> stopping{false};
    std::mutex mutex;                                 // guards sessions
    std::list<std::weak_ptr<session_base>> sessions;  // live connections, for stop()
    gauge& in_flight;
    counter& refused;
    histogram& duration;
};

template <class Stream>
struct session : session_base {
    session(std::shared_ptr<server_state> st, tcp::socket&& socket, std::string remote)
        : stream(make_stream(std::move(socket), *st)), server(std::move(st)), remote(std::move(remote)) {
        strand = stream.get_executor();
    }
    ~session() override {
        std::lock_guard lock(server->mutex);
        server->sessions.erase(registration);
    }
    static Stream make_stream(tcp::socket&& socket, server_state& st) {
        if constexpr (std::is_same_v<Stream, tls_stream>) return Stream(std::move(socket), *st.tls);
        else return Stream(std::move(socket));
    }
    void close_if_idle() override {
        if (idle) beast::get_lowest_layer(stream).cancel();
    }

    Stream stream;
    beast::flat_buffer buffer;
    std::shared_ptr<server_state> server;
    std::string remote;
    bool idle = true;  // waiting for a request's first byte (or the TLS handshake); strand only
    std::list<std::weak_ptr<session_base>>::iterator registration;
};

void log_failure(std::string_view op, beast::error_code ec, std::string const& remote) {
    if (ec == net::error::eof || ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == ssl::error::stream_truncated)  // a TLS peer that closed without close_notify
        return;
    log::warn("http.session_error", {{"op", op}, {"error", ec.message()}, {"remote", remote}});
}

void log_exception(std::exception_ptr e) {
    if (!e) return;
    try {
        std::rethrow_exception(e);
    } catch (std::exception const& ex) {
        log::error("http.coroutine_failed", {{"error", ex.what()}});
    } catch (...) {
        log::error("http.coroutine_failed", {{"error", "unknown exception"}});
    }
}


// The request as far as it is known after its headers: no body.
http_request head_of(http::request_parser<http::string_body>::value_type const& head, std::string const& remote) {
    http_request out;
    out.method = head.method_string();
    out.target = head.target();
    for (auto const& f : head) out.headers.emplace_back(f.name_string(), f.value());
    out.remote = remote;
    return out;
}

// Shut down our side, then read and discard for a moment so that unread request bytes do not
// turn our close into a reset that could destroy the response before the client reads it.
template <class Stream>
net::awaitable<void> linger_close(session<Stream>& s) {
    auto& lowest = beast::get_lowest_layer(s.stream);
    lowest.expires_after(std::min<std::chrono::milliseconds>(s.server->options.request_timeout, max_linger));
    if constexpr (std::is_same_v<Stream, tls_stream>) {
        co_await s.stream.async_shutdown(use_tuple);
    } else {
        beast::error_code ec;
        lowest.socket().shutdown(tcp::socket::shutdown_send, ec);
        char scratch[read_chunk_bytes];
        for (;;) {
            auto [read_ec, n] = co_await lowest.async_read_some(net::buffer(scratch), use_tuple);
            if (read_ec) break;
        }
    }
    lowest.close();
}

// Reads, answers and writes one request whose first byte is in s.buffer. Returns whether the
// connection stays open for another request.
template <class Stream>
net::awaitable<bool> serve_one(session<Stream>& s) {
    auto& st = *s.server;
    auto& lowest = beast::get_lowest_layer(s.stream);
    lowest.expires_after(std::min(st.options.header_timeout, st.options.request_timeout));
    http::request_parser<http::string_body> parser;
    parser.header_limit(max_header_bytes);
    parser.body_limit(boost::none);  // the route decides, once the head is known
    beast::error_code ec;
    std::size_t n = 0;
    std::tie(ec, n) = co_await http::async_read_header(s.stream, s.buffer, parser, use_tuple);
    // A framing the parser and a proxy in front could read differently is refused, so that no
    // body can be read as a second request (request smuggling).
    bool const bad_framing = !ec && !plainly_chunked_or_absent(parser.get());
    // Credentials and signatures are checked before a body is read: an unauthenticated client
    // cannot make the server hold its body.
    // The request's head is copied once: for the check, then for the handler with its body.
    http_request req;
    std::optional<http_response> refused;
    bool const head_ok = !ec && !bad_framing;
    if (head_ok) req = head_of(parser.get(), s.remote);
    if (head_ok && !parser.is_done() && !st.stopping) refused = st.routes.check_head(req);
    body_spool const* spool = head_ok && !refused ? st.routes.spool_of(req) : nullptr;
    std::uint64_t const body_limit = spool ? spool->max_bytes : st.options.max_body_bytes;
    bool const too_large = head_ok && !refused && parser.content_length() && *parser.content_length() > body_limit;
    parser.body_limit(body_limit);
    bool const read_body = head_ok && !refused && !too_large && !parser.is_done();
    lowest.expires_after(st.options.request_timeout);
    if (read_body && beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        http::response<http::empty_body> proceed{http::status::continue_, parser.get().version()};
        std::tie(ec, n) = co_await http::async_write(s.stream, proceed, use_tuple);
    }

    // What the log and the answer need of the head, taken before a spooled body moves the parser.
    auto const& head = parser.get();
    std::string method(head.method_string());
    std::string path(head.target().substr(0, head.target().find('?')));
    unsigned const version = head.version() == 10 ? 10 : 11;
    bool const client_keep_alive = head.keep_alive();
    if (read_body && !ec) {
        if (spool) std::tie(ec, req.spooled) = co_await read_spooled(s.stream, s.buffer, st.options.request_timeout, std::move(parser), *spool);
        else std::tie(ec, n) = co_await http::async_read(s.stream, s.buffer, parser, use_tuple);
    }
    // A spooled body the handler did not keep is deleted however the request ends.
    struct remove_spool {
        http_request const& r;
        void now() const {
            std::error_code ignored;
            if (r.spooled) std::filesystem::remove(r.spooled->file, ignored);
        }
        ~remove_spool() { now(); }
    } const cleanup{req};

    auto const started = std::chrono::steady_clock::now();
    http_response res;
    bool keep_alive = false;
    if (bad_framing) {
        res = error_response(400, "bad_request", "Transfer-Encoding must be exactly \"chunked\"");
    } else if (refused) {
        res = std::move(*refused);  // the body was not read: the connection closes
    } else if (too_large || ec == http::error::body_limit) {
        auto limit = std::to_string(body_limit);
        res = error_response(413, "body_too_large", "request body exceeds " + limit + " bytes");
    } else if (ec == http::error::header_limit) {
        res = error_response(400, "bad_request", "request header exceeds 16 KiB");
    } else if (ec == http::error::partial_message) {
        co_return false;  // the client closed mid-request: nobody to answer
    } else if (ec && ec.category() == http::make_error_code(http::error::bad_target).category()) {
        res = error_response(400, "bad_request", "malformed HTTP request: " + ec.message());
    } else if (ec) {
        log_failure("read", ec, s.remote);
        co_return false;
    } else if (st.stopping) {
        res = error_response(503, "shutting_down", "the server is shutting down");
    } else {
        if (!spool) req.body = std::move(parser.release().body());
        st.in_flight.add(1);
        try {
            res = co_await st.routes.route(req);
        } catch (...) {
            st.in_flight.add(-1);
            throw;
        }
        st.in_flight.add(-1);
        keep_alive = client_keep_alive && !res.close && !st.stopping;
        if (res.status < 100 || res.status > 599) {
            log::error("http.bad_status", {{"method", method}, {"path", path}, {"status", res.status}});
            res = error_response(500, "internal", "internal error");
        }
    }

    cleanup.now();  // before the answer: a client that has it finds nothing left behind
    // Counted before the write, so that a client that has its answer also finds it counted.
    std::chrono::duration<double> const elapsed = std::chrono::steady_clock::now() - started;
    auto const code = std::to_string(res.status);
    st.registry.counter("signoff_http_requests_total", "HTTP requests answered", {{"code", code}}).inc();
    st.duration.observe(elapsed.count());
    log::info("http.request", {{"method", method}, {"path", path}, {"status", res.status},
                               {"ms", std::round(elapsed.count() * 10000) / 10}});

    if (res.file && method != "HEAD") {
        ec = co_await write_file_response(s.stream, st.options.request_timeout, std::move(res), version, keep_alive);
    } else {
        res.file.reset();
        auto msg = to_beast(std::move(res), version, keep_alive);
        lowest.expires_after(st.options.request_timeout);
        std::tie(ec, n) = co_await http::async_write(s.stream, msg, use_tuple);
    }
    if (ec) {
        log_failure("write", ec, s.remote);
        co_return false;
    }
    if (!keep_alive) co_await linger_close(s);
    co_return keep_alive;
}

template <class Stream>
net::awaitable<void> run_session(std::shared_ptr<session<Stream>> s) {
    auto& st = *s->server;
    auto& lowest = beast::get_lowest_layer(s->stream);
    if constexpr (std::is_same_v<Stream, tls_stream>) {
        if (st.stopping) co_return;
        lowest.expires_after(st.options.request_timeout);
        auto [ec] = co_await s->stream.async_handshake(ssl::stream_base::server, use_tuple);
        if (ec) co_return log_failure("handshake", ec, s->remote);
    }
    for (bool first = true;; first = false) {
        if (s->buffer.size() == 0) {
            if (st.stopping) co_return;
            // A first request must start within request_timeout; later ones within idle_timeout.
            lowest.expires_after(first ? st.options.request_timeout : st.options.idle_timeout);
            s->idle = true;
            auto [ec, n] = co_await s->stream.async_read_some(s->buffer.prepare(read_chunk_bytes), use_tuple);
            s->idle = false;
            if (ec == beast::error::timeout) co_return;  // a silent connection is not an error
            if (ec) co_return log_failure("read", ec, s->remote);
            s->buffer.commit(n);
        }
        if (!co_await serve_one(*s)) co_return;
    }
}

template <class Stream>
void spawn_session(std::shared_ptr<server_state> const& st, tcp::socket socket) {
    beast::error_code ec;
    auto peer = socket.remote_endpoint(ec);
    auto s = std::make_shared<session<Stream>>(st, std::move(socket), ec ? "" : peer.address().to_string());
    {
        std::lock_guard lock(st->mutex);
        s->registration = st->sessions.insert(st->sessions.end(), s);
    }
    net::co_spawn(s->strand, run_session(s), log_exception);
}

net::awaitable<void> accept_loop(std::shared_ptr<server_state> st) {
    for (;;) {
        auto [ec, socket] = co_await st->acceptor.async_accept(net::make_strand(st->ioc), use_tuple);
        if (!st->acceptor.is_open() || ec == net::error::operation_aborted) co_return;
        if (ec) {
            log::warn("http.accept_failed", {{"error", ec.message()}});
            net::steady_timer pause(co_await net::this_coro::executor, accept_pause);
            co_await pause.async_wait(use_tuple);
            continue;
        }
        bool full = false;
        {
            std::lock_guard lock(st->mutex);
            full = st->sessions.size() >= st->options.max_connections;
        }
        if (full) {
            st->refused.inc();  // before the close, so that whoever sees the close can see the count
            beast::error_code ignored;
            socket.close(ignored);
            continue;
        }
        if (st->tls) spawn_session<tls_stream>(st, std::move(socket));
        else spawn_session<plain_stream>(st, std::move(socket));
    }
}

// "host:port", "[v6]:port" → {host, port}.
std::pair<std::string, std::string> split_listen(std::string const& listen) {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon + 1 == listen.size())
        throw std::system_error(std::make_error_code(std::errc::invalid_argument), "listen address " + listen);
    std::string host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return {host, listen.substr(colon + 1)};
}

void check(beast::error_code ec, std::string const& what) {
    if (ec) throw std::system_error(std::error_code(ec), what);
}

}  // namespace

struct http_server::impl : server_state {
    using server_state::server_state;
};

http_server::http_server(net::io_context& ioc, server_options options, router const& routes, metrics& registry)
    : impl_(std::make_shared<impl>(ioc, std::move(options), routes, registry)) {}

http_server::~http_server() { stop(); }

void http_server::start() {
    auto& st = *impl_;
    auto const& listen = st.options.listen;
    beast::error_code ec;
    if (auto const& files = st.options.tls_cert_key_files) {
        auto& tls = st.tls.emplace(ssl::context::tls_server);
        SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
        tls.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
        tls.use_certificate_chain_file(files->first, ec);
        check(ec, "TLS certificate " + files->first);
        tls.use_private_key_file(files->second, ssl::context::pem, ec);
        check(ec, "TLS key " + files->second);
    }
    auto [host, port] = split_listen(listen);
    tcp::resolver resolver(st.ioc);
    auto endpoints = resolver.resolve(host, port, tcp::resolver::passive, ec);
    check(ec, "resolve " + listen);
    if (endpoints.empty()) check(net::error::host_not_found, "resolve " + listen);
    auto const endpoint = endpoints.begin()->endpoint();
    st.acceptor.open(endpoint.protocol(), ec);
    check(ec, "socket " + listen);
    st.acceptor.set_option(net::socket_base::reuse_address(true), ec);
    check(ec, "SO_REUSEADDR " + listen);
    st.acceptor.bind(endpoint, ec);
    check(ec, "bind " + listen);
    st.acceptor.listen(net::socket_base::max_listen_connections, ec);
    check(ec, "listen " + listen);
    st.endpoint = st.acceptor.local_endpoint(ec);
    check(ec, "getsockname " + listen);
    net::co_spawn(st.acceptor.get_executor(), accept_loop(impl_), log_exception);
}

tcp::endpoint http_server::local_endpoint() const { return impl_->endpoint; }

void http_server::stop() {
    std::shared_ptr<server_state> st = impl_;
    if (st->stopping.exchange(true)) return;
    net::post(st->acceptor.get_executor(), [st] {
        beast::error_code ec;
        st->acceptor.close(ec);
    });
    // Collected first, because a session's last owner may be this vector, and its destructor
    // takes the mutex.
    std::vector<std::shared_ptr<session_base>> live;
    {
        std::lock_guard lock(st->mutex);
        for (auto const& w : st->sessions)
            if (auto s = w.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) net::post(s->strand, [s] { s->close_if_idle(); });
    log::info("http.stopping", {{"connections", live.size()}});
}

}  // namespace signoff
