#include "bot/core/api_error.hpp"
#include "bot/engine/routing.hpp"
#include "bot/engine/tiers.hpp"
#include "bot/engine/directory_fixture.hpp"

#include <catch2/catch.hpp>

using namespace signoff;

TEST_CASE("Items are routed by role, else by topic, and unroutable items are refused", "[engine][routing]") {
    auto cfg = test::small_directory();
    SECTION("an explicit role wins over the topic") {
        CHECK(engine::route(cfg, std::string("role-b"), std::string("standards")).id == "role-b");
    }
    SECTION("the topic finds its owning role") { CHECK(engine::route(cfg, std::nullopt, std::string("labs")).id == "role-b"); }
    SECTION("an unknown role is 422 unroutable naming the role field") {
        try {
            engine::route(cfg, std::string("nobody"), std::nullopt);
            FAIL("expected api_error");
        } catch (api_error const& e) {
            CHECK(e.status == 422);
            CHECK(e.code == "unroutable");
            CHECK(e.field == "role");
        }
    }
    SECTION("an unowned topic is 422 unroutable naming the topic field") {
        CHECK_THROWS_MATCHES(engine::route(cfg, std::nullopt, std::string("weather")), api_error,
                             Catch::Predicate<api_error>([](api_error const& e) { return e.field == "topic"; }));
    }
    SECTION("neither role nor topic is unroutable") {
        CHECK_THROWS_AS(engine::route(cfg, std::nullopt, std::nullopt), api_error);
    }
}

TEST_CASE("The head acts, the fallback stands in while the head is away, never nobody", "[engine][routing]") {
    auto cfg = test::small_directory();
    auto const& role = *cfg.find_role("role-a");
    SECTION("head present") {
        auto a = engine::stand_in(cfg, role, {});
        CHECK(a.person == "head-a");
        CHECK_FALSE(a.for_person);
    }
    SECTION("head away: the fallback, standing in for the head") {
        auto a = engine::stand_in(cfg, role, {"head-a"});
        CHECK(a.person == "fb-a");
        CHECK(a.for_person == std::optional<std::string>("head-a"));
    }
    SECTION("head and fallback away: the first observer present") {
        auto a = engine::stand_in(cfg, role, {"head-a", "fb-a"});
        CHECK(a.person == "dpr");
        CHECK(a.for_person == std::optional<std::string>("head-a"));
    }
    SECTION("everyone away: still the head") {
        CHECK(engine::stand_in(cfg, role, {"head-a", "fb-a", "dpr"}).person == "head-a");
    }
    SECTION("region coordinators are the heads of roles covering the region") {
        CHECK(engine::region_coordinators(cfg, std::string("south")) == std::vector<std::string>{"rc-south"});
        CHECK(engine::region_coordinators(cfg, std::string("north")).empty());
        CHECK(engine::region_coordinators(cfg, std::nullopt).empty());
    }
}

TEST_CASE("Tiers resolve to sequential steps, skipping people already in the chain", "[engine][tiers]") {
    auto cfg = test::small_directory();
    auto const& role = *cfg.find_role("role-a");
    SECTION("general: one pending step for the head") {
        auto steps = engine::plan_steps(cfg, role, "general", 1, {});
        REQUIRE(steps.size() == 1);
        CHECK(steps[0].person == "head-a");
        CHECK(steps[0].status == step_status::pending);
    }
    SECTION("sensitive: head pending, fallback waiting") {
        auto steps = engine::plan_steps(cfg, role, "sensitive", 3, {});
        REQUIRE(steps.size() == 2);
        CHECK(steps[0].status == step_status::pending);
        CHECK(steps[1].person == "fb-a");
        CHECK(steps[1].status == step_status::waiting);
        CHECK(steps[1].revision == 3);
        CHECK(engine::current_step(steps)->position == 0);
    }
    SECTION("sensitive while the head is away: the fallback stands in once; the second step is skipped") {
        auto steps = engine::plan_steps(cfg, role, "sensitive", 1, {"head-a"});
        REQUIRE(steps.size() == 2);
        CHECK(steps[0].person == "fb-a");
        CHECK(steps[0].for_person == std::optional<std::string>("head-a"));
        CHECK(steps[1].status == step_status::skipped);
        CHECK_THAT(steps[1].note.value_or(""), Catch::Contains("already approves"));
    }
    SECTION("major: a person id as a step") {
        auto steps = engine::plan_steps(cfg, role, "major", 1, {});
        CHECK(steps[1].person == "dg");
    }
    SECTION("a role id as a step means that role's head, and repeats are skipped") {
        auto steps = engine::plan_steps(cfg, role, "cross", 1, {});
        REQUIRE(steps.size() == 3);
        CHECK(steps[1].person == "head-b");
        CHECK(steps[2].status == step_status::skipped);
    }
    SECTION("a role without fallback skips @fallback with the reason") {
        auto steps = engine::plan_steps(cfg, *cfg.find_role("coord-south"), "sensitive", 1, {});
        CHECK(steps[1].status == step_status::skipped);
        CHECK_THAT(steps[1].note.value_or(""), Catch::Contains("no fallback"));
    }
    SECTION("an unknown tier is a 400") { CHECK_THROWS_AS(engine::plan_steps(cfg, role, "secret", 1, {}), api_error); }
    SECTION("tier order is by the number of approvals") {
        CHECK(engine::tier_is_higher(cfg, "general", "sensitive"));
        CHECK_FALSE(engine::tier_is_higher(cfg, "major", "sensitive"));
        CHECK_FALSE(engine::tier_is_higher(cfg, "sensitive", "sensitive"));
    }
}
