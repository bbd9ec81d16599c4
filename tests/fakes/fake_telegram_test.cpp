#include "fakes/fake_telegram.hpp"

#include "adapters/telegram.hpp"

#include <boost/asio/connect.hpp>
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
#include <thread>

using namespace signoff;
using signoff::test::fake_telegram;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct reply {
    int status = 0;
    json body;
};

// One keep-alive connection; each call blocks until the answer or a 10 s timeout, and throws
// std::runtime_error on any failure (it also runs on helper threads, where Catch2 macros may not).
class tiny_client {
  public:
    explicit tiny_client(std::uint16_t port) : stream_(ioc_) {
        stream_.expires_after(10s);
        check(run([&](auto h) { stream_.async_connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port}, h); }),
              "connect");
    }

    reply post(std::string const& target, std::string body, std::string content_type = "application/json") {
        http::request<http::string_body> req{http::verb::post, target, 11};
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::content_type, content_type);
        req.body() = std::move(body);
        req.prepare_payload();
        stream_.expires_after(10s);
        check(run([&](auto h) { http::async_write(stream_, req, h); }), "write");
        http::response<http::string_body> res;
        stream_.expires_after(10s);
        check(run([&](auto h) { http::async_read(stream_, buffer_, res, h); }), "read");
        if (res[http::field::content_type] != "application/json")  // NB: no Catch2 macros here, off the main thread
            throw std::runtime_error("tiny_client: answer is not application/json");
        return {static_cast<int>(res.result_int()), json::parse(res.body())};
    }

    reply call(fake_telegram const& tg, std::string const& method, json const& body) {
        return post("/bot" + tg.token() + "/" + method, body.dump());
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

json text_message(std::int64_t chat, std::string text) { return {{"chat_id", chat}, {"text", std::move(text)}}; }

json one_button(std::string data) {
    return {{"chat_id", 111111111},
            {"text", "Approve?"},
            {"reply_markup", {{"inline_keyboard", {{{{"text", "Approve"}, {"callback_data", std::move(data)}}}}}}}};
}

}  // namespace

TEST_CASE("The fake Bot API sends messages with increasing ids on one connection", "[fakes][telegram]") {
    fake_telegram tg;
    tiny_client client(tg.port());
    CHECK(tg.api_base() == "http://127.0.0.1:" + std::to_string(tg.port()));

    auto const first = client.call(tg, "sendMessage", text_message(111111111, "one"));
    auto const second = client.call(tg, "sendMessage", text_message(111111111, "two"));
    auto const third = client.call(tg, "sendmessage", text_message(-1001234567890, "three"));  // names are case-insensitive

    REQUIRE(first.status == 200);
    CHECK(first.body["ok"] == true);
    auto const& m = first.body["result"];
    CHECK(m["text"] == "one");
    CHECK(m["chat"]["id"] == 111111111);
    CHECK(m["chat"]["type"] == "private");
    CHECK(m["from"]["is_bot"] == true);
    CHECK(m["from"]["id"] == 123456);
    CHECK(m["date"].get<std::int64_t>() > 1700000000);
    CHECK(second.body["result"]["message_id"].get<std::int64_t>() == m["message_id"].get<std::int64_t>() + 1);
    CHECK(third.body["result"]["message_id"].get<std::int64_t>() == m["message_id"].get<std::int64_t>() + 2);
    CHECK(third.body["result"]["chat"]["type"] == "supergroup");

    auto const calls = tg.calls("sendMessage");
    REQUIRE(calls.size() == 3);
    CHECK(calls[0].body == text_message(111111111, "one"));
    CHECK(calls[2].body["chat_id"] == -1001234567890);
    CHECK(calls[0].status == 200);
    CHECK(calls[0].at <= calls[1].at);
    CHECK(calls[1].at <= calls[2].at);
}

TEST_CASE("The fake Bot API follows its failure scripts, then recovers", "[fakes][telegram]") {
    fake_telegram tg;
    tiny_client client(tg.port());

    SECTION("429 with retry_after, for any method, then success") {
        tg.fail_next_with_429(2, 8);
        auto const a = client.call(tg, "sendMessage", text_message(1, "x"));
        auto const b = client.call(tg, "answerCallbackQuery", {{"callback_query_id", "q1"}});
        auto const c = client.call(tg, "sendMessage", text_message(1, "x"));
        CHECK(a.status == 429);
        CHECK(a.body == json::parse(R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 8",)"
                                    R"("parameters":{"retry_after":8}})"));
        CHECK(b.status == 429);
        CHECK(c.status == 200);
        auto const calls = tg.calls();
        REQUIRE(calls.size() == 3);
        CHECK(calls[0].status == 429);
        CHECK(calls[1].method == "answerCallbackQuery");
        CHECK(calls[1].status == 429);
        CHECK(calls[2].status == 200);
    }
    SECTION("500") {
        tg.fail_next_with_500(1);
        auto const a = client.call(tg, "sendMessage", text_message(1, "x"));
        CHECK(a.status == 500);
        CHECK(a.body == json::parse(R"({"ok":false,"error_code":500,"description":"Internal Server Error"})"));
        CHECK(client.call(tg, "sendMessage", text_message(1, "x")).status == 200);
    }
    SECTION("a hang delays only its own connection") {
        tg.hang_next(1, 400ms);
        auto const started = std::chrono::steady_clock::now();
        auto slow = std::async(std::launch::async, [&] {
            tiny_client hung(tg.port());
            return hung.call(tg, "sendMessage", text_message(1, "slow"));
        });
        REQUIRE(tg.wait_for_calls("sendMessage", 1, 5s));
        auto const fast = client.call(tg, "sendMessage", text_message(1, "fast"));
        CHECK(fast.status == 200);
        CHECK(std::chrono::steady_clock::now() - started < 400ms);
        auto const late = slow.get();
        CHECK(std::chrono::steady_clock::now() - started >= 400ms);
        CHECK(late.status == 200);
        CHECK(late.body["result"]["text"] == "slow");
    }
    SECTION("reset forgets calls and scripts") {
        tg.fail_next_with_500(3);
        CHECK(client.call(tg, "getMe", json::object()).status == 500);
        tg.reset();
        CHECK(tg.calls().empty());
        CHECK(client.call(tg, "getMe", json::object()).status == 200);
    }
}

TEST_CASE("The fake Bot API refuses what Telegram refuses", "[fakes][telegram]") {
    fake_telegram tg;
    tiny_client client(tg.port());
    auto const refused = [&](std::string const& method, json const& body, int status, std::string const& description) {
        auto const r = client.call(tg, method, body);
        CHECK(r.status == status);
        CHECK(r.body == json{{"ok", false}, {"error_code", status}, {"description", description}});
    };

    SECTION("a wrong token, recorded like any other request") {
        auto const r = client.post("/bot999:WRONG/sendMessage", text_message(1, "x").dump());
        CHECK(r.status == 401);
        CHECK(r.body == json::parse(R"({"ok":false,"error_code":401,"description":"Unauthorized"})"));
        REQUIRE(tg.calls().size() == 1);
        CHECK(tg.calls()[0].method == "sendMessage");
        CHECK(tg.calls()[0].status == 401);
    }
    SECTION("unknown methods and paths") {
        refused("sendCarrierPigeon", json::object(), 404, "Not Found");
        auto const r = client.post("/webhook", "{}");
        CHECK(r.status == 404);
        CHECK(tg.calls().back().method == "/webhook");
    }
    SECTION("sendMessage parameters") {
        refused("sendMessage", {{"text", "x"}}, 400, "Bad Request: chat_id is empty");
        refused("sendMessage", text_message(0, "x"), 400, "Bad Request: chat not found");
        refused("sendMessage", {{"chat_id", "@nobody"}, {"text", "x"}}, 400, "Bad Request: chat not found");
        refused("sendMessage", text_message(1, ""), 400, "Bad Request: message text is empty");
        refused("sendMessage", {{"chat_id", 1}}, 400, "Bad Request: message text is empty");
        refused("sendMessage", text_message(1, std::string(4097, 'x')), 400, "Bad Request: message is too long");
        std::string emoji;
        for (int i = 0; i < 2049; ++i) emoji += "👍";
        refused("sendMessage", text_message(1, emoji), 400, "Bad Request: message is too long");
        refused("sendMessage", one_button(std::string(65, 'd')), 400, "Bad Request: BUTTON_DATA_INVALID");
        refused("sendMessage", one_button(""), 400, "Bad Request: BUTTON_DATA_INVALID");
        CHECK(client.call(tg, "sendMessage", text_message(1, std::string(4096, 'x'))).status == 200);
        CHECK(client.call(tg, "sendMessage", {{"chat_id", "42"}, {"text", "x"}}).status == 200);
        auto const ok = client.call(tg, "sendMessage", one_button(std::string(64, 'd')));
        CHECK(ok.status == 200);
        CHECK(ok.body["result"]["reply_markup"] == one_button(std::string(64, 'd'))["reply_markup"]);
        CHECK(tg.calls().size() == 12);
    }
    SECTION("a body that is not JSON") {
        auto const r = client.post("/bot" + tg.token() + "/sendMessage", "chat_id=1&text=x",
                                   "application/x-www-form-urlencoded");
        CHECK(r.status == 400);
        CHECK(tg.calls().back().body == "chat_id=1&text=x");
    }
    SECTION("answerCallbackQuery needs a query id") {
        refused("answerCallbackQuery", json::object(), 400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid");
        auto const r = client.call(tg, "answerCallbackQuery", {{"callback_query_id", "4382bfdwdsb323b2d9"}});
        CHECK(r.body == json::parse(R"({"ok":true,"result":true})"));
    }
}

TEST_CASE("The fake Bot API edits the messages it sent", "[fakes][telegram]") {
    fake_telegram tg;
    tiny_client client(tg.port());
    auto const sent = client.call(tg, "sendMessage", one_button("a:42:3"));
    auto const id = sent.body["result"]["message_id"];

    auto const edited = client.call(tg, "editMessageText", {{"chat_id", 111111111}, {"message_id", id}, {"text", "Done"}});
    CHECK(edited.status == 200);
    CHECK(edited.body["result"]["message_id"] == id);
    CHECK(edited.body["result"]["text"] == "Done");
    CHECK_FALSE(edited.body["result"].contains("reply_markup"));  // no reply_markup removes the keyboard

    auto const again = client.call(tg, "editMessageText", {{"chat_id", 111111111}, {"message_id", id}, {"text", "Done"}});
    CHECK(again.status == 400);
    CHECK(again.body["description"].get<std::string>().starts_with("Bad Request: message is not modified"));

    auto const markup = client.call(tg, "editMessageReplyMarkup",
                                    {{"chat_id", 111111111}, {"message_id", id}, {"reply_markup", one_button("u:42")["reply_markup"]}});
    CHECK(markup.status == 200);
    CHECK(markup.body["result"]["text"] == "Done");

    CHECK(client.call(tg, "editMessageText", {{"chat_id", 111111111}, {"text", "x"}}).status == 400);
    CHECK(client.call(tg, "getMe", json::object()).body["result"]["username"] == "signoff_test_bot");
    CHECK(client.call(tg, "setWebhook", {{"url", "https://signoff.example.org/webhook/telegram"}}).body["result"] == true);
}

TEST_CASE("Waiting on the fake Bot API's recorded calls", "[fakes][telegram]") {
    fake_telegram tg;
    SECTION("calls made later, from another thread") {
        std::thread later([&] {
            std::this_thread::sleep_for(100ms);
            tiny_client client(tg.port());
            client.call(tg, "sendMessage", text_message(1, "a"));
            client.call(tg, "sendMessage", text_message(1, "b"));
        });
        CHECK(tg.wait_for_calls("sendMessage", 2, 5s));
        CHECK(tg.wait_for([](auto const& calls) { return calls.size() == 2 && calls[1].body["text"] == "b"; }, 1s));
        later.join();
    }
    SECTION("a condition that never holds times out") {
        auto const started = std::chrono::steady_clock::now();
        CHECK_FALSE(tg.wait_for_calls("sendMessage", 1, 150ms));
        CHECK(std::chrono::steady_clock::now() - started >= 150ms);
    }
    SECTION("the fake stops cleanly with a request hanging and a connection open") {
        auto other = std::make_unique<fake_telegram>();
        other->hang_next(1, 10s);
        auto caller = std::async(std::launch::async, [port = other->port(), token = other->token()] {
            tiny_client client(port);
            try {
                client.post("/bot" + token + "/getMe", "{}");
                return false;
            } catch (std::runtime_error const&) {
                return true;  // the connection was dropped
            }
        });
        REQUIRE(other->wait_for_calls("getMe", 1, 5s));
        auto const started = std::chrono::steady_clock::now();
        other.reset();
        CHECK(caller.get());
        CHECK(std::chrono::steady_clock::now() - started < 5s);
    }
}

TEST_CASE("The Telegram adapter's requests and the fake Bot API agree", "[fakes][telegram][adapters]") {
    fake_telegram tg;
    tiny_client client(tg.port());
    config::telegram_config const cfg{.bot_token = tg.token(), .secret_token = "s", .api_base = tg.api_base()};
    auto const exchange = [&](http_call const& r) {
        REQUIRE(r.url.starts_with(tg.api_base()));
        auto const answer = client.post(r.url.substr(tg.api_base().size()), r.body);
        return telegram::read_send_result(answer.status, answer.body.dump());
    };

    auto const sent = exchange(telegram::render_message(
        {.to = "111111111", .text = std::string(5000, 'x'), .buttons = {{{"Approve", "a:42:3"}}}, .reply_to = "40"}, cfg));
    REQUIRE(sent.result == chat::send_result::outcome::sent);
    REQUIRE(sent.message_id);

    auto const edit = telegram::render_message({.to = "111111111", .text = "✅", .edit_message_id = sent.message_id}, cfg);
    CHECK(exchange(edit).result == chat::send_result::outcome::sent);
    CHECK(exchange(edit).result == chat::send_result::outcome::sent);  // "not modified" is benign
    CHECK(exchange(telegram::render_press_answer({.callback_id = "q1", .text = "Approved"}, cfg)).result ==
          chat::send_result::outcome::sent);

    tg.fail_next_with_429(1, 8);
    auto const limited = exchange(telegram::render_message({.to = "1", .text = "x"}, cfg));
    CHECK(limited.result == chat::send_result::outcome::retry);
    CHECK(limited.retry_after == 8s);

    auto const dead = exchange(telegram::render_message({.to = "0", .text = "x"}, cfg));
    CHECK(dead.result == chat::send_result::outcome::give_up);
    CHECK(dead.error == "Bad Request: chat not found");

    auto const calls = tg.calls();
    REQUIRE(calls.size() == 6);
    CHECK(calls[0].body["reply_parameters"] == json{{"message_id", 40}, {"allow_sending_without_reply", true}});
    CHECK(calls[0].body["text"].get<std::string>().size() == 4095 + std::string("…").size());
    CHECK(calls[1].method == "editMessageText");
    CHECK(calls[2].status == 400);
    CHECK(calls[3].method == "answerCallbackQuery");
}
