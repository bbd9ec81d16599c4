#pragma once
// The one outbound HTTP function (STYLE rule 16): HTTPS with peer and host-name verification,
// plain http only toward loopback test servers, kept-alive connections reused per host, a
// deadline on every request. Transport failures come back as values, never exceptions.

#include "bot/core/url.hpp"
#include "bot/core/chat_types.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace signoff {

struct fetch_response {
    int status = 0;      // 0 when the request failed before an answer
    header_list headers;
    std::string body;
    std::string error;   // set on transport failure (refused, timeout, TLS, bad URL)
};

class http_client {
public:
    // `extra_ca_file`: a PEM certificate trusted besides the system's (tests use it for a
    // local TLS server); verification stays on either way.
    explicit http_client(boost::asio::any_io_executor executor,
                         std::chrono::milliseconds timeout = std::chrono::seconds(15),
                         std::size_t max_body_bytes = 4 * 1024 * 1024, std::string const& extra_ca_file = {});
    ~http_client();

    boost::asio::awaitable<fetch_response> fetch(http_call const& request);

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};


}  // namespace signoff
