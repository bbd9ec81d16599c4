#include "integration/server_fixture.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

using namespace signoff::test;
using nlohmann::json;

TEST_CASE("Everything acknowledged survives a SIGKILL, with an intact audit chain", "[integration][durability]") {
    running_server server;
    constexpr int writers = 4, per_writer = 40;
    std::mutex mutex;
    std::set<long> acknowledged;
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w)
        threads.emplace_back([&, w] {
            auto client = server.client(agency_key);
            for (int i = 0; i < per_writer; ++i) {
                auto r = client.post_json("/api/v1/items", draft_body("Burst " + std::to_string(w) + "-" + std::to_string(i)));
                if (r.status != 201) continue;
                std::lock_guard lock(mutex);
                acknowledged.insert(r.json()["id"].get<long>());
            }
        });
    for (auto& t : threads) t.join();
    REQUIRE(acknowledged.size() == writers * per_writer);

    // The last acknowledged decision must survive too.
    long decided = *acknowledged.rbegin();
    REQUIRE(server.prdesk.post_json("/api/v1/items/" + std::to_string(decided) + "/decisions", decision("approve", "ddg-std"))
                .status == 200);

    server.kill_and_restart();

    std::set<long> found;
    std::optional<long> after;
    for (;;) {
        auto page = server.agency.get("/api/v1/items?limit=500" + (after ? "&after=" + std::to_string(*after) : "")).json();
        for (auto const& it : page["items"]) found.insert(it["id"].get<long>());
        if (page["next_after"].is_null()) break;
        after = page["next_after"].get<long>();
    }
    CHECK(found == acknowledged);
    CHECK(server.agency.get("/api/v1/items/" + std::to_string(decided)).json()["status"] == "approved");

    server.process->terminate();
    auto verify = run_signoff({"audit", "verify", "--db", server.db_path});
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
    CHECK_THAT(verify.out, Catch::Contains(std::to_string(writers * per_writer + 1) + " events"));
}

TEST_CASE("SIGTERM stops the server cleanly and a restart continues the chain", "[integration][durability]") {
    running_server server;
    server.agency.post_json("/api/v1/items", draft_body("Before"));
    server.restart();
    server.agency.post_json("/api/v1/items", draft_body("After"));
    auto events = server.agency.get("/api/v1/audit").json()["events"];
    REQUIRE(events.size() == 2);
    CHECK(events[1]["prev_hash"] == events[0]["hash"]);
    CHECK(server.process->terminate() == 0);
    CHECK_THAT(server.process->stderr_text(), Catch::Contains("server.stopped"));
}

TEST_CASE("The database and its -wal and -shm files are readable by their owner only", "[integration][durability]") {
    namespace fs = std::filesystem;
    auto owner_only = [](std::string const& path) {
        auto const p = fs::status(path).permissions();
        INFO(path << " has mode " << std::oct << static_cast<unsigned>(p));
        return (p & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none;
    };
    running_server server;
    REQUIRE(server.agency.post_json("/api/v1/items", draft_body("Private")).status == 201);
    CHECK(owner_only(server.db_path));
    CHECK(owner_only(server.db_path + "-wal"));
    CHECK(owner_only(server.db_path + "-shm"));

    SECTION("a store left readable by an older version is made private on start") {
        fs::permissions(server.db_path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                            fs::perms::others_read);
        REQUIRE_FALSE(owner_only(server.db_path));
        server.restart();
        CHECK(owner_only(server.db_path));
        CHECK(server.agency.get("/api/v1/items?limit=5").json()["items"].size() == 1);
    }
}
