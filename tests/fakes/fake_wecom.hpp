#pragma once
// A fake WeCom server API for tests: an HTTP/1.1 server on 127.0.0.1:<ephemeral port>, on its own
// thread, answering GET /cgi-bin/gettoken, POST /cgi-bin/message/send and POST
// /cgi-bin/message/update_template_card with WeCom's JSON ({"errcode":…,"errmsg":…}, always
// HTTP 200; 404 for other paths). It validates like WeCom where signoff depends on it (token,
// agentid, recipients, text size, card task_id/button_list, single-use response codes) and
// records every request, failed ones too. Keep-alive connections are served until the client
// closes them. Beast stays in the .cpp.
//
// Error codes (WeCom's meaning; the fake's choice where WeCom does not document one):
// 40013 wrong corpid, 40001 wrong secret; 41001 no access_token, 40014 a token never issued,
// 42001 an expired token; 47001 body not a JSON object; 40056 wrong agentid; 40003 no touser;
// 81013 every recipient invalid (see reject_user); 44004 empty text, 45002 text over 2048 bytes;
// 40008 unknown msgtype; 40058 a bad or reused task_id, a bad button_list, an unknown or used
// response_code (fake's choice).

#include <nlohmann/json.hpp>

#include "fakes/multipart_form.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::test {

class fake_wecom {
  public:
    struct options {
        std::string corp_id = "wwfakecorp0000001";
        std::string corp_secret = "fake-corp-secret";
        std::int64_t agent_id = 1000002;
    };

    fake_wecom();  // default options; starts listening before it returns
    explicit fake_wecom(options o);
    ~fake_wecom();  // stops its thread; connections still open are dropped
    fake_wecom(fake_wecom const&) = delete;
    fake_wecom& operator=(fake_wecom const&) = delete;

    std::uint16_t port() const;
    std::string api_base() const;  // "http://127.0.0.1:<port>", for wecom_config::api_base
    options const& settings() const;

    struct call {
        std::string api;           // "gettoken", "message/send", "message/update_template_card", else the path
        std::string method;        // "GET", "POST"
        std::string access_token;  // from the query; "" when absent
        nlohmann::json body;       // the JSON body ({} when empty); a body that is not JSON is kept as a string
        int errcode = 0;           // what the fake answered (-404 for an unknown path)
        std::chrono::steady_clock::time_point at;
        std::vector<form_part> files;  // a media/upload's file parts, bytes as received
    };

    // The bytes uploaded as temporary media `media_id` (media/upload), or nullopt.
    std::optional<std::string> uploaded(std::string const& media_id) const;

    std::vector<call> calls() const;  // every request so far, in arrival order (a copy)
    std::vector<call> calls(std::string_view api) const;
    std::size_t token_requests() const;  // gettoken calls, refused ones included

    // Waits until `pred(calls())` holds or the timeout passes; returns whether it held. `pred`
    // runs on the caller's thread without any lock held, on a fresh copy after each request.
    bool wait_for(std::function<bool(std::vector<call> const&)> pred,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));
    bool wait_for_calls(std::string_view api, std::size_t count,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // Every token issued so far becomes expired: the next send or update with one gets 42001.
    // Tokens are "TOKEN-<n>", n counting issued tokens from 1.
    void expire_tokens();

    // The next message/send or update_template_card requests that carry a valid token answer
    // these errcodes instead, in order (-1 "system busy", 45009, 45033, …).
    void fail_next(std::vector<int> errcodes);

    // Sends whose only recipient is `userid` fail with 81013.
    void reject_user(std::string userid);

    // A fresh single-use response code, as a click event's ResponseCode would carry.
    // Card sends also issue one each ("RC-<n>", returned as response_code).
    std::string issue_response_code();

    // Forgets calls, scripts and the token request count. Tokens, task ids and response codes
    // stay as they are.
    void reset();

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace signoff::test
