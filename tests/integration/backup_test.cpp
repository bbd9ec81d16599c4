#include "integration/server_fixture.hpp"

#include "store/schema.hpp"
#include "store/sqlite.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

using namespace signoff::test;
using nlohmann::json;

namespace {

std::set<long> items_in(std::string const& db_path) {
    signoff::sqlite::database db(db_path, {.read_only = true, .synchronous = "normal"});
    std::set<long> ids;
    auto s = db.prepare("SELECT id FROM items ORDER BY id");
    while (s.step()) ids.insert(static_cast<long>(s.column_int(0)));
    return ids;
}

}  // namespace

TEST_CASE("signoff backup copies the store while the server writes, and the copy verifies", "[integration][backup]") {
    running_server server;
    std::mutex mutex;
    std::set<long> acknowledged;
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        auto client = server.client(agency_key);
        for (int i = 0; !stop; ++i) {
            auto r = client.post_json("/api/v1/items", draft_body("Under load " + std::to_string(i)));
            if (r.status != 201) continue;
            std::lock_guard lock(mutex);
            acknowledged.insert(r.json()["id"].get<long>());
        }
    });
    auto acknowledged_count = [&] {
        std::lock_guard lock(mutex);
        return acknowledged.size();
    };
    while (acknowledged_count() < 20) std::this_thread::sleep_for(std::chrono::milliseconds(5));

    std::set<long> before_backup;
    {
        std::lock_guard lock(mutex);
        before_backup = acknowledged;
    }
    auto const copy = (server.dir / "backup" / "copy.db").string();
    std::filesystem::create_directories(server.dir / "backup");
    auto result = run_signoff({"backup", copy, "--db", server.db_path});
    auto const after_backup = acknowledged_count();
    // Keep writing a little after the backup, so the server's writes and the copy overlap.
    while (acknowledged_count() < after_backup + 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    stop = true;
    writer.join();

    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::StartsWith("ok: "));

    struct stat st {};
    REQUIRE(::stat(copy.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_FALSE(std::filesystem::exists(copy + "-wal"));

    auto verify = run_signoff({"audit", "verify", "--db", copy});
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
    CHECK_THAT(verify.out, Catch::StartsWith("ok: "));

    auto in_copy = items_in(copy);
    for (long id : before_backup) CHECK(in_copy.contains(id));
    // The copy is one moment of the store: a prefix of the ids, with nothing from after the writes stopped.
    CHECK(in_copy.size() >= before_backup.size());
    CHECK(in_copy.size() < acknowledged.size() + 1);
    CHECK(*in_copy.rbegin() == static_cast<long>(in_copy.size()));

    // The server carries on, and a server started on the copy serves its items.
    CHECK(server.agency.get("/api/v1/items/" + std::to_string(*acknowledged.rbegin())).status == 200);
    server_process restored({"serve", "--config", server.config_path, "--db", copy, "--listen", "127.0.0.1:0"},
                            {{"SIGNOFF_AGENCY_KEY", agency_key}, {"SIGNOFF_PR_KEY", prdesk_key}});
    http_client client(restored.port());
    client.set_default_header("Authorization", std::string("Bearer ") + agency_key);
    CHECK(client.get("/api/v1/items/" + std::to_string(*before_backup.rbegin())).status == 200);
}

TEST_CASE("signoff backup explains its usage and fails clearly", "[integration][backup][cli]") {
    temp_dir dir;
    CHECK(run_signoff({"backup"}).exit_code == 2);
    CHECK_THAT(run_signoff({"backup", "--help"}).out, Catch::Contains("usage: signoff backup FILE"));
    CHECK_THAT(run_signoff({"--help"}).out, Catch::Contains("signoff backup FILE"));
    auto missing = run_signoff({"backup", (dir / "copy.db").string(), "--db", (dir / "none.db").string()});
    CHECK(missing.exit_code == 1);
    CHECK_THAT(missing.err, Catch::Contains("no database"));
    CHECK_FALSE(std::filesystem::exists(dir / "copy.db"));

    SECTION("--config names the database through store.path") {
        auto const db = (dir / "store.db").string();
        {
            signoff::sqlite::database created(db, {.read_only = false, .synchronous = "normal"});
            signoff::store::migrate(created);
        }
        auto cfg = demo_config();
        cfg["store"]["path"] = db;
        auto r = run_signoff({"backup", (dir / "copy.db").string(), "--config", dir.write("c.json", cfg.dump()).string()});
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains(db) && Catch::Contains("schema " + std::to_string(signoff::store::schema_version())));
        CHECK(std::filesystem::exists(dir / "copy.db"));
    }
}
