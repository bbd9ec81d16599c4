#pragma once
// A fake Telegram Bot API for tests: an HTTP/1.1 server on 127.0.0.1:<ephemeral port>, on its own
// thread, that answers POST/GET /bot<token>/<method> with JSON bodies the way Telegram does
// (sendMessage, editMessageText, editMessageReplyMarkup, editMessageCaption, sendPhoto,
// sendVideo, sendDocument, sendMediaGroup, answerCallbackQuery, setWebhook, deleteWebhook,
// getMe), validates like Telegram, and records every request, failed ones too. Uploads come as
// multipart/form-data: their text fields are recorded as the body, their files as `files`.
// Keep-alive connections are served until the client closes them. Beast stays in the .cpp.

#include "fakes/multipart_form.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::test {

class fake_telegram {
  public:
    // Starts listening before it returns. The bot's id for getMe is the token's digits before ':'.
    explicit fake_telegram(std::string token = "123456:TEST-TOKEN");
    ~fake_telegram();  // stops its thread; connections still open are dropped
    fake_telegram(fake_telegram const&) = delete;
    fake_telegram& operator=(fake_telegram const&) = delete;

    std::uint16_t port() const;
    std::string api_base() const;  // "http://127.0.0.1:<port>", for telegram_config::api_base
    std::string const& token() const;

    struct call {
        std::string method;  // canonical Bot API name ("sendMessage"), or the request path when it names none
        nlohmann::json body;  // the JSON body ({} when empty); a body that is not JSON is kept as a JSON string
        std::chrono::steady_clock::time_point at;  // when the request arrived
        int status = 0;                            // the HTTP status the fake answered (or will, after a hang)
        std::vector<form_part> files;              // a multipart upload's file parts, bytes as received
    };

    std::vector<call> calls() const;  // every request so far, in arrival order (a copy)
    std::vector<call> calls(std::string_view method) const;

    // Waits until `pred(calls())` holds or the timeout passes; returns whether it held. `pred`
    // runs on the caller's thread without any lock held, on a fresh copy after each request.
    bool wait_for(std::function<bool(std::vector<call> const&)> pred,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));
    bool wait_for_calls(std::string_view method, std::size_t count,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // Scripted failures for the next requests with the right token, of any method, in the order
    // scripted: 429 {"ok":false,"error_code":429,"description":"Too Many Requests: retry after S",
    // "parameters":{"retry_after":S}}, 500 {"ok":false,"error_code":500,"description":"Internal
    // Server Error"}, or a hang (the normal answer, written only after `how_long`).
    void fail_next_with_429(int count, int retry_after_seconds);
    void fail_next_with_500(int count);
    void hang_next(int count, std::chrono::milliseconds how_long);
    // The next `count` calls of `method` are refused: with 400 "Bad Request: wrong file
    // identifier/HTTP URL specified" as Telegram refuses a file it cannot use, with 429 and
    // retry_after 2, or with 500 "Internal Server Error" for any other status.
    // With `chat`, only calls to that chat are refused.
    void refuse_next(std::string method, int count = 1, int status = 400, std::optional<std::int64_t> chat = std::nullopt);
    // From now on a sendMessage that arrives within `interval` of the last one accepted for the
    // same chat is answered 429 with retry_after 1, like Telegram's limit of about one message
    // per second per chat. Zero turns it off.
    void limit_per_chat(std::chrono::milliseconds interval);

    // Forgets calls and scripts. message_id keeps increasing and sent messages are remembered,
    // so edits of earlier messages still behave.
    void reset();

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace signoff::test
