#include "support/openapi_check.hpp"

#include "bot/api/openapi.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace signoff::test;
using Catch::Matchers::Contains;
using json = nlohmann::json;

namespace {

json const& doc() { return served_openapi(); }
json const& schema(char const* name) { return doc()["components"]["schemas"][name]; }

json good_item() {
    return json::parse(R"({
        "id": 1, "kind": "draft", "status": "pending", "title": "World Standards Day", "body": "Text",
        "platforms": ["x"], "topic": "standards", "role": "standardisation", "region": null, "tier": "general",
        "urgent": false, "media": [{"url": "https://example.org/a.jpg", "type": "image/jpeg", "bytes": 10}],
        "source": null, "external_ref": null, "revision": 1, "assignee": "ddg-std",
        "steps": [{"revision": 1, "position": 0, "spec": "@head", "person": "ddg-std", "for_person": null,
                   "status": "pending", "decided_by": null, "decided_at": null, "note": null}],
        "due": "2026-11-22T10:00:00Z", "interim_due": null, "publish_at": null,
        "checks": [{"rule": "limit:x", "ok": true, "detail": "4 of 280"}], "published": {},
        "escalation_level": 0, "submitted_by": "agency",
        "created_at": "2026-11-21T10:00:00Z", "updated_at": "2026-11-21T10:00:00Z"})");
}

response json_answer(int status, json const& body) {
    return {.status = status, .headers = {{"content-type", "application/json"}}, .body = body.dump()};
}

}  // namespace

TEST_CASE("The OpenAPI document is 3.1 in shape and is what the binary embeds", "[support][openapi]") {
    REQUIRE(document_problems(doc()).empty());
    REQUIRE(doc()["openapi"] == "3.1.0");
    for (char const* path : {"/api/v1/items", "/api/v1/items/{id}", "/api/v1/items/{id}/revisions",
                             "/api/v1/items/{id}/published", "/api/v1/items/{id}/withdraw",
                             "/api/v1/items/{id}/decisions", "/api/v1/people/{id}/availability", "/api/v1/audit",
                             "/api/v1/openapi.json", "/healthz", "/readyz", "/metrics", "/webhook/telegram",
                             "/webhook/whatsapp", "/webhook/wecom", "/api/v1/media", "/media/{sha256}",
                             "/api/v1/reports/sla", "/api/v1/calendar"})
        CHECK(doc()["paths"].contains(path));

    std::ifstream file(SIGNOFF_SOURCE_DIR "/bot/api/openapi.json", std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    REQUIRE(text.str() == signoff::openapi_json());

    SECTION("a dangling $ref, an operation without responses and an undeclared path parameter are found") {
        json bad = doc();
        bad["openapi"] = "3.0.3";
        bad["paths"]["/healthz"]["get"]["responses"] = json::object();
        bad["paths"]["/api/v1/items/{id}"]["get"]["parameters"] = json::array();
        bad["components"]["schemas"]["Item"]["properties"]["steps"]["items"]["$ref"] = "#/components/schemas/Nope";
        auto const problems = document_problems(bad);
        std::string all;
        for (auto const& p : problems) all += p + "\n";
        CHECK_THAT(all, Contains("openapi is not \"3.1.0\""));
        CHECK_THAT(all, Contains("get /healthz: no responses"));
        CHECK_THAT(all, Contains("{id} is not declared"));
        CHECK_THAT(all, Contains("#/components/schemas/Nope"));
    }
}

TEST_CASE("The schema validator accepts good instances and names what is wrong with bad ones", "[support][openapi]") {
    auto item = good_item();
    REQUIRE_FALSE(schema_violation(doc(), schema("Item"), item));

    SECTION("a missing required field") {
        item.erase("assignee");
        CHECK_THAT(schema_violation(doc(), schema("Item"), item).value_or(""),
                   Contains("$: the required property \"assignee\" is missing"));
    }
    SECTION("an extra property where additionalProperties is false") {
        item["steps"][0]["colour"] = "red";
        CHECK_THAT(schema_violation(doc(), schema("Item"), item).value_or(""),
                   Contains("$.steps[0]: the property \"colour\" is not allowed"));
    }
    SECTION("a wrong type, and null only where the type list has it") {
        item["urgent"] = "no";
        CHECK_THAT(schema_violation(doc(), schema("Item"), item).value_or(""), Contains("$.urgent: \"no\" is not of type"));
        item = good_item();
        item["region"] = "south";
        CHECK_FALSE(schema_violation(doc(), schema("Item"), item));
        item["role"] = nullptr;
        CHECK_THAT(schema_violation(doc(), schema("Item"), item).value_or(""), Contains("$.role: null"));
    }
    SECTION("enum, const, minimum, pattern and oneOf") {
        item["status"] = "lost";
        CHECK_THAT(schema_violation(doc(), schema("Item"), item).value_or(""), Contains("is not one of"));
        CHECK(schema_violation(doc(), schema("Health"), {{"status", "bad"}}));
        item = good_item();
        item["id"] = 0;
        CHECK_THAT(schema_violation(doc(), schema("Item"), item).value_or(""), Contains("below the minimum"));
        CHECK(schema_violation(doc(), schema("Event")["properties"]["hash"], "abc"));
        item = good_item();
        item["source"] = {{"platform", "x"}};
        CHECK_FALSE(schema_violation(doc(), schema("Item"), item));
        item["source"] = 3;
        CHECK_THAT(schema_violation(doc(), schema("Item"), item).value_or(""), Contains("matches none of oneOf"));
    }
    SECTION("anyOf: a revision must change something") {
        CHECK(schema_violation(doc(), schema("RevisionInput"), {{"note", "only a note"}}));
        CHECK_FALSE(schema_violation(doc(), schema("RevisionInput"), {{"body", "new"}}));
    }
}

TEST_CASE("A response is checked for its status, content type and body", "[support][openapi]") {
    SECTION("a conforming answer") {
        auto const c = check_response(doc(), "POST", "/api/v1/items", json_answer(201, good_item()));
        CHECK(c.documented);
        CHECK_FALSE(c.violation);
    }
    SECTION("an undocumented status names method, path and status") {
        auto const c = check_response(doc(), "GET", "/api/v1/items/7?x=1", json_answer(418, json::object()));
        REQUIRE(c.violation);
        CHECK_THAT(*c.violation, Contains("GET /api/v1/items/7?x=1 → 418") && Contains("/api/v1/items/{id}") &&
                                     Contains("status 418 is not documented"));
    }
    SECTION("an undocumented content type") {
        response r{.status = 200, .headers = {{"content-type", "text/html"}}, .body = "<p>"};
        CHECK_THAT(check_response(doc(), "GET", "/healthz", r).violation.value_or(""),
                   Contains("content type \"text/html\" is not documented"));
    }
    SECTION("a body the schema refuses") {
        auto item = good_item();
        item.erase("due");
        CHECK_THAT(check_response(doc(), "POST", "/api/v1/items", json_answer(201, item)).violation.value_or(""),
                   Contains("the required property \"due\" is missing"));
        CHECK(check_response(doc(), "GET", "/api/v1/items/1", json_answer(404, {{"error", {{"code", 1}}}})).violation);
    }
    SECTION("NDJSON is checked line by line, text as a string") {
        response r{.status = 200, .headers = {{"content-type", "application/x-ndjson"}}, .body = "{\"id\":1}\n"};
        CHECK_THAT(check_response(doc(), "GET", "/api/v1/audit", r).violation.value_or(""), Contains("line 1 $"));
        response m{.status = 200, .headers = {{"content-type", "text/plain; version=0.0.4"}}, .body = "a 1\n"};
        CHECK_FALSE(check_response(doc(), "GET", "/metrics", m).violation);
    }
    SECTION("another method on a documented path must be 405 with the documented methods in Allow") {
        auto r = json_answer(405, {{"error", {{"code", "method_not_allowed"}, {"message", "no"}}}});
        r.headers["allow"] = "POST, GET";
        CHECK_FALSE(check_response(doc(), "DELETE", "/api/v1/items", r).violation);
        r.headers["allow"] = "POST, GET, DELETE";
        CHECK_THAT(check_response(doc(), "DELETE", "/api/v1/items", r).violation.value_or(""), Contains("Allow"));
        CHECK(check_response(doc(), "DELETE", "/api/v1/items", json_answer(200, json::object())).violation);
    }
    SECTION("a path the document does not list is not checked") {
        auto const c = check_response(doc(), "GET", "/nowhere", json_answer(404, json::object()));
        CHECK_FALSE(c.documented);
        CHECK_FALSE(c.violation);
    }
}
