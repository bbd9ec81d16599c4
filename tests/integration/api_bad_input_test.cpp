#include "integration/server_fixture.hpp"

#include <catch2/catch.hpp>

using namespace signoff::test;
using nlohmann::json;

namespace {
std::string code_of(response const& r) {
    try {
        return std::to_string(r.status) + " " + r.json()["error"]["code"].get<std::string>();
    } catch (std::exception const&) {
        return std::to_string(r.status) + " (no error body) " + r.body;
    }
}
}  // namespace

TEST_CASE("Bad API input gets a clear 4xx, stores nothing, and the server stays up", "[integration][api][bad-input]") {
    running_server server([](json& cfg) { cfg["server"]["max_body_bytes"] = 4096; });
    auto& agency = server.agency;
    auto existing = agency.post_json("/api/v1/items", draft_body()).json();
    std::string item = "/api/v1/items/" + std::to_string(existing["id"].get<long>());
    signoff::header_list json_type = {{"Content-Type", "application/json"}};

    SECTION("credentials and scopes") {
        http_client anonymous(server.process->port());
        CHECK(code_of(anonymous.get("/api/v1/items")) == "401 unauthorized");
        CHECK(code_of(anonymous.get("/api/v1/items", {{"Authorization", "Bearer wrong"}})) == "401 unauthorized");
        CHECK(code_of(anonymous.get("/api/v1/items", {{"Authorization", "Basic dGVzdA=="}})) == "401 unauthorized");
        CHECK(code_of(agency.post_json(item + "/decisions", decision("approve", "ddg-std"))) == "403 forbidden");
        CHECK(code_of(agency.put_json("/api/v1/people/ddg-std/availability", {{"away", true}})) == "403 forbidden");
    }
    SECTION("integers outside what the server stores are refused, never wrapped") {
        auto wrapped = decision("approve", "ddg-std");
        wrapped["revision"] = 4294967297LL;  // 2^32 + 1: revision 1 if narrowed to 32 bits
        CHECK(code_of(server.prdesk.post_json(item + "/decisions", wrapped)) == "400 invalid_field");
        wrapped["revision"] = 0;
        CHECK(code_of(server.prdesk.post_json(item + "/decisions", wrapped)) == "400 invalid_field");
        CHECK(agency.get(item).json()["status"] == "pending");
        CHECK(code_of(agency.get("/api/v1/items/99999999999999999999")) == "400 invalid_field");
        CHECK(code_of(agency.get("/api/v1/items?limit=99999999999999999999")) == "400 invalid_field");
        CHECK(code_of(agency.get("/api/v1/items?after=99999999999999999999")) == "400 invalid_field");
    }
    SECTION("content type, JSON and body shape") {
        CHECK(code_of(agency.request("POST", "/api/v1/items", draft_body().dump())) == "415 unsupported_media_type");
        CHECK(code_of(agency.request("POST", "/api/v1/items", draft_body().dump(), {{"Content-Type", "text/plain"}})) ==
              "415 unsupported_media_type");
        CHECK(code_of(agency.request("POST", "/api/v1/items", "{\"kind\": \"draft\",", json_type)) == "400 malformed_json");
        CHECK(code_of(agency.request("POST", "/api/v1/items", "[1,2]", json_type)) == "400 invalid_body");
        CHECK(code_of(agency.request("POST", "/api/v1/items", "", json_type)) == "400 malformed_json");
        std::string bad_utf8 = R"({"kind":"draft","title":"x","body":"caf)" + std::string("\xC3\x28") + R"(","topic":"standards"})";
        CHECK(code_of(agency.request("POST", "/api/v1/items", bad_utf8, json_type)) == "400 malformed_json");
    }
    SECTION("fields") {
        auto with = [&](json patch) {
            auto body = draft_body();
            body.update(patch);
            return code_of(agency.post_json("/api/v1/items", body));
        };
        CHECK(with({{"titel", "typo"}}) == "400 unknown_field");
        CHECK(with({{"kind", "memo"}}) == "400 invalid_value");
        CHECK(with({{"kind", nullptr}}) == "400 missing_field");
        CHECK(with({{"body", 42}}) == "400 invalid_value");
        CHECK(with({{"urgent", "yes"}}) == "400 invalid_value");
        CHECK(with({{"platforms", "x"}}) == "400 invalid_value");
        CHECK(with({{"tier", "ultra"}}) == "400 invalid_value");
        CHECK(with({{"due", "tomorrow"}}) == "400 invalid_value");
        CHECK(with({{"due", "2001-01-01T00:00:00Z"}}) == "422 due_in_past");
        CHECK(with({{"topic", "weather"}}) == "422 unroutable");
        CHECK(with({{"role", "nobody"}}) == "422 unroutable");
        CHECK(with({{"media", {{{"url", "https://x/p.jpg"}}}}}) == "400 invalid_value");
        CHECK(with({{"media", {{{"url", "https://x/p.jpg"}, {"type", "image/jpeg"}, {"bytes", -1}}}}}) ==
              "400 invalid_value");
        auto missing_body = draft_body();
        missing_body.erase("body");
        CHECK(code_of(agency.post_json("/api/v1/items", missing_body)) == "400 missing_field");
    }
    SECTION("an oversized body is 413") {
        auto big = draft_body();
        big["body"] = std::string(5000, 'a');
        CHECK(code_of(agency.post_json("/api/v1/items", big)) == "413 body_too_large");
    }
    SECTION("unknown ids, paths and methods") {
        CHECK(code_of(agency.get("/api/v1/items/999999")) == "404 not_found");
        CHECK(code_of(agency.get("/api/v1/items/abc")) == "404 not_found");
        CHECK(code_of(agency.get("/api/v1/items/-1")) == "404 not_found");
        CHECK(code_of(agency.get("/api/v2/items")) == "404 not_found");
        CHECK(code_of(agency.request("DELETE", item)) == "405 method_not_allowed");
        CHECK(code_of(server.prdesk.post_json("/api/v1/items/999999/decisions", decision("approve", "ddg-std"))) ==
              "404 not_found");
    }
    SECTION("illegal transitions and decisions") {
        CHECK(code_of(agency.post_json(item + "/published", {{"platform", "x"}, {"url", "https://x/1"}})) ==
              "409 invalid_transition");
        CHECK(code_of(server.prdesk.post_json(item + "/decisions", decision("publish", "ddg-std"))) == "400 invalid_value");
        CHECK(code_of(server.prdesk.post_json(item + "/decisions", decision("approve", "ghost"))) == "422 unknown_person");
        CHECK(code_of(server.prdesk.post_json(item + "/decisions", decision("reject", "ddg-std"))) ==
              "422 reason_required");
        CHECK(code_of(server.prdesk.post_json(item + "/decisions", {{"action", "approve"}})) == "400 missing_field");
    }
    SECTION("query parameters") {
        CHECK(code_of(agency.get("/api/v1/items?limit=501")) == "400 invalid_value");
        CHECK(code_of(agency.get("/api/v1/items?limit=0")) == "400 invalid_value");
        CHECK(code_of(agency.get("/api/v1/items?limit=ten")) == "400 invalid_value");
        CHECK(code_of(agency.get("/api/v1/items?status=done")) == "400 invalid_value");
        CHECK(code_of(agency.get("/api/v1/items?overdue=maybe")) == "400 invalid_value");
        CHECK(code_of(agency.get("/api/v1/audit?limit=501")) == "400 invalid_value");
        CHECK(code_of(agency.get("/api/v1/audit?after=-4")) == "400 invalid_value");
    }

    // Whatever the section did, nothing more was stored and the server still answers.
    CHECK(agency.get("/api/v1/items").json()["items"].size() == 1);
    auto full = agency.get(item).json();
    CHECK(full["status"] == "pending");
    CHECK(full["events"].size() == 1);
    CHECK(agency.get("/healthz").status == 200);
}

TEST_CASE("Slow and malformed HTTP is cut off without harming the server", "[integration][http][bad-input]") {
    running_server server([](json& cfg) {
        cfg["server"]["request_timeout_seconds"] = 0.5;
        cfg["server"]["idle_timeout_seconds"] = 0.5;
    });
    auto port = server.process->port();
    SECTION("headers that never finish") {
        auto started = std::chrono::steady_clock::now();
        auto answer = raw_exchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n", std::chrono::seconds(5));
        auto waited = std::chrono::steady_clock::now() - started;
        CHECK(waited < std::chrono::seconds(4));
        CHECK(answer.find("\"status\":\"ok\"") == std::string::npos);
    }
    SECTION("a body that never arrives") {
        auto answer = raw_exchange(port,
                                   "POST /api/v1/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                   "Authorization: Bearer test-agency-key\r\nContent-Length: 100\r\n\r\n{\"kind\"",
                                   std::chrono::seconds(5));
        CHECK(answer.find("201") == std::string::npos);
    }
    SECTION("garbage instead of HTTP") {
        auto answer = raw_exchange(port, "HELLO THERE\r\n\r\n", std::chrono::seconds(5));
        CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
    }
    SECTION("a smuggled request behind Transfer-Encoding: chunked, identity gets no answer") {
        auto answer = raw_exchange(port,
                                   "POST /api/v1/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                   "Transfer-Encoding: chunked, identity\r\n\r\n"
                                   "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
                                   std::chrono::seconds(5));
        CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
        CHECK(answer.find("signoff_") == std::string::npos);  // /metrics was not answered
        CHECK(answer.find("HTTP/1.1", 1) == std::string::npos);
    }
    CHECK(server.agency.get("/healthz").status == 200);
    CHECK(server.agency.get("/api/v1/items").json()["items"].empty());
}

TEST_CASE("A bearer key or webhook signature is checked before the body is read", "[integration][http][bad-input]") {
    running_server server([](json& cfg) { cfg["server"]["request_timeout_seconds"] = 20; });
    auto port = server.process->port();
    auto answered_at_once = [&](std::string head) {
        auto started = std::chrono::steady_clock::now();
        auto answer = raw_exchange(port, head, std::chrono::seconds(10));
        auto waited = std::chrono::steady_clock::now() - started;
        INFO(answer);
        CHECK(waited < std::chrono::seconds(5));  // the server did not wait for the 200 kB it was promised
        return answer.substr(0, answer.find("\r\n"));
    };
    CHECK(answered_at_once("POST /api/v1/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Authorization: Bearer wrong\r\nContent-Length: 200000\r\n\r\n") == "HTTP/1.1 401 Unauthorized");
    CHECK(answered_at_once("POST /api/v1/items/1/decisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Authorization: Bearer " + std::string(agency_key) + "\r\nContent-Length: 200000\r\n\r\n") ==
          "HTTP/1.1 403 Forbidden");  // a valid key without the admin scope
    CHECK(server.agency.get("/healthz").status == 200);
    CHECK(server.agency.get("/api/v1/items").json()["items"].empty());
}
