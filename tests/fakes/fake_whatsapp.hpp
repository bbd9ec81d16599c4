#pragma once
// A fake WhatsApp Cloud API (Graph) for tests: an HTTP/1.1 server on 127.0.0.1:<ephemeral port>,
// on its own thread, that answers POST /v21.0/<phone_number_id>/messages the way Graph does:
// bearer token checked (401, code 190), the body validated (400, code 100), free text refused
// to numbers whose 24-hour window is closed (400, code 131047), else the success shape with a
// fresh "wamid.<n>"; and POST /v21.0/<phone_number_id>/media, a multipart upload that answers
// {"id": "<media id>"} for media messages ({"image": {"id"}} or {"link"}) to name. Every
// request is recorded, failed ones too. Keep-alive connections are
// served until the client closes them. Beast stays in the .cpp.

#include "fakes/multipart_form.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace signoff::test {

class fake_whatsapp {
  public:
    // Starts listening before it returns.
    explicit fake_whatsapp(std::string phone_number_id = "1234567890", std::string token = "TEST-WA-TOKEN");
    ~fake_whatsapp();  // stops its thread; connections still open are dropped
    fake_whatsapp(fake_whatsapp const&) = delete;
    fake_whatsapp& operator=(fake_whatsapp const&) = delete;

    std::uint16_t port() const;
    std::string api_base() const;  // "http://127.0.0.1:<port>/v21.0", for whatsapp_config::api_base
    std::string const& phone_number_id() const;
    std::string const& token() const;

    struct call {
        std::string path;     // the request path, e.g. "/v21.0/1234567890/messages"
        nlohmann::json body;  // the JSON body ({} when empty); a body that is not JSON is kept as a JSON string
        std::chrono::steady_clock::time_point at;  // when the request arrived
        int status = 0;                            // the HTTP status the fake answered
        std::string message_id;                    // the wamid it returned; empty for a failure
        std::vector<form_part> files;              // an upload's file parts, bytes as received
    };

    // The bytes uploaded as `media_id`, or nullopt.
    std::optional<std::string> uploaded(std::string const& media_id) const;

    std::vector<call> calls() const;  // every request so far, in arrival order (a copy)

    // Waits until `pred(calls())` holds or the timeout passes; returns whether it held. `pred`
    // runs on the caller's thread without any lock held, on a fresh copy after each request.
    bool wait_for(std::function<bool(std::vector<call> const&)> pred,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));
    bool wait_for_calls(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // Free text (type text or interactive) to `wa_id` gets 400 code 131047 "Re-engagement
    // message" until open_window_for; templates still go through.
    void close_window_for(std::string wa_id);
    void open_window_for(std::string wa_id);

    // The next `count` requests with the right token, to the right path, answer `http_status`
    // with a Graph error of `code` (e.g. 429/130429, 500/131000, 400/131047) instead of being
    // validated and sent.
    void fail_next_with(int http_status, int code, int count = 1);

    // Forgets calls, scripted failures and closed windows. Message ids keep increasing.
    void reset();

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace signoff::test
