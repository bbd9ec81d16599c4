#include "fakes/fake_sms.hpp"
#include "fakes/recording_server.hpp"
#include "integration/telegram_fixture.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace signoff::test;
using nlohmann::json;

namespace {

std::string in_ms(long ms) {
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
    auto t = std::chrono::system_clock::time_point(now + std::chrono::milliseconds(ms));
    auto secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return std::string(buf) + "." + std::to_string(1000 + (now.count() + ms) % 1000).substr(1) + "Z";
}

json wait_for_event(running_server& server, long item, std::string const& type, std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto events = server.agency.get("/api/v1/items/" + std::to_string(item)).json()["events"];
        for (auto const& e : events)
            if (e["type"] == type) return e;
        if (std::chrono::steady_clock::now() > deadline) return nullptr;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

// The scheduler's passes so far, from /metrics.
std::uint64_t scheduler_ticks(running_server& server) {
    constexpr std::string_view name = "\nsignoff_scheduler_ticks_total ";
    auto body = http_client(server.process->port()).get("/metrics").body;
    auto at = body.find(name);
    return at == std::string::npos ? 0 : std::stoull(body.substr(at + name.size()));
}

// Waits for two more scheduler passes: the second begins after this call, so by its end every
// timer that was due at the call has fired (or has been found already claimed).
bool wait_two_more_ticks(running_server& server, std::chrono::seconds timeout) {
    auto target = scheduler_ticks(server) + 2;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (scheduler_ticks(server) < target) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

int count_events(running_server& server, long item, std::string const& type) {
    int n = 0;
    auto const full = server.agency.get("/api/v1/items/" + std::to_string(item)).json();
    for (auto const& e : full["events"]) n += e["type"] == type;
    return n;
}

}  // namespace

TEST_CASE("A draft due in a few seconds escalates to the fallback and the observers, with the callback",
          "[integration][deadlines]") {
    recording_server agency;
    telegram_world world([&](json& cfg) {
        cfg["sla"]["remind_before_hours"] = 0.0005;  // 1.8 s
        cfg["api"]["callback"] = {{"url", agency.url("/hooks")}, {"secret", "s"}};
    });
    auto draft = world.submit(draft_body("Due soon", {{"due", in_ms(3000)}}));
    long id = draft["id"];
    auto reminder = wait_for_event(*world.server, id, "reminder", std::chrono::seconds(10));
    REQUIRE_FALSE(reminder.is_null());
    auto escalated = wait_for_event(*world.server, id, "escalated", std::chrono::seconds(10));
    REQUIRE_FALSE(escalated.is_null());
    CHECK(escalated["data"]["level"] == 1);
    CHECK(escalated["data"]["to"] == "dh-std");
    auto now = world.item(id);
    CHECK(now["assignee"] == "dh-std");
    CHECK(now["escalation_level"] == 1);

    auto card = world.wait_message(dh_std, 1, std::chrono::seconds(15));
    CHECK(card.body.contains("reply_markup"));
    world.wait_message(dpr, 1, std::chrono::seconds(15));  // the observer's copy
    REQUIRE(agency.wait_for(1, std::chrono::seconds(15)));
    bool called = false;
    for (auto const& r : agency.requests()) called = called || json::parse(r.body)["event"] == "item.escalated";
    CHECK(called);

    // The fallback can act at once, on behalf of the head.
    CHECK(world.send_text(dh_std, "approve " + std::to_string(id)) == 200);
    auto approved = world.item(id);
    CHECK(approved["status"] == "approved");
    CHECK(approved["events"].back()["on_behalf_of"] == "ddg-std");
}

TEST_CASE("An urgent complaint reaches the SMS fake at once", "[integration][deadlines][sms]") {
    fake_sms sms;
    auto sms_cfg = sms.sms_config();
    telegram_world world({}, std::nullopt, environment{{"SMS_SID", sms_cfg.account_sid},
                                                       {"SMS_TOKEN", sms_cfg.auth_token},
                                                       {"SMS_FROM", sms_cfg.from},
                                                       {"SMS_API_BASE", sms_cfg.api_base}});
    auto complaint = world.submit(complaint_body("Gas leak at the testing lab", {{"urgent", true}}));
    REQUIRE(sms.wait_for_calls(1, std::chrono::seconds(10)));
    auto call = sms.calls()[0];
    CHECK(call.to == "+919800000006");
    CHECK_THAT(call.body, Catch::Contains("#" + std::to_string(complaint["id"].get<long>())));
    world.wait_message(ddg_ca, 1);  // and on chat too
}

TEST_CASE("A restart between reminder and due neither repeats the reminder nor skips the escalation",
          "[integration][deadlines]") {
    telegram_world world([](json& cfg) { cfg["sla"]["remind_before_hours"] = 0.001; });  // 3.6 s
    auto draft = world.submit(draft_body("Restart", {{"due", in_ms(5000)}}));
    long id = draft["id"];
    REQUIRE_FALSE(wait_for_event(*world.server, id, "reminder", std::chrono::seconds(10)).is_null());
    world.server->restart();
    REQUIRE_FALSE(wait_for_event(*world.server, id, "escalated", std::chrono::seconds(15)).is_null());
    REQUIRE(wait_two_more_ticks(*world.server, std::chrono::seconds(10)));  // a repeat would have fired by now
    CHECK(count_events(*world.server, id, "reminder") == 1);
    CHECK(count_events(*world.server, id, "escalated") == 1);
}

TEST_CASE("A draft the fallback also lets pass escalates to the observers", "[integration][deadlines]") {
    recording_server agency;
    telegram_world world([&](json& cfg) {
        cfg["sla"]["approval_hours"] = 0.001;  // due 3.6 s after submission, second level 3.6 s later
        cfg["sla"]["remind_before_hours"] = 0;
        cfg["api"]["callback"] = {{"url", agency.url("/hooks")}, {"secret", "s"}};
    });
    long id = world.submit(draft_body("Nobody acts"))["id"];
    auto first = wait_for_event(*world.server, id, "escalated", std::chrono::seconds(10));
    REQUIRE_FALSE(first.is_null());
    CHECK(first["data"]["to"] == "dh-std");
    json second;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (second.is_null() && std::chrono::steady_clock::now() < deadline) {
        auto const full = world.item(id);
        for (auto const& e : full["events"])
            if (e["type"] == "escalated" && e["data"]["level"] == 2) second = e;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE_FALSE(second.is_null());
    CHECK(second["data"]["from"] == "dh-std");
    CHECK(second["data"]["to"] == "dpr");
    auto now = world.item(id);
    CHECK(now["assignee"] == "dpr");
    CHECK(now["escalation_level"] == 2);
    CHECK(count_events(*world.server, id, "escalated") == 2);
    REQUIRE(agency.wait_for(2, std::chrono::seconds(15)));
    int escalations = 0;
    for (auto const& r : agency.requests()) escalations += json::parse(r.body)["event"] == "item.escalated";
    CHECK(escalations == 2);
}

TEST_CASE("Away until a time ends by itself: new items go to the head again", "[integration][deadlines][availability]") {
    running_server server;
    auto until = in_ms(1500);
    auto ends = std::chrono::system_clock::now() + std::chrono::milliseconds(1500);  // not before `until`
    auto away = server.prdesk.put_json("/api/v1/people/ddg-std/availability", {{"away", true}, {"until", until}});
    REQUIRE(away.status == 200);
    CHECK(server.agency.post_json("/api/v1/items", draft_body("While away")).json()["assignee"] == "dh-std");
    // The server reads the same clock: what this waits for is the instant itself, not a guess.
    std::this_thread::sleep_until(ends);
    CHECK(server.agency.post_json("/api/v1/items", draft_body("After")).json()["assignee"] == "ddg-std");
}
