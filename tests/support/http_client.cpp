#include "support/http_client.hpp"

#include "support/openapi_check.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <limits>
#include <optional>
#include <ostream>
#include <stdexcept>

namespace signoff::test {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::chrono::seconds io_timeout{10};
constexpr std::size_t shown_body_bytes = 2000;

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// Runs one asynchronous operation to completion: the calls here are synchronous, but
// tcp_stream's timeouts only apply to asynchronous operations.
template <class Start>
beast::error_code run(net::io_context& ioc, Start start) {
    std::optional<beast::error_code> result;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    while (!result && ioc.run_one() > 0) {
    }
    if (!result) throw std::logic_error("http_client: operation never completed");
    return *result;
}

beast::tcp_stream connect(net::io_context& ioc, std::string const& host, std::uint16_t port) {
    beast::error_code ec;
    auto const endpoints = tcp::resolver(ioc).resolve(host, std::to_string(port), ec);
    if (ec) throw std::runtime_error("resolve " + host + ": " + ec.message());
    beast::tcp_stream stream(ioc);
    stream.expires_after(io_timeout);
    ec = run(ioc, [&](auto handler) { stream.async_connect(endpoints, std::move(handler)); });
    if (ec) throw std::runtime_error("connect " + host + ":" + std::to_string(port) + ": " + ec.message());
    return stream;
}

// Errors that mean the server closed an idle keep-alive connection before reading our request.
bool stale_connection(beast::error_code ec) {
    return ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
           ec == net::error::broken_pipe;
}

header_list with_json_type(header_list headers) {
    if (!find_header(headers, "Content-Type")) headers.emplace_back("Content-Type", "application/json");
    return headers;
}

}  // namespace

nlohmann::json response::json() const {
    try {
        return nlohmann::json::parse(body);
    } catch (nlohmann::json::parse_error const& e) {
        throw std::runtime_error("response body is not JSON (" + std::string(e.what()) + "): HTTP " +
                                 std::to_string(status) + " " + body.substr(0, shown_body_bytes));
    }
}

std::string response::header(std::string_view name) const {
    auto const it = headers.find(lower(name));
    return it == headers.end() ? std::string{} : it->second;
}

std::ostream& operator<<(std::ostream& out, response const& r) {
    out << "HTTP " << r.status << ' ' << r.body.substr(0, shown_body_bytes);
    if (r.body.size() > shown_body_bytes) out << "…";
    return out;
}

struct http_client::impl {
    net::io_context ioc;
    std::string host;
    std::uint16_t port;
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    header_list defaults;
    int opened = 0;
    bool check_openapi = true;
    int checked = 0;

    void close() {
        if (!stream) return;
        beast::error_code ignored;
        stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream.reset();
        buffer.clear();
    }

    response exchange(http::request<http::string_body> const& req) {
        for (int attempt = 1;; ++attempt) {
            bool const reused = stream.has_value();
            if (!reused) {
                stream.emplace(connect(ioc, host, port));
                ++opened;
            }
            stream->expires_after(io_timeout);
            auto ec = run(ioc, [&](auto handler) { http::async_write(*stream, req, std::move(handler)); });
            http::response_parser<http::string_body> parser;
            parser.body_limit(std::numeric_limits<std::uint64_t>::max());
            parser.skip(req.method() == http::verb::head);
            if (!ec) {
                stream->expires_after(io_timeout);
                ec = run(ioc, [&](auto handler) { http::async_read(*stream, buffer, parser, std::move(handler)); });
            }
            if (ec) {
                close();
                if (reused && attempt == 1 && stale_connection(ec) && !parser.got_some()) continue;
                throw std::runtime_error("http_client: " + std::string(req.method_string()) + " " +
                                         std::string(req.target()) + ": " + ec.message());
            }
            auto message = parser.release();
            if (!message.keep_alive()) close();
            response out{
                .status = static_cast<int>(message.result_int()), .headers = {}, .body = std::move(message.body())};
            for (auto const& field : message) {
                auto [it, fresh] = out.headers.try_emplace(lower(field.name_string()), field.value());
                if (!fresh) it->second += ", " + std::string(field.value());
            }
            return out;
        }
    }
};

http_client::http_client(std::uint16_t port, std::string host) : impl_(std::make_unique<impl>()) {
    impl_->host = std::move(host);
    impl_->port = port;
}

http_client::~http_client() = default;
http_client::http_client(http_client&&) noexcept = default;
http_client& http_client::operator=(http_client&&) noexcept = default;

void http_client::set_default_header(std::string name, std::string value) {
    auto const same = [&](auto const& h) { return lower(h.first) == lower(name); };
    std::erase_if(impl_->defaults, same);
    impl_->defaults.emplace_back(std::move(name), std::move(value));
}

response http_client::request(std::string_view method, std::string_view target, std::string body,
                              header_list const& headers) {
    http::request<http::string_body> req;
    if (auto const verb = http::string_to_verb(method); verb != http::verb::unknown)
        req.method(verb);
    else
        req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(http::field::host, impl_->host + ":" + std::to_string(impl_->port));
    for (auto const& [name, value] : impl_->defaults)
        if (!find_header(headers, name)) req.insert(name, value);
    for (auto const& [name, value] : headers) req.insert(name, value);
    req.body() = std::move(body);
    req.prepare_payload();
    auto out = impl_->exchange(req);
    if (!impl_->check_openapi) return out;
    auto const check = check_response(served_openapi(), method, target, out);
    if (check.violation) throw std::runtime_error(*check.violation);
    if (check.documented) ++impl_->checked;
    return out;
}

response http_client::get(std::string_view target, header_list const& headers) {
    return request("GET", target, {}, headers);
}

response http_client::post_json(std::string_view target, nlohmann::json const& body, header_list const& headers) {
    return request("POST", target, body.dump(), with_json_type(headers));
}

response http_client::put_json(std::string_view target, nlohmann::json const& body, header_list const& headers) {
    return request("PUT", target, body.dump(), with_json_type(headers));
}

void http_client::close() { impl_->close(); }

int http_client::connections_opened() const { return impl_->opened; }

void http_client::check_against_openapi(bool on) { impl_->check_openapi = on; }

int http_client::responses_checked() const { return impl_->checked; }

std::string raw_exchange(std::uint16_t port, std::string_view bytes, std::chrono::milliseconds wait,
                         std::string const& host) {
    net::io_context ioc;
    auto stream = connect(ioc, host, port);
    stream.expires_after(wait);  // NB: one deadline for the whole exchange, not per operation
    auto ec = run(ioc, [&](auto handler) { net::async_write(stream, net::buffer(bytes), std::move(handler)); });
    // A server may answer (413, 400) and close before reading everything: read what it sent.
    if (ec != beast::error::timeout) ec = {};
    std::string received;
    char chunk[4096];
    while (!ec) {
        ec = run(ioc, [&](auto handler) {
            stream.async_read_some(net::buffer(chunk), [&received, &chunk, handler = std::move(handler)](
                                                           beast::error_code e, std::size_t n) mutable {
                received.append(chunk, n);
                handler(e);
            });
        });
    }
    return received;
}

}  // namespace signoff::test
