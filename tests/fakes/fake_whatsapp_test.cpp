#include "fakes/fake_whatsapp.hpp"

#include "adapters/whatsapp.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <catch2/catch.hpp>

#include <future>
#include <optional>
#include <stdexcept>
#include <string>

using namespace signoff;
using signoff::test::fake_whatsapp;
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
    json json_body() const { return json::parse(body); }
};

// One keep-alive connection; each call blocks until the answer or a 10 s timeout, and throws
// std::runtime_error on any failure (it also runs on helper threads, where Catch2 macros may not).
class tiny_client {
  public:
    explicit tiny_client(std::uint16_t port) : stream_(ioc_) {
        stream_.expires_after(10s);
        check(run([&](auto h) {
                  stream_.async_connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port}, h);
              }),
              "connect");
    }

    reply send(http::verb verb, std::string const& target, std::string body, header_list const& headers) {
        http::request<http::string_body> req{verb, target, 11};
        req.set(http::field::host, "127.0.0.1");
        for (auto const& [name, value] : headers) req.set(name, value);
        req.body() = std::move(body);
        req.prepare_payload();
        stream_.expires_after(10s);
        check(run([&](auto h) { http::async_write(stream_, req, h); }), "write");
        http::response<http::string_body> res;
        stream_.expires_after(10s);
        check(run([&](auto h) { http::async_read(stream_, buffer_, res, h); }), "read");
        if (res[http::field::content_type] != "application/json")  // NB: no Catch2 macros here, off the main thread
            throw std::runtime_error("tiny_client: answer is not application/json");
        return {static_cast<int>(res.result_int()), res.body()};
    }

    reply post(fake_whatsapp const& wa, json const& body, std::optional<std::string> token = std::nullopt) {
        return send(http::verb::post, "/v21.0/" + wa.phone_number_id() + "/messages", body.dump(),
                    {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token.value_or(wa.token())}});
    }

    // An adapter's request, sent to the fake its URL names.
    reply send(http_call const& r) {
        auto const host_end = r.url.find('/', std::string_view("http://").size());
        if (host_end == std::string::npos) throw std::runtime_error("tiny_client: no path in the URL");
        return send(http::verb::post, r.url.substr(host_end), r.body, r.headers);
    }

  private:
    template <class Start>
    beast::error_code run(Start start) {
        std::optional<beast::error_code> result;
        start([&](beast::error_code ec, auto&&...) { result = ec; });
        ioc_.restart();
        while (!result && ioc_.run_one() > 0) {
        }
        return result.value_or(net::error::operation_aborted);
    }
    static void check(beast::error_code ec, char const* what) {
        if (ec) throw std::runtime_error(std::string("tiny_client ") + what + ": " + ec.message());
    }

    net::io_context ioc_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
};

json text_message(std::string to, std::string text) {
    return {{"messaging_product", "whatsapp"},
            {"recipient_type", "individual"},
            {"to", std::move(to)},
            {"type", "text"},
            {"text", {{"preview_url", false}, {"body", std::move(text)}}}};
}

json button_message(std::string to, std::vector<std::string> titles) {
    json buttons = json::array();
    for (std::size_t i = 0; i < titles.size(); ++i)
        buttons.push_back({{"type", "reply"}, {"reply", {{"id", "b" + std::to_string(i)}, {"title", titles[i]}}}});
    return {
        {"messaging_product", "whatsapp"},
        {"to", std::move(to)},
        {"type", "interactive"},
        {"interactive", {{"type", "button"}, {"body", {{"text", "Approve?"}}}, {"action", {{"buttons", buttons}}}}}};
}

json template_message(std::string to) {
    return {{"messaging_product", "whatsapp"},
            {"to", std::move(to)},
            {"type", "template"},
            {"template", {{"name", "signoff_pending"}, {"language", {{"code", "en"}}}}}};
}

int error_code(reply const& r) { return r.json_body()["error"]["code"].get<int>(); }

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

}  // namespace

TEST_CASE("The fake Graph API sends messages with fresh wamids on one connection", "[fakes][whatsapp]") {
    fake_whatsapp wa;
    tiny_client client(wa.port());
    CHECK(wa.api_base() == "http://127.0.0.1:" + std::to_string(wa.port()) + "/v21.0");
    CHECK(wa.phone_number_id() == "1234567890");
    CHECK(wa.token() == "TEST-WA-TOKEN");

    auto const text = client.post(wa, text_message("919999999999", "one"));
    auto const buttons = client.post(wa, button_message("919999999999", {"Approve", "Reject", "Request changes"}));
    auto const tmpl = client.post(wa, template_message("919999999999"));

    REQUIRE(text.status == 200);
    CHECK(text.json_body() == json::parse(R"({"messaging_product":"whatsapp",)"
                                          R"("contacts":[{"input":"919999999999","wa_id":"919999999999"}],)"
                                          R"("messages":[{"id":"wamid.1"}]})"));
    REQUIRE(buttons.status == 200);
    CHECK(buttons.json_body()["messages"][0]["id"] == "wamid.2");
    REQUIRE(tmpl.status == 200);
    CHECK(tmpl.json_body()["messages"][0] == json::parse(R"({"id":"wamid.3","message_status":"accepted"})"));

    auto const calls = wa.calls();
    REQUIRE(calls.size() == 3);
    CHECK(calls[0].path == "/v21.0/1234567890/messages");
    CHECK(calls[0].body == text_message("919999999999", "one"));
    CHECK(calls[0].status == 200);
    CHECK(calls[0].message_id == "wamid.1");
    CHECK(calls[1].message_id == "wamid.2");
    CHECK(calls[2].message_id == "wamid.3");
    CHECK(calls[0].at <= calls[1].at);
    CHECK(calls[1].at <= calls[2].at);
}

TEST_CASE("The fake Graph API refuses a wrong token with 401 and code 190", "[fakes][whatsapp]") {
    fake_whatsapp wa("555", "right-token");
    tiny_client client(wa.port());
    auto const wrong = client.post(wa, text_message("1", "x"), "wrong-token");
    CHECK(wrong.status == 401);
    CHECK(wrong.json_body()["error"]["code"] == 190);
    CHECK(wrong.json_body()["error"]["message"] == "Invalid OAuth access token.");
    CHECK(wrong.json_body()["error"]["type"] == "OAuthException");
    auto const missing = client.send(http::verb::post, "/v21.0/555/messages", text_message("1", "x").dump(),
                                     {{"Content-Type", "application/json"}});
    CHECK(missing.status == 401);
    auto const calls = wa.calls();
    REQUIRE(calls.size() == 2);
    CHECK(calls[0].status == 401);
    CHECK(calls[0].message_id.empty());
    CHECK(calls[0].body["text"]["body"] == "x");
}

TEST_CASE("The fake Graph API validates bodies like Graph, with 400 and code 100", "[fakes][whatsapp]") {
    fake_whatsapp wa;
    tiny_client client(wa.port());
    auto const refused = [&](json const& body) {
        auto const r = client.post(wa, body);
        CHECK(r.status == 400);
        CHECK(error_code(r) == 100);
    };
    SECTION("the envelope") {
        auto m = text_message("1", "x");
        m.erase("messaging_product");
        refused(m);
        m["messaging_product"] = "sms";
        refused(m);
        m = text_message("", "x");
        refused(m);
        m = text_message("1", "x");
        m["type"] = "image";
        refused(m);
        m = text_message("1", "x");
        m["context"] = {{"message_id", 5}};
        refused(m);
        refused(json::array());
        auto const not_json = client.send(http::verb::post, "/v21.0/1234567890/messages", "to=1",
                                          {{"Authorization", "Bearer TEST-WA-TOKEN"}});
        CHECK(not_json.status == 400);
        CHECK(error_code(not_json) == 100);
        CHECK(wa.calls().back().body == "to=1");
    }
    SECTION("another phone number id, path or method") {
        auto const other = client.send(http::verb::post, "/v21.0/999/messages", text_message("1", "x").dump(),
                                       {{"Authorization", "Bearer TEST-WA-TOKEN"}});
        CHECK(other.status == 400);
        CHECK(error_code(other) == 100);
        auto const get =
            client.send(http::verb::get, "/v21.0/1234567890/messages", "", {{"Authorization", "Bearer TEST-WA-TOKEN"}});
        CHECK(get.status == 400);
        CHECK(wa.calls().back().path == "/v21.0/1234567890/messages");
    }
    SECTION("text bodies of 1 to 4096 UTF-16 units") {
        refused(text_message("1", ""));
        refused(text_message("1", repeat("x", 4097)));
        refused(text_message("1", repeat("👍", 2049)));
        CHECK(client.post(wa, text_message("1", repeat("👍", 2048))).status == 200);
        CHECK(client.post(wa, text_message("1", repeat("字", 4096))).status == 200);
        auto m = text_message("1", "x");
        m.erase("text");
        refused(m);
    }
    SECTION("1 to 3 reply buttons with unique titles of at most 20 units") {
        refused(button_message("1", {}));
        refused(button_message("1", {"a", "b", "c", "d"}));
        refused(button_message("1", {"123456789012345678901"}));
        refused(button_message("1", {""}));
        refused(button_message("1", {"Approve", "Approve"}));
        refused(button_message("1", {repeat("👍", 11)}));
        CHECK(client.post(wa, button_message("1", {repeat("字", 20), repeat("👍", 10), "c"})).status == 200);
        auto m = button_message("1", {"a"});
        m["interactive"]["body"]["text"] = repeat("x", 1025);
        refused(m);
        m = button_message("1", {"a"});
        m["interactive"]["action"]["buttons"][0]["reply"]["id"] = repeat("x", 257);
        refused(m);
    }
    SECTION("templates need a name and a language") {
        auto m = template_message("1");
        m["template"].erase("language");
        refused(m);
    }
    SECTION("every refusal is recorded without a message id") {
        refused(text_message("1", ""));
        auto const calls = wa.calls();
        REQUIRE(calls.size() == 1);
        CHECK(calls[0].status == 400);
        CHECK(calls[0].message_id.empty());
    }
}

TEST_CASE("The fake Graph API refuses free text outside a closed 24-hour window", "[fakes][whatsapp]") {
    fake_whatsapp wa;
    tiny_client client(wa.port());
    wa.close_window_for("919999999999");

    auto const text = client.post(wa, text_message("919999999999", "hello"));
    CHECK(text.status == 400);
    CHECK(error_code(text) == 131047);
    CHECK(text.json_body()["error"]["message"] == "(#131047) Re-engagement message");
    CHECK(text.json_body()["error"]["error_data"]["details"] ==
          "More than 24 hours have passed since the recipient last replied to the sender number.");
    CHECK(error_code(client.post(wa, button_message("919999999999", {"Approve"}))) == 131047);
    CHECK(client.post(wa, text_message("918888888888", "someone else")).status == 200);
    CHECK(client.post(wa, template_message("919999999999")).status == 200);

    wa.open_window_for("919999999999");
    CHECK(client.post(wa, text_message("919999999999", "hello again")).status == 200);

    wa.close_window_for("919999999999");
    wa.reset();
    CHECK(wa.calls().empty());
    CHECK(client.post(wa, text_message("919999999999", "after reset")).status == 200);
}

TEST_CASE("The fake Graph API plays scripted failures in order, then answers normally", "[fakes][whatsapp]") {
    fake_whatsapp wa;
    tiny_client client(wa.port());
    wa.fail_next_with(429, 130429, 2);
    wa.fail_next_with(500, 131000);

    CHECK(client.post(wa, text_message("1", "x"), "wrong").status == 401);  // scripts wait for the right token
    auto const first = client.post(wa, text_message("1", "x"));
    CHECK(first.status == 429);
    CHECK(error_code(first) == 130429);
    CHECK(first.json_body()["error"]["message"] == "(#130429) Rate limit hit");
    CHECK(client.post(wa, text_message("1", "")).status == 429);  // scripted before validation
    auto const third = client.post(wa, text_message("1", "x"));
    CHECK(third.status == 500);
    CHECK(error_code(third) == 131000);
    auto const ok = client.post(wa, text_message("1", "x"));
    CHECK(ok.status == 200);
    CHECK(ok.json_body()["messages"][0]["id"] == "wamid.1");

    wa.fail_next_with(400, 131026);
    wa.reset();
    CHECK(client.post(wa, text_message("1", "x")).json_body()["messages"][0]["id"] == "wamid.2");  // ids keep counting
    REQUIRE(wa.calls().size() == 1);
}

TEST_CASE("Waiting for the fake Graph API's calls from another thread", "[fakes][whatsapp]") {
    fake_whatsapp wa;
    auto sender = std::async(std::launch::async, [&] {
        tiny_client client(wa.port());
        std::this_thread::sleep_for(50ms);
        client.post(wa, text_message("1", "one"));
        client.post(wa, text_message("1", "two"));
    });
    CHECK(wa.wait_for_calls(2));
    sender.get();
    CHECK(wa.wait_for([](auto const& calls) { return calls.back().body["text"]["body"] == "two"; }));
    CHECK_FALSE(wa.wait_for_calls(3, 50ms));
}

TEST_CASE("The WhatsApp adapter's requests are accepted by the fake and its answers read back", "[fakes][whatsapp]") {
    fake_whatsapp wa;
    config::whatsapp_config const cfg{.access_token = wa.token(),
                                      .app_secret = "s",
                                      .verify_token = "v",
                                      .phone_number_id = wa.phone_number_id(),
                                      .api_base = wa.api_base(),
                                      .message_template = {.name = "signoff_pending", .language = "en"}};
    tiny_client client(wa.port());
    auto const deliver = [&](http_call const& r) {
        auto const answer = client.send(r);
        return whatsapp::read_send_result(answer.status, answer.body);
    };

    SECTION("a long card with buttons, a split text, an edit and a template") {
        std::string card = "📝 Draft #42 · general\nWorld Standards Day";
        for (int i = 0; i < 40; ++i) card += "\n" + repeat("मानक व्यापार को आसान बनाते हैं। ", 2);
        std::vector<http_call> requests =
            whatsapp::render_message({.to = "919999999999",
                                      .text = card,
                                      .buttons = {{{.label = "स्वीकृत करें", .data = "a:42:3"},
                                                   {.label = "अस्वीकृत करें", .data = "r:42:3"},
                                                   {.label = "संशोधन माँगें", .data = "c:42:3"},
                                                   {.label = "Extra", .data = "x"}}}},
                                     cfg);
        for (auto const& r : whatsapp::render_message({.to = "919999999999", .text = repeat("批准 👍 ", 3000)}, cfg))
            requests.push_back(r);
        for (auto const& r :
             whatsapp::render_message({.to = "919999999999", .text = "✅ Approved", .edit_message_id = "wamid.1"}, cfg))
            requests.push_back(r);
        requests.push_back(whatsapp::render_template({.to = "919999999999",
                                                      .name = "",
                                                      .body_params = {"#42\nWorld Standards Day"},
                                                      .button_payloads = {"a:42:3"}},
                                                     cfg));
        REQUIRE(requests.size() >= 6);

        std::vector<std::string> ids;
        for (auto const& r : requests) {
            auto const result = deliver(r);
            INFO(result.error);
            REQUIRE(result.result == outcome::sent);
            REQUIRE(result.message_id);
            ids.push_back(*result.message_id);
        }
        auto const calls = wa.calls();
        REQUIRE(calls.size() == requests.size());
        for (std::size_t i = 0; i < calls.size(); ++i) {
            CHECK(calls[i].status == 200);
            CHECK(calls[i].message_id == ids[i]);
            CHECK(calls[i].path == "/v21.0/1234567890/messages");
        }
        CHECK(calls[1].body["type"] == "interactive");  // the card's text first, then its buttons
        CHECK(calls[1].body["interactive"]["action"]["buttons"].size() == 3);
        CHECK(calls.back().body["template"]["components"][0]["parameters"][0]["text"] == "#42 World Standards Day");
    }
    SECTION("a closed window, a rate limit and a wrong token") {
        wa.close_window_for("919999999999");
        auto const closed = deliver(whatsapp::render_message({.to = "919999999999", .text = "hi"}, cfg).at(0));
        CHECK(closed.result == outcome::give_up);
        CHECK(closed.window_closed);
        CHECK(deliver(whatsapp::render_template({.to = "919999999999"}, cfg)).result == outcome::sent);

        wa.fail_next_with(429, 130429);
        auto const limited = deliver(whatsapp::render_message({.to = "918888888888", .text = "hi"}, cfg).at(0));
        CHECK(limited.result == outcome::retry);
        CHECK(limited.error == "130429: (#130429) Rate limit hit");

        auto wrong = cfg;
        wrong.access_token = "stale";
        auto const refused = deliver(whatsapp::render_message({.to = "918888888888", .text = "hi"}, wrong).at(0));
        CHECK(refused.result == outcome::give_up);
        CHECK(refused.error == "190: the access token was rejected");
    }
}
