#include "fakes/recording_server.hpp"

#include "fakes/call_log.hpp"
#include "fakes/fake_http_server.hpp"

#include <deque>
#include <mutex>

namespace signoff::test {

namespace {

constexpr std::size_t max_body_bytes = 1024 * 1024;

}  // namespace

struct recording_server::impl {
    std::mutex mutex;  // guards script
    std::deque<int> script;
    call_log<request> seen;
    // NB: last, so it stops, and no handler runs, before the state above is destroyed.
    fake_http_server server{[this](http_request const& req) { return handle(req); }, max_body_bytes};

    int next_status() {
        std::lock_guard lock(mutex);
        if (script.empty()) return 200;
        int s = script.front();
        script.pop_front();
        return s;
    }

    fake_response handle(http_request const& req) {
        request r{req.method, req.target, req.headers, req.body, next_status()};
        fake_response res{.status = r.answered, .headers = {{"Content-Type", "application/json"}}, .body = "{}"};
        seen.add(std::move(r));
        return res;
    }
};

recording_server::recording_server() : impl_(std::make_unique<impl>()) {}

recording_server::~recording_server() = default;

std::uint16_t recording_server::port() const { return impl_->server.port(); }

std::string recording_server::url(std::string const& path) const { return impl_->server.base_url() + path; }

std::string recording_server::request::header(std::string_view name) const {
    auto v = find_header(headers, name);
    return v ? std::string(*v) : std::string{};
}

std::vector<recording_server::request> recording_server::requests() const { return impl_->seen.all(); }

bool recording_server::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
    return impl_->seen.wait_for_count(count, timeout);
}

void recording_server::answer_next(std::vector<int> statuses) {
    std::lock_guard lock(impl_->mutex);
    impl_->script.insert(impl_->script.end(), statuses.begin(), statuses.end());
}

}  // namespace signoff::test
