#include "bot/engine/deadlines.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace signoff;
using engine::timer;
using engine::timer_kind;

namespace {

millis at(char const* rfc) { return parse_rfc3339(rfc).value(); }

constexpr millis t0 = 1'795'341'600'000;  // 2026-11-22T10:00:00Z

item draft(millis created = t0) {
    item it;
    it.id = 42;
    it.kind = "draft";
    it.status = item_status::pending;
    it.created_at = created;
    it.due = created + 24 * ms_per_hour;
    return it;
}

item complaint(millis created = t0) {
    item it;
    it.id = 43;
    it.kind = "complaint";
    it.status = item_status::open;
    it.created_at = created;
    it.interim_due = created + 4 * ms_per_hour;
    it.due = created + 24 * ms_per_hour;
    return it;
}

std::vector<timer_kind> kinds(std::vector<timer> const& ts) {
    std::vector<timer_kind> out;
    for (auto const& t : ts) out.push_back(t.kind);
    return out;
}

}  // namespace

TEST_CASE("A pending draft is reminded before due, escalated at due and again one period later",
          "[engine][deadlines]") {
    config::sla_config const sla;  // 24 h approval, 2 h reminder
    auto const it = draft();

    SECTION("all timers, in time order") {
        CHECK(engine::timers_of(sla, it) ==
              std::vector<timer>{{timer_kind::reminder, at("2026-11-23T08:00:00Z")},
                                 {timer_kind::escalation, at("2026-11-23T10:00:00Z")},
                                 {timer_kind::second_escalation, at("2026-11-24T10:00:00Z")}});
    }
    SECTION("a moved clock makes each fire in turn") {
        CHECK(engine::due_timers(sla, it, t0).empty());
        CHECK(engine::due_timers(sla, it, at("2026-11-23T07:59:59.999Z")).empty());
        CHECK(kinds(engine::due_timers(sla, it, at("2026-11-23T08:00:00Z"))) == std::vector{timer_kind::reminder});
        CHECK(kinds(engine::due_timers(sla, it, at("2026-11-23T09:59:59Z"))) == std::vector{timer_kind::reminder});
        // At due the reminder is stale: "due in two hours" is no longer true.
        CHECK(kinds(engine::due_timers(sla, it, at("2026-11-23T10:00:00Z"))) == std::vector{timer_kind::escalation});
    }
    SECTION("after the first escalation only the second is left, to the observers") {
        auto escalated = it;
        escalated.escalation_level = 1;
        CHECK(kinds(engine::timers_of(sla, escalated)) ==
              std::vector{timer_kind::reminder, timer_kind::second_escalation});
        CHECK(engine::due_timers(sla, escalated, at("2026-11-24T09:59:59Z")).empty());
        CHECK(engine::due_timers(sla, escalated, at("2026-11-24T10:00:00Z")) ==
              std::vector<timer>{{timer_kind::second_escalation, at("2026-11-24T10:00:00Z")}});
    }
    SECTION("after the second escalation nothing is left to fire once due has passed") {
        auto escalated = it;
        escalated.escalation_level = 2;
        CHECK(kinds(engine::timers_of(sla, escalated)) == std::vector{timer_kind::reminder});
        CHECK(engine::due_timers(sla, escalated, at("2030-01-01T00:00:00Z")).empty());
    }
    SECTION("a scheduler that was down gets both escalations at once, in order") {
        CHECK(kinds(engine::due_timers(sla, it, at("2026-11-25T00:00:00Z"))) ==
              std::vector{timer_kind::escalation, timer_kind::second_escalation});
    }
    SECTION("the second escalation of a complaint waits response_hours, not approval_hours") {
        config::sla_config s;
        s.approval_hours = 24;
        s.response_hours = 8;
        auto c = complaint();
        CHECK(engine::timers_of(s, c).back() == timer{timer_kind::second_escalation, at("2026-11-23T18:00:00Z")});
        CHECK(engine::timers_of(s, draft()).back() == timer{timer_kind::second_escalation, at("2026-11-24T10:00:00Z")});
    }
}

TEST_CASE("A complaint is reminded of its interim response only while it is open", "[engine][deadlines]") {
    config::sla_config const sla;  // 4 h interim, 24 h response, 2 h reminder
    auto it = complaint();

    SECTION("open: interim reminder first") {
        CHECK(engine::timers_of(sla, it) ==
              std::vector<timer>{{timer_kind::interim_reminder, at("2026-11-22T12:00:00Z")},
                                 {timer_kind::reminder, at("2026-11-23T08:00:00Z")},
                                 {timer_kind::escalation, at("2026-11-23T10:00:00Z")},
                                 {timer_kind::second_escalation, at("2026-11-24T10:00:00Z")}});
        CHECK(kinds(engine::due_timers(sla, it, at("2026-11-22T12:00:00Z"))) ==
              std::vector{timer_kind::interim_reminder});
    }
    SECTION("the interim reminder is stale once interim_due has passed") {
        CHECK(engine::due_timers(sla, it, at("2026-11-22T14:00:00Z")).empty());
    }
    SECTION("acknowledged: the interim reminder disappears, the final deadline stays") {
        it.status = item_status::acknowledged;
        CHECK(kinds(engine::timers_of(sla, it)) ==
              std::vector{timer_kind::reminder, timer_kind::escalation, timer_kind::second_escalation});
        CHECK(engine::due_timers(sla, it, at("2026-11-22T12:00:00Z")).empty());
    }
    SECTION("no interim_due, no interim reminder") {
        it.interim_due.reset();
        CHECK(kinds(engine::timers_of(sla, it)).front() == timer_kind::reminder);
    }
}

TEST_CASE("An urgent item escalates after urgent_minutes unless its due comes first", "[engine][deadlines]") {
    config::sla_config const sla;  // 60 minutes
    auto it = draft();
    it.urgent = true;

    SECTION("unanswered for an hour") {
        CHECK(engine::timers_of(sla, it).front() == timer{timer_kind::urgent_escalation, at("2026-11-22T11:00:00Z")});
        CHECK(engine::due_timers(sla, it, at("2026-11-22T10:59:59Z")).empty());
        CHECK(kinds(engine::due_timers(sla, it, at("2026-11-22T11:00:00Z"))) ==
              std::vector{timer_kind::urgent_escalation});
    }
    SECTION("once escalated, neither the urgent nor the first escalation fires again") {
        it.escalation_level = 1;
        CHECK(kinds(engine::timers_of(sla, it)) == std::vector{timer_kind::reminder, timer_kind::second_escalation});
    }
    SECTION("due within the hour: the escalation at due covers it, and no reminder precedes creation") {
        it.due = t0 + 30 * ms_per_minute;
        CHECK(kinds(engine::timers_of(sla, it)) == std::vector{timer_kind::escalation, timer_kind::second_escalation});
    }
    SECTION("not urgent: no urgent escalation") {
        it.urgent = false;
        CHECK(kinds(engine::timers_of(sla, it)).front() == timer_kind::reminder);
    }
}

TEST_CASE("Closed items have no timers at all", "[engine][deadlines]") {
    config::sla_config const sla;
    for (auto status : {item_status::approved, item_status::published, item_status::rejected,
                        item_status::changes_requested, item_status::withdrawn, item_status::resolved}) {
        INFO(status);
        auto it = complaint();
        it.urgent = true;
        it.status = status;
        CHECK(engine::timers_of(sla, it).empty());
        CHECK(engine::due_timers(sla, it, at("2030-01-01T00:00:00Z")).empty());
    }
}

TEST_CASE("Fractional SLA hours give millisecond deadlines", "[engine][deadlines]") {
    config::sla_config sla;
    sla.approval_hours = 0.001;        // 3.6 s
    sla.remind_before_hours = 0.0005;  // 1.8 s
    sla.urgent_minutes = 0.01;         // 600 ms
    auto it = draft();
    it.due = t0 + hours_to_ms(sla.approval_hours);
    it.urgent = true;

    CHECK(engine::timers_of(sla, it) == std::vector<timer>{{timer_kind::urgent_escalation, t0 + 600},
                                                           {timer_kind::reminder, t0 + 1800},
                                                           {timer_kind::escalation, t0 + 3600},
                                                           {timer_kind::second_escalation, t0 + 7200}});
    CHECK(kinds(engine::due_timers(sla, it, t0 + 1800)) ==
          std::vector{timer_kind::urgent_escalation, timer_kind::reminder});
}

TEST_CASE("Reminders are left out when they would coincide with creation or with the deadline", "[engine][deadlines]") {
    config::sla_config sla;
    auto it = draft();

    SECTION("no reminder when remind_before_hours is 0") {
        sla.remind_before_hours = 0;
        CHECK(kinds(engine::timers_of(sla, it)) == std::vector{timer_kind::escalation, timer_kind::second_escalation});
    }
    SECTION("a reminder exactly at creation is left out, one a millisecond later is kept") {
        it.due = t0 + 2 * ms_per_hour;
        CHECK(kinds(engine::timers_of(sla, it)).front() == timer_kind::escalation);
        it.due += 1;
        CHECK(engine::timers_of(sla, it).front() == timer{timer_kind::reminder, t0 + 1});
    }
    SECTION("a zero response period puts both escalations at due, first level first") {
        sla.approval_hours = 0;
        CHECK(engine::due_timers(sla, it, it.due) ==
              std::vector<timer>{{timer_kind::escalation, it.due}, {timer_kind::second_escalation, it.due}});
    }
}

TEST_CASE("Timer names are stable words for markers and events", "[engine][deadlines]") {
    CHECK(engine::timer_name(timer_kind::reminder) == "reminder");
    CHECK(engine::timer_name(timer_kind::interim_reminder) == "interim_reminder");
    CHECK(engine::timer_name(timer_kind::escalation) == "escalation");
    CHECK(engine::timer_name(timer_kind::second_escalation) == "second_escalation");
    CHECK(engine::timer_name(timer_kind::urgent_escalation) == "urgent_escalation");
}

TEST_CASE("A due that is not in the future is refused with a reason", "[engine][deadlines]") {
    config::sla_config const sla;
    SECTION("past or now") {
        auto const why = engine::check_due(sla, at("2026-11-22T09:00:00Z"), t0);
        REQUIRE(why);
        CHECK(*why == "due must be in the future (got 2026-11-22T09:00:00Z, now is 2026-11-22T10:00:00Z)");
        CHECK(engine::check_due(sla, t0, t0));
    }
    SECTION("soon, even within the reminder window, is accepted") {
        CHECK_FALSE(engine::check_due(sla, t0 + 1, t0));
        CHECK_FALSE(engine::check_due(sla, t0 + 30 * ms_per_minute, t0));
        CHECK_FALSE(engine::check_due(sla, t0 + 24 * ms_per_hour, t0));
    }
}

TEST_CASE("A draft planned for publication is due an hour before it, unless approval_hours come first",
          "[engine][deadlines][calendar]") {
    config::sla_config sla;  // approval_hours 24
    CHECK(engine::draft_due(sla, t0, std::nullopt) == t0 + 24 * ms_per_hour);
    CHECK(engine::draft_due(sla, t0, t0 + 5 * ms_per_hour) == t0 + 4 * ms_per_hour);
    CHECK(engine::draft_due(sla, t0, t0 + 72 * ms_per_hour) == t0 + 24 * ms_per_hour);
    CHECK(engine::draft_due(sla, t0, t0 + 30 * ms_per_minute) == t0);  // planned within the hour: due at once
}

TEST_CASE("Publishers are reminded at publish_at, or at the end of the local day of approval",
          "[engine][deadlines][calendar]") {
    config::config cfg;
    cfg.timezone = "Asia/Kolkata";
    CHECK(engine::publication_due(cfg, at("2026-11-23T04:30:00Z"), t0) == at("2026-11-23T04:30:00Z"));
    // 10:00 UTC is 15:30 in Kolkata: the local day ends at 18:30 UTC.
    CHECK(engine::publication_due(cfg, std::nullopt, t0) == at("2026-11-22T18:30:00Z"));
    // 20:00 UTC is already 01:30 on the 23rd there.
    CHECK(engine::publication_due(cfg, std::nullopt, at("2026-11-22T20:00:00Z")) == at("2026-11-23T18:30:00Z"));
}
