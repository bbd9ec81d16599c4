#pragma once
// A real signoff server for integration tests: the built binary on 127.0.0.1:0 with a database
// in a temporary directory, on the demo configuration with short timers (optionally adjusted),
// with API clients for the demo's agency and PR-desk keys.

#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace signoff::test {

inline constexpr char const* agency_key = "test-agency-key";
inline constexpr char const* prdesk_key = "test-prdesk-key";

// The demo configuration as JSON, for tests that adjust it.
nlohmann::json demo_config();

struct running_server {
    // `adjust` edits the demo config before it is written; env is added to the server's. The
    // config gets "timers" of a scheduler pass every 50 ms and a first retry after 100 ms, so
    // that deadlines and retries take milliseconds; `adjust` may change them.
    explicit running_server(std::function<void(nlohmann::json&)> const& adjust = {}, environment env = {});

    void restart();           // SIGTERM, then start again on the same database
    void kill_and_restart();  // SIGKILL, then start again on the same database
    http_client client(char const* key) const;

    // Waits until no outbox row is queued: every message committed so far was delivered (and
    // recorded by the fake it went to) or given up. False when the timeout passes first.
    bool wait_outbox_settled(std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    temp_dir dir{"signoff-it"};
    std::string config_path;
    std::string db_path;
    environment env;
    std::optional<server_process> process;
    http_client agency;  // scopes submit, read
    http_client prdesk;  // scopes submit, read, admin

private:
    void start();
};

// A draft body for the demo directory's standards topic (role standardisation, head ddg-std).
nlohmann::json draft_body(std::string title = "World Standards Day", nlohmann::json extra = nlohmann::json::object());
nlohmann::json complaint_body(std::string text = "The helpline did not answer",
                              nlohmann::json extra = nlohmann::json::object());

// The decision body for POST /api/v1/items/{id}/decisions.
nlohmann::json decision(std::string action, std::string person, std::optional<std::string> text = std::nullopt);

}  // namespace signoff::test
