#include "fakes/fake_wecom.hpp"

#include "bot/http_types.hpp"

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

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
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
constexpr std::size_t max_text_bytes = 2048;
constexpr std::size_t max_task_id_bytes = 128;
constexpr std::size_t max_buttons = 6;
constexpr std::size_t max_key_bytes = 1024;
constexpr int not_found = -404;  // recorded errcode for unknown paths

json answer(int errcode, std::string_view errmsg) { return {{"errcode", errcode}, {"errmsg", errmsg}}; }

std::string_view scripted_message(int errcode) {
    switch (errcode) {
        case -1:
            return "system busy";
        case 45009:
            return "api freq out of limit";
        case 45033:
            return "api concurrent out of limit";
        default:
            return "scripted failure";
    }
}

bool is_task_id(std::string const& s) {
    return !s.empty() && s.size() <= max_task_id_bytes && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '@';
    });
}

bool non_empty_string(json const& j, char const* key) {
    auto const it = j.find(key);
    return it != j.end() && it->is_string() && !it->get_ref<std::string const&>().empty();
}

// Why WeCom would refuse this button_list, or nullopt.
std::optional<std::string_view> button_list_problem(json const& card) {
    auto const list = card.find("button_list");
    if (list == card.end() || !list->is_array() || list->empty() || list->size() > max_buttons)
        return "button_list must hold 1-6 buttons";
    std::set<std::string> keys;
    for (auto const& b : *list) {
        if (!b.is_object() || !non_empty_string(b, "text") || !non_empty_string(b, "key")) return "invalid button";
        auto const& key = b["key"].get_ref<std::string const&>();
        if (key.size() > max_key_bytes) return "button key too long";
        if (!keys.insert(key).second) return "button key repeated";
        if (b.contains("style") && (!b["style"].is_number_integer() || b["style"] < 1 || b["style"] > 4))
            return "invalid button style";
    }
    return std::nullopt;
}

}  // namespace

struct fake_wecom::impl {
    options settings;
    net::io_context ioc{1};
    tcp::acceptor acceptor{ioc};  // NB: used by the I/O thread only once it runs
    std::uint16_t port = 0;
    std::thread thread;

    mutable std::mutex mutex;  // guards everything below
    std::condition_variable changed;
    std::vector<call> calls;
    std::uint64_t version = 0;  // bumped on every recorded call and on reset
    std::size_t token_requests = 0;
    std::map<std::string, bool> tokens;  // issued token → still valid
    std::deque<int> scripts;
    std::set<std::string> rejected_users;
    std::set<std::string> task_ids;
    std::map<std::string, bool> response_codes;  // issued code → still unused
    std::int64_t next_token = 1;
    std::int64_t next_msgid = 1;
    std::int64_t next_response_code = 1;

    // NB: the helpers below are called with `mutex` held.
    std::string new_response_code() {
        auto code = "RC-" + std::to_string(next_response_code++);
        response_codes[code] = true;
        return code;
    }

    json gettoken(http_request const& req) {
        ++token_requests;
        if (req.query("corpid").value_or("") != settings.corp_id) return answer(40013, "invalid corpid");
        if (req.query("corpsecret").value_or("") != settings.corp_secret) return answer(40001, "invalid credential");
        auto token = "TOKEN-" + std::to_string(next_token++);
        tokens[token] = true;
        json a = answer(0, "ok");
        a["access_token"] = token;
        a["expires_in"] = 7200;
        return a;
    }

    std::optional<json> token_problem(std::string const& token) const {
        if (token.empty()) return answer(41001, "access_token missing");
        auto const it = tokens.find(token);
        if (it == tokens.end()) return answer(40014, "invalid access_token");
        if (!it->second) return answer(42001, "access_token expired");
        return std::nullopt;
    }

    std::optional<json> common_problem(json const& body) const {
        if (!body.is_object()) return answer(47001, "data format error");
        auto const agent = body.find("agentid");
        if (agent == body.end() || !agent->is_number_integer() || agent->get<std::int64_t>() != settings.agent_id)
            return answer(40056, "invalid agentid");
        return std::nullopt;
    }

    json send(json const& body) {
        if (auto p = common_problem(body)) return *p;
        if (!non_empty_string(body, "touser")) return answer(40003, "invalid userid");
        if (rejected_users.contains(body["touser"].get<std::string>()))
            return answer(81013, "user & party & tag all invalid");
        auto const type =
            body.value("msgtype", json()).is_string() ? body["msgtype"].get<std::string>() : std::string();
        json a = answer(0, "ok");
        if (type == "text") {
            auto const text = body.value("text", json());
            if (!text.is_object() || !non_empty_string(text, "content")) return answer(44004, "empty content");
            if (text["content"].get_ref<std::string const&>().size() > max_text_bytes)
                return answer(45002, "content size out of limit");
        } else if (type == "template_card") {
            auto const card = body.value("template_card", json());
            if (!card.is_object() || card.value("card_type", json()) != "button_interaction")
                return answer(40058, "invalid card_type");
            auto const task = card.value("task_id", json());
            if (!task.is_string() || !is_task_id(task.get<std::string>())) return answer(40058, "invalid task_id");
            if (task_ids.contains(task.get<std::string>())) return answer(40058, "task_id duplicated");
            if (!card.contains("main_title") && !card.contains("sub_title_text"))
                return answer(40058, "main_title or sub_title_text required");
            if (auto p = button_list_problem(card)) return answer(40058, *p);
            task_ids.insert(task.get<std::string>());
            a["response_code"] = new_response_code();
        } else {
            return answer(40008, "invalid message type");
        }
        a["msgid"] = std::to_string(next_msgid++);
        return a;
    }

    json update_card(json const& body) {
        if (auto p = common_problem(body)) return *p;
        auto const code = body.value("response_code", json());
        if (!code.is_string()) return answer(40058, "invalid response_code");
        auto const it = response_codes.find(code.get<std::string>());
        if (it == response_codes.end()) return answer(40058, "invalid response_code");
        if (!it->second) return answer(40058, "response_code has been used");
        auto const button = body.value("button", json());
        if (!button.is_object() || !non_empty_string(button, "replace_name")) return answer(40058, "invalid button");
        it->second = false;
        return answer(0, "ok");
    }

    // Decides the answer to one request and records it; returns the HTTP status and the body.
    std::pair<http::status, json> handle(http::request<http::string_body> const& beast_req) {
        auto const arrived = std::chrono::steady_clock::now();
        http_request const req{.method = std::string(beast_req.method_string()),
                               .target = std::string(beast_req.target())};
        std::string const path(req.path());
        std::string api = path.starts_with("/cgi-bin/") ? path.substr(9) : path;

        json body = json::object();
        if (!beast_req.body().empty()) {
            body = json::parse(beast_req.body(), nullptr, false);
            if (body.is_discarded()) body = beast_req.body();
        }
        auto const token = req.query("access_token").value_or("");

        std::lock_guard lock(mutex);
        auto status = http::status::ok;
        json a;
        if (api == "gettoken") {
            a = gettoken(req);
        } else if (api == "message/send" || api == "message/update_template_card") {
            if (auto p = token_problem(token)) {
                a = *p;
            } else if (!scripts.empty()) {
                a = answer(scripts.front(), scripted_message(scripts.front()));
                scripts.pop_front();
            } else {
                a = api == "message/send" ? send(body) : update_card(body);
            }
        } else {
            api = path;
            status = http::status::not_found;
            a = answer(not_found, "not found");
        }
        calls.push_back({.api = api,
                         .method = req.method,
                         .access_token = token,
                         .body = body,
                         .errcode = a["errcode"].get<int>(),
                         .at = arrived});
        ++version;
        changed.notify_all();
        return {status, std::move(a)};
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
            auto [status, a] = handle(req);
            http::response<http::string_body> res{status, req.version()};
            res.set(http::field::server, "fake-wecom");
            res.set(http::field::content_type, "application/json; charset=UTF-8");
            res.keep_alive(req.keep_alive());
            res.body() = a.dump();
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

fake_wecom::fake_wecom() : fake_wecom(options{}) {}

fake_wecom::fake_wecom(options o) : impl_(std::make_unique<impl>()) {
    impl_->settings = std::move(o);
    tcp::endpoint const endpoint{net::ip::make_address("127.0.0.1"), 0};
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen();
    impl_->port = impl_->acceptor.local_endpoint().port();
    net::co_spawn(impl_->ioc, impl_->listen(), net::detached);
    impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

fake_wecom::~fake_wecom() {
    // A test fake may stop mid-request: pending sessions are destroyed with the io_context.
    impl_->ioc.stop();
    impl_->thread.join();
}

std::uint16_t fake_wecom::port() const { return impl_->port; }

std::string fake_wecom::api_base() const { return "http://127.0.0.1:" + std::to_string(port()); }

fake_wecom::options const& fake_wecom::settings() const { return impl_->settings; }

std::vector<fake_wecom::call> fake_wecom::calls() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->calls;
}

std::vector<fake_wecom::call> fake_wecom::calls(std::string_view api) const {
    std::lock_guard lock(impl_->mutex);
    std::vector<call> out;
    std::copy_if(impl_->calls.begin(), impl_->calls.end(), std::back_inserter(out),
                 [&](call const& c) { return c.api == api; });
    return out;
}

std::size_t fake_wecom::token_requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->token_requests;
}

bool fake_wecom::wait_for(std::function<bool(std::vector<call> const&)> pred, std::chrono::milliseconds timeout) {
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

bool fake_wecom::wait_for_calls(std::string_view api, std::size_t count, std::chrono::milliseconds timeout) {
    return wait_for(
        [&](std::vector<call> const& all) {
            return static_cast<std::size_t>(
                       std::count_if(all.begin(), all.end(), [&](call const& c) { return c.api == api; })) >= count;
        },
        timeout);
}

void fake_wecom::expire_tokens() {
    std::lock_guard lock(impl_->mutex);
    for (auto& [token, valid] : impl_->tokens) valid = false;
}

void fake_wecom::fail_next(std::vector<int> errcodes) {
    std::lock_guard lock(impl_->mutex);
    impl_->scripts.insert(impl_->scripts.end(), errcodes.begin(), errcodes.end());
}

void fake_wecom::reject_user(std::string userid) {
    std::lock_guard lock(impl_->mutex);
    impl_->rejected_users.insert(std::move(userid));
}

std::string fake_wecom::issue_response_code() {
    std::lock_guard lock(impl_->mutex);
    return impl_->new_response_code();
}

void fake_wecom::reset() {
    std::lock_guard lock(impl_->mutex);
    impl_->calls.clear();
    impl_->scripts.clear();
    impl_->token_requests = 0;
    ++impl_->version;
    impl_->changed.notify_all();
}

}  // namespace signoff::test
