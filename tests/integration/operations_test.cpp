#include "integration/server_fixture.hpp"

#include "bot/core/time.hpp"
#include "fakes/fake_http_server.hpp"
#include "store/sqlite.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <sstream>
#include <thread>

using namespace signoff::test;
using nlohmann::json;

namespace {

// The value of one series ("name" or "name{labels}") in Prometheus text; nullopt when absent.
std::optional<double> sample(std::string const& text, std::string const& series) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line))
        if (line.rfind(series + ' ', 0) == 0) return std::stod(line.substr(series.size() + 1));
    return std::nullopt;
}

bool wait_for(std::function<bool()> const& done, std::chrono::seconds timeout = std::chrono::seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

}  // namespace

TEST_CASE("/metrics shows the outbox, deliveries, webhooks, commits, scheduler and items after a known workload",
          "[integration][metrics]") {
    fake_http_server agency_hooks([](signoff::http_request const&) { return fake_response{.status = 400, .body = "no"}; });
    running_server server([&](json& cfg) {
        cfg["api"]["callback"] = {{"url", agency_hooks.base_url() + "/hooks"}, {"secret", "callback-secret"}};
    });
    http_client anonymous(server.process->port());
    std::vector<long> ids;
    for (int i = 0; i < 3; ++i) {
        auto r = server.agency.post_json("/api/v1/items", draft_body("Metric " + std::to_string(i)));
        REQUIRE(r.status == 201);
        ids.push_back(r.json()["id"].get<long>());
    }
    // One approval: its item.approved callback is refused with a 400, so that message is dead.
    REQUIRE(server.prdesk.post_json("/api/v1/items/" + std::to_string(ids[0]) + "/decisions",
                                    decision("approve", "ddg-std"))
                .status == 200);
    // A webhook for a channel that is not configured.
    CHECK(anonymous.post_json("/webhook/telegram", json::object()).status == 404);
    REQUIRE(server.wait_outbox_settled());

    std::string text;
    REQUIRE(wait_for([&] {
        text = anonymous.get("/metrics").body;
        return sample(text, R"(signoff_outbox_deliveries_total{channel="callback",result="dead"})") == 1.0;
    }));
    INFO(text);
    CHECK(sample(text, "signoff_outbox_dead_total") == 1.0);
    // Nothing waits: a channel's backlog series is 0, or absent until a scrape first sees it queued.
    CHECK(sample(text, R"(signoff_outbox_queued{channel="callback"})").value_or(0) == 0.0);
    CHECK(sample(text, R"(signoff_outbox_oldest_queued_age_seconds{channel="callback"})").value_or(0) == 0.0);
    CHECK(sample(text, R"(signoff_webhook_requests_total{channel="telegram",code="404"})") == 1.0);
    CHECK(sample(text, R"(signoff_webhook_request_duration_seconds_count{channel="telegram"})") == 1.0);
    // Two drafts wait for their approver; none is past due yet. Roles without items show 0.
    CHECK(sample(text, R"(signoff_items_open{role="standardisation"})") == 2.0);
    CHECK(sample(text, R"(signoff_items_overdue{role="standardisation"})") == 0.0);
    CHECK(sample(text, R"(signoff_items_open{role="consumer-affairs"})") == 0.0);
    // Three drafts, one decision and the dead callback were each committed: at least 5 jobs.
    auto jobs = sample(text, "signoff_store_batch_jobs_sum");
    REQUIRE(jobs);
    CHECK(*jobs >= 5);
    CHECK(sample(text, "signoff_store_batch_jobs_count") >= 1.0);
    CHECK(sample(text, "signoff_store_batch_jobs_count") <= *jobs);
    CHECK(sample(text, R"(signoff_store_commit_seconds_bucket{le="+Inf"})") == sample(text, "signoff_store_batch_jobs_count"));
    auto lag = sample(text, "signoff_scheduler_lag_seconds");
    REQUIRE(lag);
    CHECK(*lag >= 0);
    CHECK(*lag < 5);
    auto last_pass = sample(text, "signoff_scheduler_last_pass_timestamp_seconds");
    REQUIRE(last_pass);
    CHECK(std::abs(*last_pass - static_cast<double>(signoff::system_clock{}.now()) / 1000) < 60);
}

TEST_CASE("/readyz answers 200 when the store takes writes and the outbox moves, else 503 with the reason",
          "[integration][readyz]") {
    // A callback receiver that never answers in time keeps the message queued (in flight).
    fake_http_server hanging([](signoff::http_request const&) {
        return fake_response{.status = 200, .delay = std::chrono::seconds(30)};
    });
    running_server server([&](json& cfg) {
        cfg["api"]["callback"] = {{"url", hanging.base_url() + "/hooks"}, {"secret", "callback-secret"}};
    });
    http_client anonymous(server.process->port());
    auto ready = anonymous.get("/readyz");
    CHECK(ready.status == 200);
    CHECK(ready.json() == json{{"status", "ready"}});

    SECTION("a message due for more than 10 minutes: outbox_stuck") {
        {
            signoff::sqlite::database db(server.db_path, {.read_only = false, .synchronous = "normal"});
            auto eleven_minutes_ago = signoff::system_clock{}.now() - 11 * 60 * 1000;
            db.prepare("INSERT INTO outbox (channel, address, purpose, payload, status, next_attempt_ms, created_ms, "
                       "updated_ms) VALUES ('callback', ?, 'callback', '{}', 'queued', ?, ?, ?)")
                .bind(hanging.base_url() + "/hooks", eleven_minutes_ago, eleven_minutes_ago, eleven_minutes_ago)
                .run();
        }
        auto stuck = anonymous.get("/readyz");
        INFO(stuck);
        CHECK(stuck.status == 503);
        CHECK(stuck.json()["error"]["code"] == "outbox_stuck");
        CHECK_THAT(stuck.json()["error"]["message"].get<std::string>(), Catch::Contains("limit is 600 s"));
        CHECK(anonymous.get("/healthz").status == 200);  // alive, only not ready
        auto metrics = anonymous.get("/metrics").body;
        auto age = sample(metrics, R"(signoff_outbox_oldest_queued_age_seconds{channel="callback"})");
        REQUIRE(age);
        CHECK(*age >= 660);
        CHECK(sample(metrics, R"(signoff_outbox_queued{channel="callback"})") == 1.0);
    }
    SECTION("another process holds the write lock: store_not_writable, then ready again") {
        signoff::sqlite::database db(server.db_path, {.read_only = false, .synchronous = "normal"});
        db.exec("BEGIN IMMEDIATE");
        auto locked = anonymous.get("/readyz");  // after the writer's 5 s busy timeout
        INFO(locked);
        CHECK(locked.status == 503);
        CHECK(locked.json()["error"]["code"] == "store_not_writable");
        CHECK(anonymous.get("/healthz").status == 200);

        // A probe queued behind another that is waiting out the busy timeout still answers in
        // its own 6 s, not in the two timeouts the writer's queue would make it.
        auto first = std::async(std::launch::async, [&] { return http_client(server.process->port()).get("/readyz"); });
        std::this_thread::sleep_for(std::chrono::seconds(1));
        auto started = std::chrono::steady_clock::now();
        auto queued = anonymous.get("/readyz");
        auto took = std::chrono::steady_clock::now() - started;
        CHECK(queued.status == 503);
        CHECK(queued.json()["error"]["code"] == "store_not_writable");
        CHECK(took < std::chrono::milliseconds(8000));
        CHECK(first.get().status == 503);
        db.exec("ROLLBACK");
        CHECK(anonymous.get("/readyz").status == 200);
    }
}
