#include "store/health.hpp"
#include "store/schema.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

using namespace signoff;

namespace {

std::string plan_of(sqlite::database& db, std::string_view sql) {
    auto s = db.prepare("EXPLAIN QUERY PLAN " + std::string(sql));
    if (sql.find('?') != std::string_view::npos) s.bind(std::int64_t{0});
    std::string out;
    while (s.step()) out += s.column_text(3) + "\n";
    return out;
}

void add_outbox(sqlite::database& db, std::string const& channel, std::string const& status, millis created,
                millis next_attempt) {
    db.prepare("INSERT INTO outbox (channel, purpose, payload, status, next_attempt_ms, created_ms, updated_ms) "
               "VALUES (?, 'item_card', '{}', ?, ?, ?, ?)")
        .bind(channel, status, next_attempt, created, created)
        .run();
}

void add_item(sqlite::database& db, std::string const& role, std::string const& status, millis due) {
    db.prepare("INSERT INTO items (kind, status, role, revision, due_ms, submitted_by, doc, created_ms, updated_ms) "
               "VALUES ('draft', ?, ?, 1, ?, 'agency', '{}', 0, 0)")
        .bind(status, role, due)
        .run();
}

}  // namespace

TEST_CASE("The operator's store reads count the right rows and use an index", "[store][health]") {
    auto dir = std::filesystem::temp_directory_path() / ("signoff-health-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    {
        sqlite::database db((dir / "h.db").string(), {.read_only = false, .synchronous = "normal"});
        store::migrate(db);

        SECTION("each query is answered from an index, never a scan of its table") {
            CHECK_THAT(plan_of(db, store::health_sql::backlog), Catch::Contains("INDEX outbox_queued_by_channel"));
            CHECK_THAT(plan_of(db, store::health_sql::oldest_due), Catch::Contains("INDEX outbox_due"));
            CHECK_THAT(plan_of(db, store::health_sql::by_role), Catch::Contains("INDEX items_open_by_role"));
            for (std::string_view sql : {store::health_sql::backlog, store::health_sql::oldest_due,
                                         std::string_view(store::health_sql::by_role)}) {
                INFO(sql);
                CHECK_THAT(plan_of(db, sql), !Catch::Contains("SCAN outbox\n") && !Catch::Contains("SCAN items\n"));
            }
        }
        SECTION("the backlog counts queued rows per channel, with the oldest") {
            add_outbox(db, "callback", "queued", 500, 900);
            add_outbox(db, "callback", "queued", 300, 2000);
            add_outbox(db, "callback", "sent", 100, 100);
            add_outbox(db, "chat", "queued", 700, 700);
            add_outbox(db, "chat", "dead", 50, 50);
            auto b = store::outbox_backlog(db);
            REQUIRE(b.size() == 2);
            CHECK(b[0].channel == "callback");
            CHECK(b[0].queued == 2);
            CHECK(b[0].oldest_created == 300);
            CHECK(b[1].channel == "chat");
            CHECK(b[1].queued == 1);
            CHECK(store::oldest_due_queued(db) == millis{700});
        }
        SECTION("an empty outbox has no oldest due row") { CHECK_FALSE(store::oldest_due_queued(db)); }
        SECTION("open and overdue items per role") {
            add_item(db, "press", "pending", 1000);
            add_item(db, "press", "open", 5000);
            add_item(db, "press", "approved", 10);
            add_item(db, "standards", "acknowledged", 10);
            auto load = store::open_items_by_role(db, 2000);
            REQUIRE(load.size() == 2);
            CHECK(load[0].role == "press");
            CHECK(load[0].open == 2);
            CHECK(load[0].overdue == 1);
            CHECK(load[1].role == "standards");
            CHECK(load[1].open == 1);
            CHECK(load[1].overdue == 1);
        }
    }
    std::filesystem::remove_all(dir);
}
