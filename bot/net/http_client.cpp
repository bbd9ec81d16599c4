#include "bot/net/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <variant>
#include <vector>

namespace signoff {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {
constexpr std::size_t max_idle_per_host = 8;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

beast::tcp_stream& lowest(plain_stream& s) { return s; }
beast::tcp_stream& lowest(tls_stream& s) { return beast::get_lowest_layer(s); }
}  // namespace

struct connection {
    std::variant<std::unique_ptr<plain_stream>, std::unique_ptr<tls_stream>> stream;
    beast::flat_buffer buffer;
};

struct http_client::impl {
    net::any_io_executor executor;
    std::chrono::milliseconds timeout;
    std::size_t max_body;
    std::string extra_ca_file;
    std::once_flag tls_made;
    std::optional<ssl::context> tls_context;
    std::mutex mutex;

    // Made at the first HTTPS request, not at start: a server that only talks plain HTTP on
    // loopback never pays for OpenSSL's set-up. The system's CAs are looked up by subject hash
    // in the certificate directory when a chain is verified, instead of parsing the whole
    // bundle (some 140 certificates, a few MiB of resident memory) up front.
    ssl::context& tls() {
        std::call_once(tls_made, [this] {
            auto& t = tls_context.emplace(ssl::context::tls_client);
            auto* store = SSL_CTX_get_cert_store(t.native_handle());
            char const* dir = std::getenv(X509_get_default_cert_dir_env());
            X509_STORE_load_path(store, dir ? dir : X509_get_default_cert_dir());
            // An operator's SSL_CERT_FILE is honoured, as OpenSSL's own tools do.
            if (char const* file = std::getenv(X509_get_default_cert_file_env())) X509_STORE_load_file(store, file);
            if (!extra_ca_file.empty()) t.load_verify_file(extra_ca_file);
            t.set_verify_mode(ssl::verify_peer);
            SSL_CTX_set_min_proto_version(t.native_handle(), TLS1_2_VERSION);
        });
        return *tls_context;
    }
    std::map<std::string, std::vector<std::unique_ptr<connection>>> idle;

    std::unique_ptr<connection> take(std::string const& key) {
        std::lock_guard lock(mutex);
        auto& list = idle[key];
        if (list.empty()) return nullptr;
        auto c = std::move(list.back());
        list.pop_back();
        return c;
    }
    void give_back(std::string const& key, std::unique_ptr<connection> c) {
        std::lock_guard lock(mutex);
        auto& list = idle[key];
        if (list.size() < max_idle_per_host) list.push_back(std::move(c));
    }

    net::awaitable<std::unique_ptr<connection>> open(url_parts const& url, std::string& error) {
        // A lookup that hangs must not hold a delivery forever: it gets the same deadline as
        // every other step. The resolver is shared with the timer, which may fire after we return.
        auto resolver = std::make_shared<tcp::resolver>(executor);
        net::steady_timer deadline(executor, timeout);
        deadline.async_wait([weak = std::weak_ptr<tcp::resolver>(resolver)](boost::system::error_code ec) {
            if (auto r = weak.lock(); r && !ec) r->cancel();
        });
        auto [rec, results] = co_await resolver->async_resolve(url.host, url.port, use_tuple);
        bool const timed_out = rec == net::error::operation_aborted && deadline.expiry() <= std::chrono::steady_clock::now();
        deadline.cancel();
        if (rec) {
            error = "resolve " + url.host + ": " + (timed_out ? std::string("timed out") : rec.message());
            co_return nullptr;
        }
        auto c = std::make_unique<connection>();
        if (url.scheme == "https") {
            ssl::context* context = nullptr;
            try {
                context = &tls();
            } catch (std::exception const& e) {
                error = std::string("TLS set-up: ") + e.what();
                co_return nullptr;
            }
            auto s = std::make_unique<tls_stream>(executor, *context);
            if (!SSL_set_tlsext_host_name(s->native_handle(), url.host.c_str())) {
                error = "TLS: cannot set SNI";
                co_return nullptr;
            }
            s->set_verify_callback(ssl::host_name_verification(url.host));
            lowest(*s).expires_after(timeout);
            auto [cec, ep] = co_await lowest(*s).async_connect(results, use_tuple);
            if (cec) {
                error = "connect " + url.host + ": " + cec.message();
                co_return nullptr;
            }
            lowest(*s).expires_after(timeout);
            auto [hec] = co_await s->async_handshake(ssl::stream_base::client, use_tuple);
            if (hec) {
                error = "TLS handshake with " + url.host + ": " + hec.message();
                co_return nullptr;
            }
            c->stream = std::move(s);
        } else {
            auto s = std::make_unique<plain_stream>(executor);
            s->expires_after(timeout);
            auto [cec, ep] = co_await s->async_connect(results, use_tuple);
            if (cec) {
                error = "connect " + url.host + ": " + cec.message();
                co_return nullptr;
            }
            c->stream = std::move(s);
        }
        co_return c;
    }

    // One exchange on an open connection; false (with error) when the transport failed.
    net::awaitable<bool> exchange(connection& c, http::request<http::string_body> const& req, fetch_response& out,
                                  bool& keep_alive) {
        bool ok = co_await std::visit(
            [&](auto& stream) -> net::awaitable<bool> {
                lowest(*stream).expires_after(timeout);
                auto [wec, wn] = co_await http::async_write(*stream, req, use_tuple);
                if (wec) {
                    out.error = "write: " + wec.message();
                    co_return false;
                }
                http::response_parser<http::string_body> parser;
                parser.body_limit(max_body);
                lowest(*stream).expires_after(timeout);
                auto [rec, rn] = co_await http::async_read(*stream, c.buffer, parser, use_tuple);
                if (rec) {
                    out.error = "read: " + rec.message();
                    co_return false;
                }
                auto res = parser.release();
                out.status = static_cast<int>(res.result_int());
                for (auto const& field : res) out.headers.emplace_back(field.name_string(), field.value());
                out.body = std::move(res.body());
                keep_alive = res.keep_alive();
                co_return true;
            },
            c.stream);
        co_return ok;
    }
};

http_client::http_client(net::any_io_executor executor, std::chrono::milliseconds timeout, std::size_t max_body_bytes,
                         std::string const& extra_ca_file)
    : impl_(std::make_shared<impl>()) {
    impl_->executor = std::move(executor);
    impl_->timeout = timeout;
    impl_->max_body = max_body_bytes;
    impl_->extra_ca_file = extra_ca_file;
}

http_client::~http_client() = default;

net::awaitable<fetch_response> http_client::fetch(http_call const& request) {
    auto self = impl_;  // the client may go away while a request is in flight
    fetch_response out;
    url_parts url;
    if (!parse_url(request.url, url)) {
        out.error = "malformed URL";
        co_return out;
    }
    if (url.scheme == "http" && !is_loopback_host(url.host)) {
        out.error = "plain http is allowed only toward loopback test servers";
        co_return out;
    }
    http::request<http::string_body> req{http::string_to_verb(request.method), url.target, 11};
    req.set(http::field::host, url.host);
    req.set(http::field::user_agent, "signoff");
    for (auto const& [name, value] : request.headers) req.set(name, value);
    req.body() = request.body;
    req.prepare_payload();
    req.keep_alive(true);

    std::string key = url.scheme + "://" + url.host + ":" + url.port;
    // A kept-alive connection may have been closed by the server meanwhile: one retry on a fresh one.
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto c = self->take(key);
        bool reused = c != nullptr;
        if (!c) {
            c = co_await self->open(url, out.error);
            if (!c) co_return out;
        }
        out = fetch_response{};
        bool keep_alive = false;
        if (co_await self->exchange(*c, req, out, keep_alive)) {
            if (keep_alive) self->give_back(key, std::move(c));
            co_return out;
        }
        if (!reused) co_return out;
    }
    co_return out;
}

}  // namespace signoff
