#include "fakes/recording_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace signoff::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct recording_server::impl {
    net::io_context ioc;
    tcp::acceptor acceptor{ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    std::vector<request> seen;
    std::deque<int> script;
    std::vector<std::thread> threads;
    std::vector<std::shared_ptr<tcp::socket>> sockets;
    std::thread acceptor_thread;
    bool stopping = false;

    int next_status() {
        std::lock_guard lock(mutex);
        if (script.empty()) return 200;
        int s = script.front();
        script.pop_front();
        return s;
    }

    void serve(tcp::socket& socket) {
        beast::flat_buffer buffer;
        beast::error_code ec;
        for (;;) {
            http::request<http::string_body> req;
            http::read(socket, buffer, req, ec);
            if (ec) return;
            request r{std::string(req.method_string()), std::string(req.target()), {}, req.body(), next_status()};
            for (auto const& f : req) r.headers.emplace_back(f.name_string(), f.value());
            http::response<http::string_body> res{static_cast<http::status>(r.answered), req.version()};
            res.set(http::field::content_type, "application/json");
            res.body() = "{}";
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            {
                std::lock_guard lock(mutex);
                seen.push_back(std::move(r));
            }
            changed.notify_all();
            http::write(socket, res, ec);
            if (ec || !res.keep_alive()) return;
        }
    }
};

recording_server::recording_server() : impl_(std::make_unique<impl>()) {
    impl_->acceptor_thread = std::thread([this] {
        for (;;) {
            beast::error_code ec;
            auto socket = std::make_shared<tcp::socket>(impl_->ioc);
            impl_->acceptor.accept(*socket, ec);
            std::lock_guard lock(impl_->mutex);
            if (ec || impl_->stopping) return;
            impl_->sockets.push_back(socket);
            impl_->threads.emplace_back([this, socket] { impl_->serve(*socket); });
        }
    });
}

recording_server::~recording_server() {
    beast::error_code ec;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    // A blocking accept() is not woken by close() from another thread: connect to it instead.
    tcp::socket wake(impl_->ioc);
    wake.connect(impl_->acceptor.local_endpoint(), ec);
    impl_->acceptor_thread.join();
    impl_->acceptor.close(ec);
    for (auto& socket : impl_->sockets) socket->shutdown(tcp::socket::shutdown_both, ec);
    for (auto& t : impl_->threads) t.join();
}

std::uint16_t recording_server::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string recording_server::url(std::string const& path) const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
}

std::string recording_server::request::header(std::string_view name) const {
    auto v = find_header(headers, name);
    return v ? std::string(*v) : std::string{};
}

std::vector<recording_server::request> recording_server::requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->seen;
}

bool recording_server::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, timeout, [&] { return impl_->seen.size() >= count; });
}

void recording_server::answer_next(std::vector<int> statuses) {
    std::lock_guard lock(impl_->mutex);
    impl_->script.insert(impl_->script.end(), statuses.begin(), statuses.end());
}

}  // namespace signoff::test
