#pragma once
// The real server with its Telegram channel pointed at a fake Bot API on loopback, and the
// means to post updates the way Telegram does and to see what the bot sent.

#include "fakes/fake_telegram.hpp"
#include "integration/server_fixture.hpp"

#include <optional>
#include <string>

namespace signoff::test {

inline constexpr char const* telegram_secret = "test-secret_Token-1";

// Demo people's Telegram chat ids (config/demo.json).
inline constexpr std::int64_t ddg_std = 100000004;  // head of standardisation, en
inline constexpr std::int64_t dh_std = 100000005;   // its department head (fallback), hi
inline constexpr std::int64_t ddg_ca = 100000006;   // head of consumer affairs (zh in these tests)
inline constexpr std::int64_t dpr = 100000002;      // observer, admin
inline constexpr std::int64_t stranger = 999999999;

struct telegram_world {
    // `bot_token` replaces the token the fake expects (a wrong one makes every send fail for good).
    explicit telegram_world(std::function<void(nlohmann::json&)> const& adjust = {},
                            std::optional<std::string> bot_token = std::nullopt, environment extra_env = {});

    fake_telegram telegram;
    std::optional<running_server> server;
    std::int64_t next_update = 500000;

    // Posts an Update with the right secret; returns the HTTP status.
    int post(nlohmann::json const& update);
    int send_text(std::int64_t from, std::string const& text, std::optional<std::int64_t> reply_to = std::nullopt);
    int press(std::int64_t from, std::string const& data, std::int64_t message_id);

    // sendMessage calls to `chat` so far, and waiting for the n-th.
    std::vector<fake_telegram::call> messages_to(std::int64_t chat);
    fake_telegram::call wait_message(std::int64_t chat, std::size_t nth, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    std::string last_text_to(std::int64_t chat);

    // The platform message id the server recorded for its latest card about `item` to `person`.
    std::int64_t card_message_id(std::int64_t item, std::string const& person, std::string const& purpose = "item_card",
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));

    nlohmann::json submit(nlohmann::json const& body);  // via the API, expecting 201
    nlohmann::json item(std::int64_t id);
};

}  // namespace signoff::test
