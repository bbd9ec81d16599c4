// The embedded demo shows the product on its first start: a few clearly marked example items.

#include "integration/server_fixture.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace signoff::test;
using nlohmann::json;

TEST_CASE("The embedded demo seeds marked example items into its empty default store, once", "[integration][demo]") {
    temp_dir dir("signoff-demo");
    environment env{{"SIGNOFF_AGENCY_KEY", agency_key}, {"SIGNOFF_PR_KEY", prdesk_key}};
    // The demo's store.path is ./signoff.db: the server runs in `dir`.
    std::optional<server_process> server;
    server.emplace(std::vector<std::string>{"serve", "--listen", "127.0.0.1:0"}, env, signoff_binary(), dir.path());
    http_client desk(server->port());
    desk.set_default_header("Authorization", std::string("Bearer ") + prdesk_key);
    auto items = desk.get("/api/v1/items").json()["items"];
    REQUIRE(items.size() == 4);
    int approved = 0;
    for (auto const& it : items) {
        CHECK(it["external_ref"].get<std::string>().starts_with("demo-seed-"));
        if (it["kind"] == "draft") CHECK(it["title"].get<std::string>().starts_with("Example:"));
        else CHECK(it["body"].get<std::string>().starts_with("Example:"));
        approved += it["status"] == "approved";
    }
    CHECK(approved == 1);
    CHECK(desk.get("/api/v1/calendar").json()["items"].size() == 3);
    CHECK(std::filesystem::exists(dir.path() / "signoff.db"));

    server->terminate();
    server.reset();
    server.emplace(std::vector<std::string>{"serve", "--listen", "127.0.0.1:0"}, env, signoff_binary(),
                   dir.path());  // a second start seeds nothing more
    http_client again(server->port());
    again.set_default_header("Authorization", std::string("Bearer ") + prdesk_key);
    CHECK(again.get("/api/v1/items").json()["items"].size() == 4);
}
