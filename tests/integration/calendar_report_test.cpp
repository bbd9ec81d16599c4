// The PR desk's planning and review through the API: publish_at and the calendar, the
// publication reminder to authorised publishers, and the SLA report in JSON and CSV.

#include "integration/telegram_fixture.hpp"

#include "bot/core/time.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace signoff::test;
using nlohmann::json;

namespace {

inline constexpr std::int64_t ddpr = 100000003;  // the demo's authorised publisher

signoff::millis now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}
std::string in_ms(long ms) { return signoff::rfc3339((now_ms() + ms) / 1000 * 1000); }
std::string item_path(json const& item, std::string const& suffix = "") {
    return "/api/v1/items/" + std::to_string(item["id"].get<long>()) + suffix;
}

std::vector<fake_telegram::call> publication_reminders(telegram_world& world) {
    std::vector<fake_telegram::call> out;
    for (auto const& c : world.messages_to(ddpr))
        if (c.body["text"].get<std::string>().starts_with("📣")) out.push_back(c);
    return out;
}

}  // namespace

TEST_CASE("publish_at plans a draft: its due comes before it, the past is refused, the calendar lists it",
          "[integration][calendar]") {
    running_server server([](json& cfg) { cfg["timezone"] = "UTC"; });
    auto const in_3h = in_ms(3 * 3600 * 1000);
    auto created = server.agency.post_json("/api/v1/items", draft_body("Planned", {{"publish_at", in_3h}}));
    INFO(created);
    REQUIRE(created.status == 201);
    auto item = created.json();
    CHECK(item["publish_at"] == in_3h);
    CHECK(*signoff::parse_rfc3339(item["due"].get<std::string>()) ==
          *signoff::parse_rfc3339(in_3h) - signoff::ms_per_hour);

    auto past = server.agency.post_json("/api/v1/items", draft_body("Too late", {{"publish_at", in_ms(-60000)}}));
    CHECK(past.status == 422);
    CHECK(past.json()["error"]["code"] == "due_in_past");
    CHECK(past.json()["error"]["field"] == "publish_at");
    auto complaint = server.agency.post_json("/api/v1/items", complaint_body("x", {{"publish_at", in_3h}}));
    CHECK(complaint.status == 400);
    auto garbage = server.agency.post_json("/api/v1/items", draft_body("x", {{"publish_at", "next tuesday"}}));
    CHECK(garbage.status == 400);

    auto in_40d = in_ms(40LL * 24 * 3600 * 1000), in_70d = in_ms(70LL * 24 * 3600 * 1000);
    auto later = server.agency.post_json("/api/v1/items", draft_body("In forty days", {{"publish_at", in_40d}})).json();
    server.agency.post_json("/api/v1/items", draft_body("In seventy days", {{"publish_at", in_70d}}));
    server.agency.post_json("/api/v1/items", draft_body("Unplanned"));

    auto cal = server.agency.get("/api/v1/calendar");
    INFO(cal);
    REQUIRE(cal.status == 200);
    auto entries = cal.json()["items"];
    REQUIRE(entries.size() == 2);  // the next two months; the unplanned and the 70-day one are not in it
    CHECK(entries[0]["title"] == "Planned");
    CHECK(entries[0]["status"] == "pending");
    CHECK(entries[1]["id"] == later["id"]);
    CHECK(entries[1]["publish_at"] == in_40d);

    auto today = signoff::rfc3339(now_ms()).substr(0, 10);
    auto far = server.agency.get("/api/v1/calendar?from=" + today + "&to=" + in_70d.substr(0, 10)).json();
    CHECK(far["items"].size() == 3);
    CHECK(server.agency.get("/api/v1/calendar?from=2026-02-30").status == 400);
    CHECK(server.agency.get("/api/v1/calendar?from=2026-05-01&to=2026-04-01").status == 400);
    CHECK(server.agency.get("/api/v1/calendar?from=2020-01-01&to=2026-01-01").status == 400);  // over a year
    http_client anonymous(server.process->port());
    CHECK(anonymous.get("/api/v1/calendar").status == 401);
}

TEST_CASE("An approved draft not reported published by its publish_at reminds the publishers once",
          "[integration][calendar][telegram]") {
    telegram_world world;
    auto& server = *world.server;
    auto soon = world.submit(draft_body("Goes out soon", {{"publish_at", in_ms(3000)}}));
    auto posted = world.submit(draft_body("Posted in time", {{"publish_at", in_ms(3000)}}));
    for (auto const& d : {soon, posted})
        REQUIRE(server.prdesk.post_json(item_path(d, "/decisions"), decision("approve", "ddg-std")).status == 200);
    REQUIRE(server.agency.post_json(item_path(posted, "/published"), {{"platform", "x"}, {"url", "https://x.example/1"}})
                .status == 200);
    REQUIRE(server.agency.post_json(item_path(posted, "/published"), {{"platform", "weibo"}, {"url", "https://weibo.example/1"}})
                .status == 200);

    auto const until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (publication_reminders(world).empty() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto reminders = publication_reminders(world);
    REQUIRE(reminders.size() == 1);
    auto text = reminders[0].body["text"].get<std::string>();
    CHECK(text.find("#" + std::to_string(soon["id"].get<long>())) != std::string::npos);
    CHECK(text.find("Goes out soon") != std::string::npos);

    std::this_thread::sleep_for(std::chrono::milliseconds(600));  // a dozen scheduler passes later
    CHECK(publication_reminders(world).size() == 1);
    auto events = world.item(soon["id"].get<long>())["events"];
    int recorded = 0;
    for (auto const& e : events)
        if (e["type"] == "publication_reminder") {
            ++recorded;
            CHECK(e["data"]["to"] == json::array({"ddpr"}));
        }
    CHECK(recorded == 1);
    for (auto const& e : world.item(posted["id"].get<long>())["events"]) CHECK(e["type"] != "publication_reminder");
}

TEST_CASE("The SLA report's figures match a hand count, in JSON and CSV", "[integration][report]") {
    // Drafts of standardisation (head ddg-std): one approved at once (on time), one approved
    // after its due passed and it escalated (late, one escalation), one still pending past its
    // due (late), one pending and not due (open); a complaint to consumer affairs replied at once.
    running_server server([](json& cfg) { cfg["timezone"] = "UTC"; });
    auto& desk = server.prdesk;
    auto on_time = server.agency.post_json("/api/v1/items", draft_body("On time")).json();
    REQUIRE(desk.post_json(item_path(on_time, "/decisions"), decision("approve", "ddg-std")).status == 200);
    auto late = server.agency.post_json("/api/v1/items", draft_body("Late", {{"due", in_ms(1500)}})).json();
    auto overdue = server.agency.post_json("/api/v1/items", draft_body("Overdue", {{"due", in_ms(1500)}})).json();
    server.agency.post_json("/api/v1/items", draft_body("Open"));
    auto complaint = server.agency.post_json("/api/v1/items", complaint_body("The helpline did not answer")).json();
    REQUIRE(complaint["role"] == "consumer-affairs");
    REQUIRE(desk.post_json(item_path(complaint, "/decisions"),
                           decision("reply", complaint["assignee"].get<std::string>(), "We have called you back"))
                .status == 200);

    // Wait for the escalation of the late one; its step then belongs to the fallback, dh-std.
    auto const until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (server.agency.get(item_path(late)).json()["escalation_level"] == 0 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto escalated = server.agency.get(item_path(late)).json();
    REQUIRE(escalated["escalation_level"] == 1);
    REQUIRE(desk.post_json(item_path(late, "/decisions"), decision("approve", escalated["assignee"].get<std::string>()))
                .status == 200);

    auto report = server.agency.get("/api/v1/reports/sla");
    INFO(report);
    REQUIRE(report.status == 200);
    auto body = report.json();
    json std_row, ca_row;
    for (auto const& r : body["rows"]) {
        if (r["role"] == "standardisation") std_row = r;
        if (r["role"] == "consumer-affairs") ca_row = r;
    }
    REQUIRE(std_row.is_object());
    CHECK(std_row["head"] == "ddg-std");
    CHECK(std_row["items"] == 4);
    CHECK(std_row["handled"] == 2);
    CHECK(std_row["on_time"] == 1);
    CHECK(std_row["late"] == 2);
    CHECK(std_row["open"] == 1);
    CHECK(std_row["on_time_rate"] == Approx(1.0 / 3).margin(0.001));
    CHECK(std_row["escalations"] >= 1);  // the overdue one escalates too, at its own pace
    REQUIRE(ca_row.is_object());
    CHECK(ca_row["handled"] == 1);
    CHECK(ca_row["on_time"] == 1);
    CHECK(body["total"]["items"] == 5);
    CHECK(body["total"]["handled"] == 3);

    auto csv = server.agency.get("/api/v1/reports/sla?format=csv");
    REQUIRE(csv.status == 200);
    CHECK(csv.header("Content-Type").starts_with("text/csv"));
    CHECK(csv.body.starts_with("role,head,items,handled,on_time,late,open,on_time_rate,median_hours,p90_hours,escalations\r\n"));
    CHECK(csv.body.find("\r\nstandardisation,ddg-std,4,2,1,2,1,0.333,") != std::string::npos);
    CHECK(csv.body.find("\r\ntotal,,5,3,2,2,1,0.500,") != std::string::npos);

    auto tomorrow = signoff::rfc3339(now_ms() + 24 * signoff::ms_per_hour).substr(0, 10);
    auto empty = server.agency.get("/api/v1/reports/sla?from=" + tomorrow + "&to=" + tomorrow).json();
    CHECK(empty["rows"].empty());
    CHECK(empty["total"]["items"] == 0);
    CHECK(server.agency.get("/api/v1/reports/sla?format=xml").status == 400);
    CHECK(server.agency.get("/api/v1/reports/sla?from=yesterday").status == 400);
}
