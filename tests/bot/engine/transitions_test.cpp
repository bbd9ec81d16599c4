#include "bot/core/api_error.hpp"
#include "bot/engine/directory_fixture.hpp"
#include "bot/engine/tiers.hpp"
#include "bot/engine/transitions.hpp"

#include <catch2/catch.hpp>

using namespace signoff;
using engine::action;

namespace {
constexpr millis t0 = 1'790'000'000'000;

item draft(int revision = 1) {
    item it;
    it.id = 42;
    it.kind = "draft";
    it.status = item_status::pending;
    it.role = "role-a";
    it.revision = revision;
    return it;
}

std::string error_code(std::function<void()> const& f) {
    try {
        f();
    } catch (api_error const& e) {
        return std::to_string(e.status) + " " + e.code;
    }
    return "no error";
}
}  // namespace

TEST_CASE("Approving walks a draft's chain step by step", "[engine][transitions]") {
    auto cfg = test::small_directory();
    auto it = draft();
    auto steps = engine::plan_steps(cfg, *cfg.find_role("role-a"), "sensitive", 1, {});
    it.assignee = "head-a";

    auto first = engine::decide(cfg, it, steps, {action::approve, "head-a", std::nullopt, 1}, t0);
    CHECK(first.event_type == "step_approved");
    CHECK(first.next_person == std::optional<std::string>("fb-a"));
    CHECK(it.status == item_status::pending);
    CHECK(it.assignee == std::optional<std::string>("fb-a"));
    CHECK(steps[0].status == step_status::approved);
    CHECK(steps[0].decided_at == t0);
    CHECK(steps[1].status == step_status::pending);

    SECTION("the last approval approves the draft and calls back") {
        auto last = engine::decide(cfg, it, steps, {action::approve, "fb-a", std::string("fine"), std::nullopt}, t0 + 1);
        CHECK(last.event_type == "approved");
        CHECK(last.callback == std::optional<std::string>("item.approved"));
        CHECK(it.status == item_status::approved);
        CHECK_FALSE(it.assignee);
        CHECK(steps[1].note == std::optional<std::string>("fine"));
        SECTION("and it cannot be approved again") {
            CHECK(error_code([&] { engine::decide(cfg, it, steps, {action::approve, "fb-a"}, t0 + 2); }) ==
                  "409 invalid_transition");
        }
    }
    SECTION("the first approver cannot act on the second step") {
        CHECK(error_code([&] { engine::decide(cfg, it, steps, {action::approve, "head-a"}, t0); }) == "409 not_assignee");
    }
}

TEST_CASE("Reject and changes need a reason, the wrong person, revision or kind is refused", "[engine][transitions]") {
    auto cfg = test::small_directory();
    auto it = draft(2);
    auto steps = engine::plan_steps(cfg, *cfg.find_role("role-a"), "general", 2, {});

    SECTION("reject without a reason") {
        CHECK(error_code([&] { engine::decide(cfg, it, steps, {action::reject, "head-a", std::string("  ")}, t0); }) ==
              "422 reason_required");
        CHECK(it.status == item_status::pending);
    }
    SECTION("reject with a reason") {
        auto out = engine::decide(cfg, it, steps, {action::reject, "head-a", std::string("too long")}, t0);
        CHECK(out.callback == std::optional<std::string>("item.rejected"));
        CHECK(it.status == item_status::rejected);
        CHECK(steps[0].status == step_status::rejected);
    }
    SECTION("changes requested") {
        auto out = engine::decide(cfg, it, steps, {action::changes, "head-a", std::string("fix the date")}, t0);
        CHECK(out.event_type == "changes_requested");
        CHECK(it.status == item_status::changes_requested);
    }
    SECTION("someone else is told who it waits for") {
        try {
            engine::decide(cfg, it, steps, {action::approve, "head-b"}, t0);
            FAIL("expected not_assignee");
        } catch (api_error const& e) {
            CHECK(e.code == "not_assignee");
            CHECK_THAT(e.what(), Catch::Contains("Name of head-a"));
        }
    }
    SECTION("an admin acts on behalf of the assignee") {
        auto out = engine::decide(cfg, it, steps, {action::approve, "dpr"}, t0);
        CHECK(out.on_behalf_of == std::optional<std::string>("head-a"));
        CHECK(steps[0].decided_by == std::optional<std::string>("dpr"));
    }
    SECTION("a button from an older revision never approves a newer one") {
        CHECK(error_code([&] { engine::decide(cfg, it, steps, {action::approve, "head-a", std::nullopt, 1}, t0); }) ==
              "409 stale_revision");
        CHECK(steps[0].status == step_status::pending);
    }
    SECTION("reply does not apply to drafts") {
        CHECK(error_code([&] { engine::decide(cfg, it, steps, {action::reply, "head-a", std::string("x")}, t0); }) ==
              "422 not_applicable");
    }
}

TEST_CASE("A stand-in's decision records whom it was taken for", "[engine][transitions]") {
    auto cfg = test::small_directory();
    auto it = draft();
    auto steps = engine::plan_steps(cfg, *cfg.find_role("role-a"), "general", 1, {"head-a"});
    SECTION("the fallback acts on behalf of the head") {
        auto out = engine::decide(cfg, it, steps, {action::approve, "fb-a"}, t0);
        CHECK(out.on_behalf_of == std::optional<std::string>("head-a"));
    }
    SECTION("the head, back early, may still act on the step for themself") {
        auto out = engine::decide(cfg, it, steps, {action::approve, "head-a"}, t0);
        CHECK_FALSE(out.on_behalf_of);
        CHECK(it.status == item_status::approved);
    }
}

TEST_CASE("Complaints go open, acknowledged by an interim response, resolved by a reply", "[engine][transitions]") {
    auto cfg = test::small_directory();
    item it;
    it.id = 7;
    it.kind = "complaint";
    it.status = item_status::open;
    it.assignee = "head-b";
    it.interim_due = t0 + 1000;
    std::vector<step> none;

    SECTION("interim then reply") {
        auto interim = engine::decide(cfg, it, none, {action::interim, "head-b", std::string("Looking into it")}, t0);
        CHECK(interim.callback == std::optional<std::string>("item.acknowledged"));
        CHECK(it.status == item_status::acknowledged);
        CHECK_FALSE(it.interim_due);
        CHECK(error_code([&] { engine::decide(cfg, it, none, {action::interim, "head-b", std::string("again")}, t0); }) ==
              "409 invalid_transition");
        auto reply = engine::decide(cfg, it, none, {action::reply, "head-b", std::string("Fixed")}, t0);
        CHECK(reply.callback == std::optional<std::string>("item.resolved"));
        CHECK(it.status == item_status::resolved);
        CHECK_FALSE(it.assignee);
    }
    SECTION("a reply straight away resolves it") {
        engine::decide(cfg, it, none, {action::reply, "head-b", std::string("Done")}, t0);
        CHECK(it.status == item_status::resolved);
    }
    SECTION("text is required") {
        CHECK(error_code([&] { engine::decide(cfg, it, none, {action::reply, "head-b"}, t0); }) == "422 text_required");
    }
    SECTION("approve does not apply") {
        CHECK(error_code([&] { engine::decide(cfg, it, none, {action::approve, "head-b"}, t0); }) == "422 not_applicable");
    }
    SECTION("only the assignee or an admin answers") {
        CHECK(error_code([&] { engine::decide(cfg, it, none, {action::reply, "head-a", std::string("x")}, t0); }) ==
              "409 not_assignee");
        auto out = engine::decide(cfg, it, none, {action::reply, "dpr", std::string("x")}, t0);
        CHECK(out.on_behalf_of == std::optional<std::string>("head-b"));
    }
}

TEST_CASE("Action names parse both ways", "[engine][transitions]") {
    for (auto name : {"approve", "reject", "changes", "interim", "reply"})
        CHECK(engine::action_name(*engine::parse_action(name)) == name);
    CHECK_FALSE(engine::parse_action("publish"));
}
