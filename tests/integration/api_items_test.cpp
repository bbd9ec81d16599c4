#include "integration/server_fixture.hpp"

#include <catch2/catch.hpp>

using namespace signoff::test;
using nlohmann::json;

namespace {
std::string item_path(json const& item, std::string const& suffix = "") {
    return "/api/v1/items/" + std::to_string(item["id"].get<long>()) + suffix;
}
std::vector<std::string> event_types(json const& item) {
    std::vector<std::string> out;
    for (auto const& e : item["events"]) out.push_back(e["type"]);
    return out;
}
}  // namespace

TEST_CASE("A draft is routed, checked, approved through a two-step chain and published", "[integration][api]") {
    running_server server([](json& cfg) {
        cfg["api"]["callback"] = {{"url", "http://127.0.0.1:9/hooks"}, {"secret", "callback-secret"}};
    });
    auto created = server.agency.post_json("/api/v1/items",
                                           draft_body("World Standards Day", {{"tier", "sensitive"}, {"region", "south"},
                                                                              {"external_ref", "agency-123"}}));
    INFO(created);
    REQUIRE(created.status == 201);
    auto item = created.json();
    CHECK(item["kind"] == "draft");
    CHECK(item["status"] == "pending");
    CHECK(item["role"] == "standardisation");
    CHECK(item["assignee"] == "ddg-std");
    CHECK(item["revision"] == 1);
    CHECK(item["external_ref"] == "agency-123");
    CHECK(item["region"] == "south");
    REQUIRE(item["steps"].size() == 2);
    CHECK(item["steps"][1]["person"] == "dh-std");
    CHECK(item["checks"][0]["rule"] == "limit:x");
    CHECK(item["due"].get<std::string>().size() >= 20);

    SECTION("the agency may not decide; the PR desk records decisions for the assignee") {
        auto forbidden = server.agency.post_json(item_path(item, "/decisions"), decision("approve", "ddg-std"));
        CHECK(forbidden.status == 403);
        CHECK(forbidden.json()["error"]["code"] == "forbidden");

        auto wrong = server.prdesk.post_json(item_path(item, "/decisions"), decision("approve", "dh-std"));
        CHECK(wrong.status == 409);
        CHECK(wrong.json()["error"]["code"] == "not_assignee");

        auto first = server.prdesk.post_json(item_path(item, "/decisions"), decision("approve", "ddg-std", "Looks good"));
        INFO(first);
        REQUIRE(first.status == 200);
        CHECK(first.json()["status"] == "pending");
        CHECK(first.json()["assignee"] == "dh-std");

        auto publish_early = server.agency.post_json(item_path(item, "/published"),
                                                     {{"platform", "x"}, {"url", "https://x.example/1"}});
        CHECK(publish_early.status == 409);

        auto second = server.prdesk.post_json(item_path(item, "/decisions"), decision("approve", "dh-std"));
        REQUIRE(second.status == 200);
        CHECK(second.json()["status"] == "approved");
        CHECK(second.json()["assignee"].is_null());

        auto again = server.prdesk.post_json(item_path(item, "/decisions"), decision("approve", "dh-std"));
        CHECK(again.status == 409);
        CHECK(again.json()["error"]["code"] == "invalid_transition");

        auto x = server.agency.post_json(item_path(item, "/published"), {{"platform", "x"}, {"url", "https://x.example/1"}});
        CHECK(x.json()["status"] == "approved");
        auto other = server.agency.post_json(item_path(item, "/published"),
                                             {{"platform", "facebook"}, {"url", "https://fb.example/1"}});
        CHECK(other.status == 422);
        auto weibo = server.agency.post_json(item_path(item, "/published"),
                                             {{"platform", "weibo"}, {"url", "https://weibo.example/1"}});
        CHECK(weibo.json()["status"] == "published");
        CHECK(weibo.json()["published"]["weibo"] == "https://weibo.example/1");

        auto full = server.agency.get(item_path(item)).json();
        CHECK(event_types(full) ==
              std::vector<std::string>{"submitted", "step_approved", "approved", "published", "published"});
        auto const& approval = full["events"][1];
        CHECK(approval["actor"] == "ddg-std");
        CHECK(approval["recorded_by"] == "prdesk");
        CHECK(approval["channel"] == "api");
        CHECK(approval["data"]["text"] == "Looks good");
        CHECK(full["revisions"].size() == 1);

        // The chain of who decided is in the audit trail, hash-linked.
        auto audit = server.agency.get("/api/v1/audit?limit=500").json();
        auto const& events = audit["events"];
        for (std::size_t i = 1; i < events.size(); ++i) CHECK(events[i]["prev_hash"] == events[i - 1]["hash"]);

        server.process->terminate();
        auto verify = run_signoff({"audit", "verify", "--db", server.db_path});
        CHECK(verify.exit_code == 0);
        CHECK_THAT(verify.out, Catch::Contains("chain intact"));
    }
}

TEST_CASE("Requested changes bring a new revision whose chain starts again, old revisions are refused",
          "[integration][api]") {
    running_server server;
    auto item = server.agency.post_json("/api/v1/items", draft_body()).json();
    auto no_reason = server.prdesk.post_json(item_path(item, "/decisions"), decision("changes", "ddg-std"));
    CHECK(no_reason.status == 422);
    CHECK(no_reason.json()["error"]["code"] == "reason_required");

    auto changes = server.prdesk.post_json(item_path(item, "/decisions"), decision("changes", "ddg-std", "Fix the date"));
    REQUIRE(changes.status == 200);
    CHECK(changes.json()["status"] == "changes_requested");

    auto revised = server.agency.post_json(item_path(item, "/revisions"),
                                           {{"body", "BIS celebrates World Standards Day on 14 Oct."}, {"note", "date"}});
    INFO(revised);
    REQUIRE(revised.status == 200);
    CHECK(revised.json()["revision"] == 2);
    CHECK(revised.json()["status"] == "pending");
    CHECK(revised.json()["title"] == "World Standards Day");
    CHECK(revised.json()["steps"][0]["revision"] == 2);

    auto stale = server.prdesk.post_json(item_path(item, "/decisions"),
                                         {{"action", "approve"}, {"person", "ddg-std"}, {"revision", 1}});
    CHECK(stale.status == 409);
    CHECK(stale.json()["error"]["code"] == "stale_revision");

    auto ok = server.prdesk.post_json(item_path(item, "/decisions"),
                                      {{"action", "approve"}, {"person", "ddg-std"}, {"revision", 2}});
    CHECK(ok.json()["status"] == "approved");
    auto full = server.agency.get(item_path(item)).json();
    REQUIRE(full["revisions"].size() == 2);
    CHECK(full["revisions"][1]["note"] == "date");
}

TEST_CASE("A rejected draft stays rejected", "[integration][api]") {
    running_server server;
    auto item = server.agency.post_json("/api/v1/items", draft_body()).json();
    auto rejected = server.prdesk.post_json(item_path(item, "/decisions"), decision("reject", "ddg-std", "Off message"));
    REQUIRE(rejected.status == 200);
    CHECK(rejected.json()["status"] == "rejected");
    CHECK(server.prdesk.post_json(item_path(item, "/decisions"), decision("approve", "ddg-std")).status == 409);
    CHECK(server.agency.post_json(item_path(item, "/revisions"), {{"body", "x"}}).status == 409);
    CHECK(server.agency.post_json(item_path(item, "/withdraw"), {{"reason", "late"}}).status == 409);
}

TEST_CASE("A complaint gets an interim response, then a final one", "[integration][api]") {
    running_server server;
    auto created = server.agency.post_json("/api/v1/items", complaint_body());
    REQUIRE(created.status == 201);
    auto item = created.json();
    CHECK(item["status"] == "open");
    CHECK(item["role"] == "consumer-affairs");
    CHECK(item["assignee"] == "ddg-ca");
    CHECK(item["source"]["author"] == "@citizen");
    CHECK(item["interim_due"].is_string());
    CHECK(item["steps"].empty());

    CHECK(server.prdesk.post_json(item_path(item, "/decisions"), decision("approve", "ddg-ca")).status == 422);
    CHECK(server.prdesk.post_json(item_path(item, "/decisions"), decision("interim", "ddg-ca")).status == 422);
    auto interim = server.prdesk.post_json(item_path(item, "/decisions"),
                                           decision("interim", "ddg-ca", "We are looking into it"));
    REQUIRE(interim.status == 200);
    CHECK(interim.json()["status"] == "acknowledged");
    CHECK(interim.json()["interim_due"].is_null());
    auto reply = server.prdesk.post_json(item_path(item, "/decisions"), decision("reply", "ddg-ca", "Fixed, thank you"));
    CHECK(reply.json()["status"] == "resolved");
    CHECK(server.agency.get("/api/v1/items?status=resolved").json()["items"].size() == 1);
}

TEST_CASE("While a head is away, the department head gets new and waiting items", "[integration][api]") {
    running_server server;
    auto waiting = server.agency.post_json("/api/v1/items", draft_body("Waiting")).json();
    auto away = server.prdesk.put_json("/api/v1/people/ddg-std/availability",
                                       {{"away", true}, {"until", "2099-12-01T00:00:00Z"}});
    INFO(away);
    REQUIRE(away.status == 200);
    CHECK(away.json()["away"] == true);

    auto moved = server.agency.get(item_path(waiting)).json();
    CHECK(moved["assignee"] == "dh-std");
    CHECK(moved["steps"][0]["for_person"] == "ddg-std");
    CHECK(event_types(moved).back() == "reassigned");

    auto fresh = server.agency.post_json("/api/v1/items", draft_body("New")).json();
    CHECK(fresh["assignee"] == "dh-std");
    auto approved = server.prdesk.post_json(item_path(fresh, "/decisions"), decision("approve", "dh-std"));
    CHECK(approved.json()["status"] == "approved");
    auto events = server.agency.get(item_path(fresh)).json()["events"];
    CHECK(events.back()["on_behalf_of"] == "ddg-std");

    SECTION("availability input is checked") {
        CHECK(server.agency.put_json("/api/v1/people/ddg-std/availability", {{"away", false}}).status == 403);
        CHECK(server.prdesk.put_json("/api/v1/people/nobody/availability", {{"away", true}}).status == 404);
        CHECK(server.prdesk.put_json("/api/v1/people/ddg-std/availability",
                                     {{"away", true}, {"until", "2001-01-01T00:00:00Z"}})
                  .status == 422);
        CHECK(server.prdesk.put_json("/api/v1/people/ddg-std/availability", {{"until", "2099-01-01T00:00:00Z"}})
                  .status == 400);
    }
}

TEST_CASE("Listing filters, pages newest first and withdraws", "[integration][api]") {
    running_server server;
    std::vector<long> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(server.agency.post_json("/api/v1/items", draft_body("D" + std::to_string(i))).json()["id"]);
    server.agency.post_json("/api/v1/items", complaint_body());
    server.agency.post_json("/api/v1/items/" + std::to_string(ids[0]) + "/withdraw", {{"reason", "duplicate"}});

    auto page1 = server.agency.get("/api/v1/items?kind=draft&limit=2").json();
    REQUIRE(page1["items"].size() == 2);
    CHECK(page1["items"][0]["id"] == ids[4]);
    CHECK(page1["next_after"] == ids[3]);
    auto page2 = server.agency.get("/api/v1/items?kind=draft&limit=2&after=" + page1["next_after"].dump()).json();
    CHECK(page2["items"][0]["id"] == ids[2]);
    auto last = server.agency.get("/api/v1/items?kind=draft&limit=2&after=" + std::to_string(ids[1])).json();
    CHECK(last["items"].size() == 1);
    CHECK(last["next_after"].is_null());

    CHECK(server.agency.get("/api/v1/items?status=withdrawn").json()["items"][0]["id"] == ids[0]);
    CHECK(server.agency.get("/api/v1/items?assignee=ddg-ca").json()["items"].size() == 1);
    CHECK(server.agency.get("/api/v1/items?role=standardisation").json()["items"].size() == 5);
    CHECK(server.agency.get("/api/v1/items?overdue=true").json()["items"].empty());
}

TEST_CASE("An Idempotency-Key replays the first answer and refuses another body", "[integration][api]") {
    running_server server;
    signoff::header_list key = {{"Idempotency-Key", "agency-123-v1"}};
    auto first = server.agency.post_json("/api/v1/items", draft_body(), key);
    auto replay = server.agency.post_json("/api/v1/items", draft_body(), key);
    REQUIRE(first.status == 201);
    CHECK(replay.status == 201);
    CHECK(replay.body == first.body);
    auto other = server.agency.post_json("/api/v1/items", draft_body("Another"), key);
    CHECK(other.status == 409);
    CHECK(other.json()["error"]["code"] == "idempotency_conflict");
    CHECK(server.agency.get("/api/v1/items").json()["items"].size() == 1);
}

TEST_CASE("A prohibited term raises the tier and adds the steps it needs", "[integration][api]") {
    running_server server;
    auto item = server.agency
                    .post_json("/api/v1/items",
                               draft_body("Notice", {{"body", "This mentions a STATE SECRET by mistake."}}))
                    .json();
    CHECK(item["tier"] == "sensitive");
    CHECK(item["steps"].size() == 2);
    bool flagged = false;
    for (auto const& c : item["checks"]) flagged = flagged || (c["rule"] == "prohibited" && c["ok"] == false);
    CHECK(flagged);
    CHECK(event_types(server.agency.get(item_path(item)).json()) == std::vector<std::string>{"submitted", "tier_raised"});
}

TEST_CASE("Only the submitting key or an admin key revises, withdraws or reports an item published",
          "[integration][api][bad-input]") {
    running_server server;
    auto desk_draft = server.prdesk.post_json("/api/v1/items", draft_body("The desk's own")).json();
    auto desk_complaint = server.prdesk.post_json("/api/v1/items", complaint_body()).json();
    auto const before = server.agency.get(item_path(desk_complaint)).json();

    auto refused = [](signoff::test::response const& r) {
        INFO(r.body);
        return r.status == 403 && r.json()["error"]["code"] == "not_owner";
    };
    CHECK(refused(server.agency.post_json(item_path(desk_complaint, "/withdraw"), {{"reason", "not mine"}})));
    CHECK(refused(server.agency.post_json(item_path(desk_draft, "/revisions"), {{"title", "Hijacked"}})));
    REQUIRE(server.prdesk.post_json(item_path(desk_draft, "/decisions"), decision("approve", "ddg-std")).status == 200);
    auto const approved = server.agency.get(item_path(desk_draft)).json();
    CHECK(refused(server.agency.post_json(item_path(desk_draft, "/published"),
                                          {{"platform", "x"}, {"url", "https://x.example/1"}})));

    // Nothing changed: no status, no revision, no event.
    auto const after = server.agency.get(item_path(desk_complaint)).json();
    CHECK(after["status"] == before["status"]);
    CHECK(after["events"].size() == before["events"].size());
    auto const draft_after = server.agency.get(item_path(desk_draft)).json();
    CHECK(draft_after["revision"] == 1);
    CHECK(draft_after["status"] == "approved");
    CHECK(draft_after["events"].size() == approved["events"].size());

    // The owner and an admin may.
    auto own = server.agency.post_json("/api/v1/items", draft_body("The agency's own")).json();
    CHECK(server.agency.post_json(item_path(own, "/withdraw"), {{"reason", "duplicate"}}).status == 200);
    CHECK(server.prdesk.post_json(item_path(desk_complaint, "/withdraw"), {{"reason", "duplicate"}}).status == 200);
}
