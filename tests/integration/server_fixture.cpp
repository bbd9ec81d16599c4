#include "integration/server_fixture.hpp"

#include "bot/core/time.hpp"
#include "bot/engine/digest_time.hpp"
#include "store/sqlite.hpp"

#include <fstream>
#include <stdexcept>
#include <thread>

namespace signoff::test {

nlohmann::json demo_config() {
    return nlohmann::json::parse(read_file(std::string(SIGNOFF_SOURCE_DIR) + "/config/demo.json"));
}

namespace {

// A daily digest time whose last instant is over three hours past (beyond the scheduler's hour of
// catch-up) and whose next is over three hours ahead: with the demo's 09:30, a test run between
// 09:30 and 10:30 local time got each person's digest among the messages it counts.
std::string digest_time_out_of_the_way(std::string const& timezone) {
    millis const now = system_clock{}.now();
    for (char const* at : {"00:00", "06:00", "12:00", "18:00"}) {
        millis const until = next_daily_at(timezone, at, now) - now;
        if (until > 3 * ms_per_hour && until < 21 * ms_per_hour) return at;
    }
    throw std::logic_error("four times six hours apart always leave one three hours from now");
}

}  // namespace

running_server::running_server(std::function<void(nlohmann::json&)> const& adjust, environment extra_env)
    : env(std::move(extra_env)), agency(0), prdesk(0) {
    auto cfg = demo_config();
    cfg["timers"] = {{"tick_seconds", 0.05}, {"first_retry_seconds", 0.1}};
    auto const demo_digest = cfg["sla"]["digest_at"];
    if (adjust) adjust(cfg);
    if (cfg["sla"]["digest_at"] == demo_digest) cfg["sla"]["digest_at"] = digest_time_out_of_the_way(cfg["timezone"]);
    config_path = dir.write("config.json", cfg.dump(2)).string();
    db_path = (dir / "signoff.db").string();
    env.emplace("SIGNOFF_AGENCY_KEY", agency_key);
    env.emplace("SIGNOFF_PR_KEY", prdesk_key);
    start();
}

void running_server::start() {
    process.emplace(std::vector<std::string>{"serve", "--config", config_path, "--db", db_path, "--listen",
                                             "127.0.0.1:0"},
                    env);
    agency = client(agency_key);
    prdesk = client(prdesk_key);
}

http_client running_server::client(char const* key) const {
    http_client c(process->port());
    c.set_default_header("Authorization", std::string("Bearer ") + key);
    return c;
}

bool running_server::wait_outbox_settled(std::chrono::milliseconds timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        {
            sqlite::database db(db_path, {.read_only = true, .synchronous = "normal"});
            auto s = db.prepare("SELECT COUNT(*) FROM outbox WHERE status = 'queued'");
            if (s.step() && s.column_int(0) == 0) return true;
        }
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void running_server::restart() {
    process->terminate();
    process.reset();
    start();
}

void running_server::kill_and_restart() {
    process->kill9();
    process.reset();
    start();
}

nlohmann::json draft_body(std::string title, nlohmann::json extra) {
    nlohmann::json body = {{"kind", "draft"},
                           {"title", std::move(title)},
                           {"body", "BIS celebrates World Standards Day on 14 October."},
                           {"platforms", {"x", "weibo"}},
                           {"topic", "standards"}};
    body.update(extra);
    return body;
}

nlohmann::json complaint_body(std::string text, nlohmann::json extra) {
    nlohmann::json body = {{"kind", "complaint"},
                           {"body", std::move(text)},
                           {"topic", "grievances"},
                           {"source",
                            {{"platform", "x"},
                             {"author", "@citizen"},
                             {"url", "https://x.example/status/1"},
                             {"received_at", "2026-11-20T08:00:00Z"}}}};
    body.update(extra);
    return body;
}

nlohmann::json decision(std::string action, std::string person, std::optional<std::string> text) {
    nlohmann::json body = {{"action", std::move(action)}, {"person", std::move(person)}};
    if (text) body["text"] = *text;
    return body;
}

}  // namespace signoff::test
