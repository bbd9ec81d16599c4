#include "integration/server_fixture.hpp"
#include "support/openapi_check.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace signoff::test;
using Catch::Matchers::Contains;
using nlohmann::json;

TEST_CASE("GET /api/v1/openapi.json serves bot/api/openapi.json without a key", "[integration][api][openapi]") {
    running_server server;
    http_client anonymous(server.process->port());
    auto const r = anonymous.get("/api/v1/openapi.json");
    REQUIRE(r.status == 200);
    REQUIRE(r.header("Content-Type") == "application/json");
    std::ifstream file(SIGNOFF_SOURCE_DIR "/bot/api/openapi.json", std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    REQUIRE(r.body == text.str());
    REQUIRE(r.json() == served_openapi());
}

TEST_CASE("Every response the test client receives from the server is checked against the OpenAPI document",
          "[integration][api][openapi]") {
    running_server server;
    auto& agency = server.agency;

    // The hook counts what it checked: documented paths are, other paths are not.
    auto const item = agency.post_json("/api/v1/items", draft_body());
    REQUIRE(item.status == 201);
    REQUIRE(agency.get("/healthz").status == 200);
    REQUIRE(agency.request("DELETE", "/api/v1/items").status == 405);
    REQUIRE(agency.responses_checked() == 3);
    REQUIRE(agency.get("/no/such/path").status == 404);
    REQUIRE(agency.responses_checked() == 3);

    SECTION("a real answer, doctored, fails with method, path, status and the schema's complaint") {
        auto doctored = item;
        auto body = doctored.json();
        body["status"] = "misplaced";
        doctored.body = body.dump();
        auto const c = check_response(served_openapi(), "POST", "/api/v1/items", doctored);
        REQUIRE(c.violation);
        CHECK_THAT(*c.violation, Contains("POST /api/v1/items → 201") && Contains("$.status: \"misplaced\""));

        doctored = item;
        doctored.status = 200;
        CHECK_THAT(check_response(served_openapi(), "POST", "/api/v1/items", doctored).violation.value_or(""),
                   Contains("status 200 is not documented"));
    }
    SECTION("the Allow header of a 405 names exactly the documented methods") {
        auto const r = agency.request("PATCH", "/api/v1/items/1");
        CHECK(r.status == 405);
        CHECK(r.header("Allow") == "GET");
    }
}
