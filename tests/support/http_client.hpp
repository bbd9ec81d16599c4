#pragma once
// A small synchronous HTTP/1.1 client for tests, talking plain HTTP to a server on this host.
// It keeps one keep-alive connection and reconnects when the server closed it. Every socket
// operation times out after 10 s. Beast stays in the .cpp so that test files compile fast.
// Every response to a path of bot/api/openapi.json is checked against that document
// (support/openapi_check.hpp); one that does not conform throws std::runtime_error naming
// method, target, status and the schema's complaint.

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "bot/core/http_types.hpp"

namespace signoff::test {

struct response {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names; repeated fields joined with ", "
    std::string body;

    // The body parsed as JSON; throws std::runtime_error showing status and body when it is not JSON.
    nlohmann::json json() const;
    // The header's value, or "" when absent; `name` in any case.
    std::string header(std::string_view name) const;
};

// "HTTP 404 {body}", for INFO(r) before asserting on a response.
std::ostream& operator<<(std::ostream& out, response const& r);

class http_client {
  public:
    explicit http_client(std::uint16_t port, std::string host = "127.0.0.1");
    ~http_client();
    http_client(http_client&&) noexcept;
    http_client& operator=(http_client&&) noexcept;

    // Sent with every request unless that request lists the same header itself,
    // e.g. set_default_header("Authorization", "Bearer demo-prdesk-key").
    void set_default_header(std::string name, std::string value);

    // Any method, including ones HTTP does not define. Content-Length follows the body; no
    // Content-Type is added. Throws std::runtime_error on connection failures and timeouts.
    response request(std::string_view method, std::string_view target, std::string body = {},
                     header_list const& headers = {});
    response get(std::string_view target, header_list const& headers = {});
    // Send body.dump() with Content-Type: application/json.
    response post_json(std::string_view target, nlohmann::json const& body, header_list const& headers = {});
    response put_json(std::string_view target, nlohmann::json const& body, header_list const& headers = {});

    void close();                    // drops the connection; the next request opens a new one
    int connections_opened() const;  // how many TCP connections this client has made

    // Off only for servers that are not signoff (canned replies in the client's own tests).
    void check_against_openapi(bool on);
    int responses_checked() const;  // how many responses were checked against the document

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// Connects to host:port, writes `bytes` as they are, and returns everything the server sends
// until it closes the connection or `wait` has passed. For malformed and slow requests.
std::string raw_exchange(std::uint16_t port, std::string_view bytes,
                         std::chrono::milliseconds wait = std::chrono::seconds{10},
                         std::string const& host = "127.0.0.1");

}  // namespace signoff::test
