#pragma once
// The plumbing the platform fakes share: an HTTP/1.1 server on 127.0.0.1:<ephemeral port>, on
// its own thread, that serves keep-alive connections until the client closes them and answers
// every request with a handler. Beast stays in the .cpp.

#include "bot/core/http_types.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace signoff::test {

struct fake_response {
    int status = 200;
    header_list headers;  // set in order; the server adds Content-Length, and Connection as needed
    std::string body;
    std::chrono::milliseconds delay{0};  // a hang: the answer is written only after this long
};

class fake_http_server {
  public:
    // Runs on the server's thread, one request at a time; a hanging answer holds up only its own
    // connection. The request's `remote` is empty.
    using handler = std::function<fake_response(http_request const&)>;

    // Starts listening before it returns. A request that is malformed or has a body over
    // `max_body_bytes` drops its connection unanswered.
    explicit fake_http_server(handler h, std::size_t max_body_bytes = 16 * 1024 * 1024);
    ~fake_http_server();  // stops its thread; open connections and pending hangs are dropped
    fake_http_server(fake_http_server const&) = delete;
    fake_http_server& operator=(fake_http_server const&) = delete;

    std::uint16_t port() const;
    std::string base_url() const;  // "http://127.0.0.1:<port>"

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace signoff::test
