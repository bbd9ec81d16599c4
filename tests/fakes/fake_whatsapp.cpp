#include "fakes/fake_whatsapp.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <utility>

namespace signoff::test {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using json = nlohmann::json;

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
constexpr std::size_t max_body_bytes = 16 * 1024 * 1024;
constexpr std::size_t max_text_units = 4096;  // text.body, counted as UTF-16 code units
constexpr std::size_t max_interactive_body_units = 1024;
constexpr std::size_t max_button_title_units = 20;
constexpr std::size_t max_button_id_units = 256;
constexpr std::size_t max_buttons = 3;
constexpr std::string_view api_version = "/v21.0";

struct answer {
    int status = 200;
    json body;
};

std::string message_for(int code) {
    switch (code) {
        case 4:
            return "(#4) Application request limit reached";
        case 100:
            return "(#100) Invalid parameter";
        case 190:
            return "Invalid OAuth access token.";
        case 80007:
            return "(#80007) Rate limit issues";
        case 130429:
            return "(#130429) Rate limit hit";
        case 131000:
            return "(#131000) Something went wrong";
        case 131026:
            return "(#131026) Message undeliverable";
        case 131047:
            return "(#131047) Re-engagement message";
        case 131056:
            return "(#131056) (Business Account, Consumer Account) pair rate limit hit";
        default:
            return "(#" + std::to_string(code) + ") Scripted failure";
    }
}

answer graph_error(int status, int code, std::string details = "") {
    if (details.empty() && code == 131047)
        details = "More than 24 hours have passed since the recipient last replied to the sender number.";
    json error{{"message", message_for(code)}, {"type", "OAuthException"}, {"code", code}};
    if (code != 190) error["error_data"] = {{"messaging_product", "whatsapp"}, {"details", std::move(details)}};
    error["fbtrace_id"] = "AFakeTraceId";
    return {status, {{"error", std::move(error)}}};
}

answer invalid(std::string details) { return graph_error(400, 100, std::move(details)); }

std::size_t utf16_units(std::string const& s) {
    std::size_t units = 0;
    for (unsigned char c : s) units += ((c & 0xC0) != 0x80) + (c >= 0xF0);
    return units;
}

// A non-empty string of at most `max` UTF-16 units at `key` of `o`.
bool good_string(json const& o, char const* key, std::size_t max) {
    auto const it = o.find(key);
    if (it == o.end() || !it->is_string()) return false;
    auto const& s = it->get_ref<std::string const&>();
    return !s.empty() && utf16_units(s) <= max;
}

std::optional<answer> check_interactive(json const& body) {
    auto const it = body.find("interactive");
    if (it == body.end() || !it->is_object()) return invalid("The parameter interactive is required.");
    auto const& in = *it;
    if (in.value("type", json()) != "button") return invalid("Param interactive['type'] must be button.");
    if (!in.contains("body") || !in["body"].is_object() || !good_string(in["body"], "text", max_interactive_body_units))
        return invalid("Param interactive['body']['text'] must be 1 to 1024 characters long.");
    if (!in.contains("action") || !in["action"].is_object() || !in["action"].contains("buttons") ||
        !in["action"]["buttons"].is_array())
        return invalid("The parameter interactive['action']['buttons'] is required.");
    auto const& buttons = in["action"]["buttons"];
    if (buttons.empty() || buttons.size() > max_buttons)
        return invalid("Param interactive['action']['buttons'] must have 1 to 3 elements.");
    std::set<std::string> ids, titles;
    for (auto const& b : buttons) {
        if (!b.is_object() || b.value("type", json()) != "reply" || !b.contains("reply") || !b["reply"].is_object())
            return invalid("Param interactive['action']['buttons'][]['type'] must be reply.");
        auto const& reply = b["reply"];
        if (!good_string(reply, "id", max_button_id_units))
            return invalid("Param interactive['action']['buttons'][]['reply']['id'] must be 1 to 256 characters long.");
        if (!good_string(reply, "title", max_button_title_units))
            return invalid(
                "Param interactive['action']['buttons'][]['reply']['title'] must be 1 to 20 characters long.");
        if (!ids.insert(reply["id"].get<std::string>()).second) return invalid("Button ids must be unique.");
        if (!titles.insert(reply["title"].get<std::string>()).second) return invalid("Button titles must be unique.");
    }
    return std::nullopt;
}

std::optional<answer> check_message(json const& body) {
    if (!body.is_object()) return invalid("The request body must be a JSON object.");
    if (body.value("messaging_product", json()) != "whatsapp")
        return invalid("The parameter messaging_product is required and must be whatsapp.");
    if (!good_string(body, "to", 64)) return invalid("The parameter to is required.");
    if (auto const r = body.find("recipient_type"); r != body.end() && *r != "individual")
        return invalid("Param recipient_type must be individual.");
    if (auto const c = body.find("context");
        c != body.end() && (!c->is_object() || !good_string(*c, "message_id", 512)))
        return invalid("Param context['message_id'] must be a message id.");
    auto const type = body.value("type", json());
    if (type == "text") {
        auto const t = body.find("text");
        if (t == body.end() || !t->is_object() || !good_string(*t, "body", max_text_units))
            return invalid("Param text['body'] must be 1 to 4096 characters long.");
        return std::nullopt;
    }
    if (type == "interactive") return check_interactive(body);
    if (type == "template") {
        auto const t = body.find("template");
        if (t == body.end() || !t->is_object() || !good_string(*t, "name", 512) || !t->contains("language") ||
            !(*t)["language"].is_object() || !good_string((*t)["language"], "code", 16))
            return invalid("Param template['name'] and template['language']['code'] are required.");
        return std::nullopt;
    }
    return invalid("Param type must be one of {text, interactive, template}.");
}

struct script {
    int status;
    int code;
};

}  // namespace

struct fake_whatsapp::impl {
    std::string phone_number_id;
    std::string token;
    net::io_context ioc{1};
    tcp::acceptor acceptor{ioc};  // NB: used by the I/O thread only once it runs
    std::uint16_t port = 0;
    std::thread thread;

    mutable std::mutex mutex;  // guards everything below
    std::condition_variable changed;
    std::vector<call> calls;
    std::uint64_t version = 0;  // bumped on every recorded call and on reset
    std::deque<script> scripts;
    std::set<std::string> closed_windows;
    std::uint64_t next_message_id = 1;

    // NB: called with `mutex` held.
    answer send(json const& body, std::string& message_id) {
        if (auto e = check_message(body)) return *e;
        auto const to = body["to"].get<std::string>();
        auto const type = body["type"].get<std::string>();
        if (type != "template" && closed_windows.contains(to)) return graph_error(400, 131047);
        message_id = "wamid." + std::to_string(next_message_id++);
        json sent{{"id", message_id}};
        if (type == "template") sent["message_status"] = "accepted";
        return {200,
                {{"messaging_product", "whatsapp"},
                 {"contacts", {{{"input", to}, {"wa_id", to}}}},
                 {"messages", {std::move(sent)}}}};
    }

    answer handle(http::request<http::string_body> const& req, json const& body, bool body_ok, std::string_view path,
                  std::string& message_id) {
        auto const auth = req[http::field::authorization];
        if (auth != "Bearer " + token) return graph_error(401, 190);
        auto const expected = std::string(api_version) + "/" + phone_number_id + "/messages";
        if (path != expected) {
            auto e = graph_error(400, 100, "Unsupported request: " + std::string(path));
            e.body["error"]["message"] = "Unsupported " + std::string(req.method_string()) + " request.";
            return e;
        }
        if (req.method() != http::verb::post) return graph_error(400, 100, "Only POST is supported.");
        if (!scripts.empty()) {
            auto const s = scripts.front();
            scripts.pop_front();
            return graph_error(s.status, s.code);
        }
        if (!body_ok) return invalid("The request body must be a JSON object.");
        return send(body, message_id);
    }

    answer record(http::request<http::string_body> const& req, std::string& message_id) {
        auto const arrived = std::chrono::steady_clock::now();
        std::string_view path = req.target();
        path = path.substr(0, path.find('?'));

        json body = json::object();
        bool body_ok = true;
        if (!req.body().empty()) {
            body = json::parse(req.body(), nullptr, false);
            body_ok = body.is_object();
            if (!body_ok) body = req.body();
        }

        std::lock_guard lock(mutex);
        auto a = handle(req, body, body_ok, path, message_id);
        calls.push_back(
            {.path = std::string(path), .body = body, .at = arrived, .status = a.status, .message_id = message_id});
        ++version;
        changed.notify_all();
        return a;
    }

    net::awaitable<void> session(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(max_body_bytes);
            auto [read_ec, read_n] = co_await http::async_read(stream, buffer, parser, use_tuple);
            if (read_ec) co_return;  // the client closed, or sent garbage: drop the connection
            auto const req = parser.release();
            std::string message_id;
            auto const a = record(req, message_id);
            http::response<http::string_body> res{static_cast<http::status>(a.status), req.version()};
            res.set(http::field::server, "fake-whatsapp");
            res.set(http::field::content_type, "application/json");
            if (a.status == 401) res.set(http::field::www_authenticate, R"(OAuth "Facebook Platform" "invalid_token")");
            res.keep_alive(req.keep_alive());
            res.body() = a.body.dump();
            res.prepare_payload();
            auto [write_ec, write_n] = co_await http::async_write(stream, res, use_tuple);
            if (write_ec || !res.keep_alive()) break;
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    net::awaitable<void> listen() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
            if (ec == net::error::operation_aborted) co_return;
            if (ec) continue;
            net::co_spawn(ioc, session(std::move(socket)), net::detached);
        }
    }
};

fake_whatsapp::fake_whatsapp(std::string phone_number_id, std::string token) : impl_(std::make_unique<impl>()) {
    impl_->phone_number_id = std::move(phone_number_id);
    impl_->token = std::move(token);
    tcp::endpoint const endpoint{net::ip::make_address("127.0.0.1"), 0};
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen();
    impl_->port = impl_->acceptor.local_endpoint().port();
    net::co_spawn(impl_->ioc, impl_->listen(), net::detached);
    impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

fake_whatsapp::~fake_whatsapp() {
    // A test fake may stop mid-request: pending sessions are destroyed with the io_context.
    impl_->ioc.stop();
    impl_->thread.join();
}

std::uint16_t fake_whatsapp::port() const { return impl_->port; }

std::string fake_whatsapp::api_base() const {
    return "http://127.0.0.1:" + std::to_string(port()) + std::string(api_version);
}

std::string const& fake_whatsapp::phone_number_id() const { return impl_->phone_number_id; }

std::string const& fake_whatsapp::token() const { return impl_->token; }

std::vector<fake_whatsapp::call> fake_whatsapp::calls() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->calls;
}

bool fake_whatsapp::wait_for(std::function<bool(std::vector<call> const&)> pred, std::chrono::milliseconds timeout) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(impl_->mutex);
    for (;;) {
        auto const seen = impl_->version;
        auto const snapshot = impl_->calls;
        lock.unlock();
        if (pred(snapshot)) return true;
        lock.lock();
        if (!impl_->changed.wait_until(lock, deadline, [&] { return impl_->version != seen; })) return false;
    }
}

bool fake_whatsapp::wait_for_calls(std::size_t count, std::chrono::milliseconds timeout) {
    return wait_for([&](std::vector<call> const& all) { return all.size() >= count; }, timeout);
}

void fake_whatsapp::close_window_for(std::string wa_id) {
    std::lock_guard lock(impl_->mutex);
    impl_->closed_windows.insert(std::move(wa_id));
}

void fake_whatsapp::open_window_for(std::string wa_id) {
    std::lock_guard lock(impl_->mutex);
    impl_->closed_windows.erase(wa_id);
}

void fake_whatsapp::fail_next_with(int http_status, int code, int count) {
    std::lock_guard lock(impl_->mutex);
    for (int i = 0; i < count; ++i) impl_->scripts.push_back({.status = http_status, .code = code});
}

void fake_whatsapp::reset() {
    std::lock_guard lock(impl_->mutex);
    impl_->calls.clear();
    impl_->scripts.clear();
    impl_->closed_windows.clear();
    ++impl_->version;
    impl_->changed.notify_all();
}

}  // namespace signoff::test
