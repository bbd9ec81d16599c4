#include "bot/net/router.hpp"

#include "bot/core/api_error.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <stdexcept>

namespace net = boost::asio;
using namespace signoff;

namespace {

http_response run(router const& r, std::string method, std::string target) {
    net::io_context ioc;
    http_request req;
    req.method = std::move(method);
    req.target = std::move(target);
    auto result = net::co_spawn(ioc, r.route(req), net::use_future);
    ioc.run();
    return result.get();
}

router::handler echo(std::string tag) {
    return [tag](http_request const& req, route_params const& params) -> net::awaitable<http_response> {
        nlohmann::json body = {{"tag", tag}, {"method", req.method}};
        for (auto const& [name, value] : params.values) body["params"][name] = value;
        co_return json_response(200, body);
    };
}

router::handler throwing(std::function<void()> fail) {
    return [fail](http_request const&, route_params const&) -> net::awaitable<http_response> {
        fail();
        co_return json_response(200, nlohmann::json::object());
    };
}

nlohmann::json body_of(http_response const& res) { return nlohmann::json::parse(res.body); }

}  // namespace

TEST_CASE("the router dispatches by method and path pattern", "[bot][router]") {
    router r;
    r.add("GET", "/api/v1/items", echo("list"));
    r.add("POST", "/api/v1/items", echo("create"));
    r.add("GET", "/api/v1/items/{id}", echo("get"));
    r.add("POST", "/api/v1/items/{id}/revisions", echo("revise"));
    r.add("PUT", "/api/v1/people/{id}/availability", echo("away"));
    r.add("GET", "/", echo("root"));

    SECTION("literal paths, ignoring the query string") {
        auto res = run(r, "GET", "/api/v1/items?limit=5&status=pending");
        CHECK(res.status == 200);
        CHECK(res.content_type == "application/json");
        CHECK(body_of(res)["tag"] == "list");
        CHECK(body_of(run(r, "POST", "/api/v1/items"))["tag"] == "create");
        CHECK(body_of(run(r, "GET", "/"))["tag"] == "root");
    }
    SECTION("parameters are captured and percent-decoded, '+' kept") {
        auto body = body_of(run(r, "POST", "/api/v1/items/42/revisions"));
        CHECK(body["tag"] == "revise");
        CHECK(body["params"]["id"] == "42");
        CHECK(body_of(run(r, "PUT", "/api/v1/people/ddg%2Dstd+x/availability"))["params"]["id"] == "ddg-std+x");
    }
    SECTION("an unknown path is 404 not_found") {
        for (auto target : {"/api/v1/nothing", "/api/v1/items/", "/api/v1/items/42/revisions/7", "relative", "",
                            "/api/v1/items/%zz", "/api/v1/items//revisions"}) {
            INFO(target);
            auto res = run(r, "GET", target);
            CHECK(res.status == 404);
            CHECK(body_of(res)["error"]["code"] == "not_found");
            CHECK_FALSE(body_of(res)["error"].contains("field"));
        }
    }
    SECTION("a known path with another method is 405 with Allow") {
        auto res = run(r, "DELETE", "/api/v1/items");
        CHECK(res.status == 405);
        CHECK(body_of(res)["error"]["code"] == "method_not_allowed");
        REQUIRE(find_header(res.headers, "allow"));
        CHECK(*find_header(res.headers, "allow") == "GET, POST");
        CHECK(*find_header(run(r, "GET", "/api/v1/items/9/revisions").headers, "Allow") == "POST");
    }
}

TEST_CASE("the router renders the errors handlers throw", "[bot][router]") {
    router r;
    SECTION("api_error keeps its status, code, message and field") {
        r.add("POST", "/x", throwing([] { throw api_error(422, "reason_required", "a reason is required", "text"); }));
        auto res = run(r, "POST", "/x");
        CHECK(res.status == 422);
        CHECK(body_of(res) == nlohmann::json::parse(R"({"error":{"code":"reason_required",
                                                        "message":"a reason is required","field":"text"}})"));
    }
    SECTION("api_error without a field omits it") {
        r.add("POST", "/x", throwing([] { throw api_error(409, "not_assignee", "not your step"); }));
        auto res = run(r, "POST", "/x");
        CHECK(res.status == 409);
        CHECK(body_of(res) == nlohmann::json::parse(R"({"error":{"code":"not_assignee","message":"not your step"}})"));
    }
    SECTION("store_error is 503 without internals") {
        r.add("GET", "/x", throwing([] { throw store_error("SQLITE_BUSY: INSERT INTO items secret"); }));
        auto res = run(r, "GET", "/x");
        CHECK(res.status == 503);
        CHECK(body_of(res)["error"]["code"] == "store_unavailable");
        CHECK(res.body.find("SQLITE") == std::string::npos);
    }
    SECTION("any other exception is 500 internal without internals") {
        r.add("GET", "/x", throwing([] { throw std::runtime_error("null pointer in engine"); }));
        auto res = run(r, "GET", "/x");
        CHECK(res.status == 500);
        CHECK(body_of(res)["error"]["code"] == "internal");
        CHECK(res.body.find("engine") == std::string::npos);
    }
    SECTION("asking for a parameter the pattern lacks is a 500") {
        r.add("GET", "/items/{id}", [](http_request const&, route_params const& p) -> net::awaitable<http_response> {
            co_return json_response(200, {{"id", p["id"]}, {"other", p["other"]}});
        });
        CHECK(run(r, "GET", "/items/3").status == 500);
    }
}

TEST_CASE("json_response and error_response build SPEC bodies", "[bot][router]") {
    auto res = json_response(201, {{"id", 7}, {"bad", std::string("\xff")}});
    CHECK(res.status == 201);
    CHECK(nlohmann::json::parse(res.body)["id"] == 7);  // invalid UTF-8 was replaced, not thrown
    auto err = error_response(400, "bad_request", "limit must be at most 500", "limit");
    CHECK(nlohmann::json::parse(err.body) ==
          nlohmann::json::parse(
              R"({"error":{"code":"bad_request","message":"limit must be at most 500","field":"limit"}})"));
}

TEST_CASE("a route's head check refuses a request from its headers alone", "[bot][router]") {
    router r;
    r.add("POST", "/items/{id}", echo("guarded"), [](http_request const& head) {
        if (head.header("X-Key") != "ok") throw api_error(401, "unauthorized", "no key");
    });
    r.add("POST", "/open", echo("open"));
    auto head = [](std::string method, std::string target, header_list headers = {}) {
        http_request req;
        req.method = std::move(method);
        req.target = std::move(target);
        req.headers = std::move(headers);
        return req;
    };
    auto refused = r.check_head(head("POST", "/items/7"));
    REQUIRE(refused);
    CHECK(refused->status == 401);
    CHECK(nlohmann::json::parse(refused->body)["error"]["code"] == "unauthorized");
    CHECK_FALSE(r.check_head(head("POST", "/items/7", {{"X-Key", "ok"}})));
    CHECK_FALSE(r.check_head(head("POST", "/open")));       // no check
    CHECK_FALSE(r.check_head(head("GET", "/items/7")));     // another method: route() answers 405
    CHECK_FALSE(r.check_head(head("POST", "/nowhere")));    // no route: route() answers 404
}
