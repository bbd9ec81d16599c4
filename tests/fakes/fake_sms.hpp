#pragma once
// A fake Twilio Messages API for tests: an HTTP/1.1 server on 127.0.0.1:<ephemeral port>, on its
// own thread, answering POST /2010-04-01/Accounts/<sid>/Messages.json the way Twilio does. It
// checks Basic auth (401 code 20003), the resource (404 code 20404, 405 code 20004), the form
// fields (400: 21604 no To, 21603 no From, 21602 no Body, 21211 To not E.164, 21617 Body over
// 1600 characters) and answers 201 with a fresh sid "SM1", "SM2", … and status "queued". Every
// request is recorded, failed ones too. Keep-alive connections are served until the client
// closes them. Beast stays in the .cpp.

#include "config/config.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace signoff::test {

class fake_sms {
  public:
    // Starts listening before it returns.
    explicit fake_sms(std::string account_sid = "AC00000000000000000000000000000001",
                      std::string auth_token = "fake-auth-token");
    ~fake_sms();  // stops its thread; connections still open are dropped
    fake_sms(fake_sms const&) = delete;
    fake_sms& operator=(fake_sms const&) = delete;

    std::uint16_t port() const;
    std::string api_base() const;  // "http://127.0.0.1:<port>"
    // A configuration that reaches this fake with its credentials.
    config::sms_config sms_config(std::string from = "+15550000000") const;

    struct call {
        std::string to;  // form fields, percent-decoded; empty when absent
        std::string from;
        std::string body;
        std::string sid;                           // the message sid answered, empty unless status is 201
        int status = 0;                            // the HTTP status the fake answered
        std::chrono::steady_clock::time_point at;  // when the request arrived
    };

    std::vector<call> calls() const;  // every request so far, in arrival order (a copy)
    // Waits until at least `count` requests were recorded or the timeout passes; returns whether they were.
    bool wait_for_calls(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    // The next `count` authenticated requests to the Messages resource get `status` with a Twilio
    // error body: 429 {"code":20429,"message":"Too Many Requests",…}, 500 {"code":20500,…},
    // 503 {"code":20503,…}, 400 {"code":21211,…}; others {"code":20000+status,…}.
    void fail_next_with(int status, int count = 1);

    // Forgets calls and scripts; sids keep increasing.
    void reset();

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace signoff::test
