#include "fakes/fake_sms.hpp"

#include "adapters/sms.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <future>
#include <string>
#include <thread>

using namespace signoff;
using signoff::test::fake_sms;
using namespace std::chrono_literals;
using json = nlohmann::json;
using outcome = chat::send_result::outcome;

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct reply {
    int status = 0;
    std::string body;
    json parsed() const { return json::parse(body); }
};

// One keep-alive connection, blocking calls; throws beast::system_error on socket failures.
class tiny_client {
  public:
    explicit tiny_client(std::uint16_t port) : socket_(ioc_) {
        socket_.connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port});
    }

    reply send(http_call const& r, std::string const& api_base) {
        REQUIRE(r.url.starts_with(api_base));
        return send(r.method, r.url.substr(api_base.size()), r.headers, r.body);
    }

    reply send(std::string const& method, std::string const& target, header_list const& headers, std::string body) {
        http::request<http::string_body> req{http::string_to_verb(method), target, 11};
        req.set(http::field::host, "127.0.0.1");
        for (auto const& [name, value] : headers) req.set(name, value);
        req.body() = std::move(body);
        req.prepare_payload();
        http::write(socket_, req);
        http::response<http::string_body> res;
        http::read(socket_, buffer_, res);
        return {static_cast<int>(res.result_int()), res.body()};
    }

  private:
    net::io_context ioc_;
    tcp::socket socket_;
    beast::flat_buffer buffer_;
};

header_list form_headers(config::sms_config const& cfg) {
    return sms::render_sms("+15551234567", "x", cfg).headers;  // the right Basic auth
}

}  // namespace

TEST_CASE("The fake Messages API queues SMS with fresh sids and records them decoded", "[fakes][sms]") {
    fake_sms fake;
    auto const cfg = fake.sms_config("+15550000000");
    CHECK(cfg.api_base == "http://127.0.0.1:" + std::to_string(fake.port()));
    tiny_client client(fake.port());

    auto const first =
        client.send(sms::render_sms("+919800000001", "Urgent #42: reply \"a 42\" + 你好", cfg), fake.api_base());
    auto const second = client.send(sms::render_sms("+8613800000000", "two", cfg), fake.api_base());

    REQUIRE(first.status == 201);
    CHECK(first.parsed()["sid"] == "SM1");
    CHECK(first.parsed()["status"] == "queued");
    CHECK(first.parsed()["to"] == "+919800000001");
    CHECK(first.parsed()["body"] == "Urgent #42: reply \"a 42\" + 你好");
    CHECK(second.parsed()["sid"] == "SM2");

    auto const result = sms::read_send_result(first.status, first.body);
    CHECK(result.result == outcome::sent);
    CHECK(result.message_id == "SM1");

    auto const calls = fake.calls();
    REQUIRE(calls.size() == 2);
    CHECK(calls[0].to == "+919800000001");
    CHECK(calls[0].from == "+15550000000");
    CHECK(calls[0].body == "Urgent #42: reply \"a 42\" + 你好");
    CHECK(calls[0].sid == "SM1");
    CHECK(calls[0].status == 201);
    CHECK(calls[0].at <= calls[1].at);
    CHECK(calls[1].to == "+8613800000000");
}

TEST_CASE("The fake Messages API refuses bad credentials and unknown resources", "[fakes][sms]") {
    fake_sms fake("AC00000000000000000000000000000001", "right-token");
    tiny_client client(fake.port());

    SECTION("a wrong token") {
        auto cfg = fake.sms_config();
        cfg.auth_token = "wrong-token";
        auto const r = client.send(sms::render_sms("+919800000001", "hi", cfg), fake.api_base());
        CHECK(r.status == 401);
        CHECK(r.parsed() == json::parse(R"({"code":20003,"message":"Authenticate",)"
                                        R"("more_info":"https://www.twilio.com/docs/errors/20003","status":401})"));
        auto const result = sms::read_send_result(r.status, r.body);
        CHECK(result.result == outcome::give_up);
        CHECK(result.error == "20003: Authenticate");
        CHECK(result.error.find("wrong-token") == std::string::npos);
    }
    SECTION("no Authorization header") {
        auto const r = client.send("POST", "/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json",
                                   {{"Content-Type", "application/x-www-form-urlencoded"}}, "To=%2B1&From=%2B1&Body=x");
        CHECK(r.status == 401);
    }
    SECTION("another account's resource, another path, another method") {
        auto const headers = form_headers(fake.sms_config());
        CHECK(client.send("POST", "/2010-04-01/Accounts/AC99/Messages.json", headers, "").status == 404);
        CHECK(client.send("POST", "/bot123/sendMessage", headers, "").status == 404);
        CHECK(client.send("GET", "/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json", headers, "")
                  .status == 405);
    }
    CHECK(fake.calls().back().status >= 400);
    CHECK(fake.calls().back().sid.empty());
}

TEST_CASE("The fake Messages API checks the form fields like Twilio", "[fakes][sms]") {
    fake_sms fake;
    auto const cfg = fake.sms_config();
    auto const headers = form_headers(cfg);
    auto const target = "/2010-04-01/Accounts/" + cfg.account_sid + "/Messages.json";
    tiny_client client(fake.port());
    auto code_of = [&](std::string body) {
        auto const r = client.send("POST", target, headers, std::move(body));
        CHECK(r.status == 400);
        return r.parsed()["code"].get<int>();
    };

    CHECK(code_of("From=%2B15550000000&Body=hi") == 21604);
    CHECK(code_of("To=%2B919800000001&Body=hi") == 21603);
    CHECK(code_of("To=%2B919800000001&From=%2B15550000000") == 21602);
    CHECK(code_of("To=%2B919800000001&From=%2B15550000000&Body=") == 21602);
    CHECK(code_of("To=%2B919800000001&From=%2B15550000000&Body=" + std::string(1601, 'a')) == 21617);
    CHECK(code_of("To=12345&From=%2B15550000000&Body=hi") == 21211);
    // An unescaped '+' decodes as a space: the classic mistake the adapter avoids.
    CHECK(code_of("To=+919800000001&From=%2B15550000000&Body=hi") == 21211);

    auto const r = client.send("POST", target, headers, "To=12345&From=%2B15550000000&Body=hi");
    auto const result = sms::read_send_result(r.status, r.body);
    CHECK(result.result == outcome::give_up);
    CHECK(result.error == "21211: The 'To' number 12345 is not a valid phone number.");
    CHECK(fake.calls().back().to == "12345");
}

TEST_CASE("The fake Messages API follows its failure scripts, then recovers", "[fakes][sms]") {
    fake_sms fake;
    auto const cfg = fake.sms_config();
    tiny_client client(fake.port());
    auto const send = [&] { return client.send(sms::render_sms("+919800000001", "hi", cfg), fake.api_base()); };

    SECTION("429 twice, then queued") {
        fake.fail_next_with(429, 2);
        auto const a = send();
        auto const b = send();
        auto const c = send();
        CHECK(a.status == 429);
        CHECK(a.parsed()["code"] == 20429);
        CHECK(sms::read_send_result(a.status, a.body).result == outcome::retry);
        CHECK(b.status == 429);
        CHECK(c.status == 201);
        CHECK(c.parsed()["sid"] == "SM1");
    }
    SECTION("a server error, retried") {
        fake.fail_next_with(500);
        auto const a = send();
        CHECK(a.status == 500);
        CHECK(sms::read_send_result(a.status, a.body).error == "20500: Internal Server Error");
        CHECK(sms::read_send_result(a.status, a.body).result == outcome::retry);
        CHECK(send().status == 201);
    }
    SECTION("reset forgets calls and scripts but not sids") {
        fake.fail_next_with(503, 5);
        CHECK(send().status == 503);
        fake.reset();
        CHECK(fake.calls().empty());
        CHECK(send().parsed()["sid"] == "SM1");
        CHECK(send().parsed()["sid"] == "SM2");
    }
    auto const calls = fake.calls();
    REQUIRE_FALSE(calls.empty());
    CHECK(calls.front().to == "+919800000001");  // failed requests are recorded with their fields
}

TEST_CASE("Waiting for SMS calls made from another thread", "[fakes][sms]") {
    fake_sms fake;
    auto const cfg = fake.sms_config();
    CHECK_FALSE(fake.wait_for_calls(1, 20ms));

    auto sender = std::async(std::launch::async, [&] {
        std::this_thread::sleep_for(50ms);
        tiny_client client(fake.port());
        for (int i = 0; i < 3; ++i) client.send(sms::render_sms("+919800000001", "hi", cfg), fake.api_base());
    });
    CHECK(fake.wait_for_calls(3, 10s));
    sender.get();
    CHECK(fake.calls().size() == 3);
    CHECK_FALSE(fake.wait_for_calls(4, 50ms));
}
