#include "bot/core/api_error.hpp"
#include "bot/webhooks/webhooks.hpp"

#include <chrono>
#include <memory>

namespace signoff {

router::handler metered(app& a, std::string const& channel, router::handler h) {
    auto& seconds = a.registry.histogram("signoff_webhook_request_duration_seconds",
                                         "Webhook handling time by channel", {{"channel", channel}});
    auto count = [&a, channel](int status) {
        a.registry
            .counter("signoff_webhook_requests_total", "Webhook requests by channel and status code",
                     {{"channel", channel}, {"code", std::to_string(status)}})
            .inc();
    };
    return [&seconds, count, h = std::move(h)](http_request const& req,
                                                 route_params const& params) -> boost::asio::awaitable<http_response> {
        auto started = std::chrono::steady_clock::now();
        auto record = [&](int status) {
            seconds.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
            count(status);
        };
        try {
            auto response = co_await h(req, params);
            record(response.status);
            co_return response;
        } catch (api_error const& e) {
            record(e.status);
            throw;
        } catch (store_error const&) {
            record(503);  // what the router answers for it
            throw;
        } catch (...) {
            record(500);
            throw;
        }
    };
}

}  // namespace signoff
