#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace signoff::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

struct canned_reply {
    std::string bytes;         // written as is
    bool close_after = false;  // close the connection after writing, whatever the headers say
};

// A one-thread HTTP/1.1 server on 127.0.0.1:0 for testing http_client: it answers the n-th
// request with replies[n], records every request's raw bytes, and counts connections.
class canned_server {
  public:
    explicit canned_server(std::vector<canned_reply> replies) : replies_(std::move(replies)) {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(listener_, 8) == 0);
        REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~canned_server() {
        stop_ = true;
        thread_.join();
        ::close(listener_);
    }

    std::uint16_t port() const { return port_; }
    int accepted() const { return accepted_; }
    std::vector<std::string> requests() {
        std::lock_guard lock(mutex_);
        return requests_;
    }

  private:
    // Waits for fd to become readable, checking stop_ every 20 ms.
    bool readable(int fd) {
        pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
        while (!stop_)
            if (::poll(&p, 1, 20) > 0) return true;
        return false;
    }

    void serve() {
        std::size_t next = 0;
        while (readable(listener_)) {
            int const conn = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
            if (conn < 0) continue;
            ++accepted_;
            std::string data;
            bool open = true;
            while (open && readable(conn)) {
                char buf[4096];
                ssize_t const n = ::read(conn, buf, sizeof buf);
                if (n <= 0) break;
                data.append(buf, static_cast<std::size_t>(n));
                // Answer every complete request in data (headers, then Content-Length bytes).
                for (auto end = data.find("\r\n\r\n"); end != std::string::npos; end = data.find("\r\n\r\n")) {
                    std::size_t length = 0;
                    if (auto cl = data.find("Content-Length: "); cl != std::string::npos && cl < end)
                        length = std::stoul(data.substr(cl + 16));
                    if (data.size() < end + 4 + length) break;
                    {
                        std::lock_guard lock(mutex_);
                        requests_.push_back(data.substr(0, end + 4 + length));
                    }
                    data.erase(0, end + 4 + length);
                    if (next == replies_.size()) {
                        open = false;
                        break;
                    }
                    auto const& reply = replies_[next++];
                    // NB: no REQUIRE here: Catch2 assertions are not thread-safe; the client sees a short reply.
                    if (::write(conn, reply.bytes.data(), reply.bytes.size()) !=
                            static_cast<ssize_t>(reply.bytes.size()) ||
                        reply.close_after || reply.bytes.find("Connection: close") != std::string::npos) {
                        open = false;
                        break;
                    }
                }
            }
            ::close(conn);
        }
    }

    std::vector<canned_reply> replies_;
    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> accepted_{0};
    std::mutex mutex_;
    std::vector<std::string> requests_;
    std::thread thread_;
};

std::string ok_json(std::string_view body, std::string_view extra_headers = "") {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + std::string(extra_headers) +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

}  // namespace

TEST_CASE("temp_dir creates a private directory and removes it with its contents", "[support][temp_dir]") {
    std::filesystem::path where;
    {
        temp_dir dir;
        where = dir.path();
        REQUIRE(std::filesystem::is_directory(where));
        REQUIRE_THAT(where.string(), StartsWith("/tmp/signoff-test-"));

        SECTION("write creates parent folders and read_file returns the bytes") {
            auto const file = dir.write("a/b/config.json", std::string("{}\n\0x", 5));
            REQUIRE(file == where / "a/b/config.json");
            REQUIRE(read_file(file) == std::string("{}\n\0x", 5));
        }
        SECTION("a moved-to temp_dir owns the directory") {
            temp_dir other = std::move(dir);
            REQUIRE(other.path() == where);
            REQUIRE(dir.path().empty());
        }
        SECTION("two temp_dirs never share a path") {
            temp_dir second;
            REQUIRE(second.path() != where);
        }
    }
    REQUIRE_FALSE(std::filesystem::exists(where));
    REQUIRE_THROWS_WITH(read_file(where / "missing"), Contains("cannot read"));
}

TEST_CASE("run_command captures exit code, stdout and stderr", "[support][run_command]") {
    SECTION("output and exit code") {
        auto const r = run_command({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
        REQUIRE(r.exit_code == 3);
        REQUIRE(r.out == "out\n");
        REQUIRE(r.err == "err\n");
    }
    SECTION("a program without a slash is found in PATH") {
        REQUIRE(run_command({"sh", "-c", "exit 0"}).exit_code == 0);
    }
    SECTION("the environment is inherited, extended and overridden") {
        ::setenv("SIGNOFF_SUPPORT_INHERITED", "inherited", 1);
        ::setenv("SIGNOFF_SUPPORT_OVERRIDDEN", "old", 1);
        auto const r = run_command({"/bin/sh", "-c",
                                    "printf '%s %s %s' \"$SIGNOFF_SUPPORT_INHERITED\" "
                                    "\"$SIGNOFF_SUPPORT_OVERRIDDEN\" \"$SIGNOFF_SUPPORT_EXTRA\""},
                                   {{"SIGNOFF_SUPPORT_OVERRIDDEN", "new"}, {"SIGNOFF_SUPPORT_EXTRA", "extra"}});
        REQUIRE(r.out == "inherited new extra");
    }
    SECTION("large output on both streams does not deadlock") {
        auto const r = run_command({"/bin/sh", "-c", "head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2"});
        REQUIRE(r.exit_code == 0);
        REQUIRE(r.out.size() == 300000);
        REQUIRE(r.err.size() == 200000);
    }
    SECTION("death by signal is 128 + signal") {
        REQUIRE(run_command({"/bin/sh", "-c", "kill -9 $$"}).exit_code == 128 + SIGKILL);
    }
    SECTION("the working directory is a fresh temp dir") {
        REQUIRE_THAT(run_command({"pwd"}).out, StartsWith("/tmp/signoff-command-"));
    }
    SECTION("a missing program and a hung one throw") {
        REQUIRE_THROWS_WITH(run_command({"/nonexistent/signoff"}), Contains("cannot start /nonexistent/signoff"));
        REQUIRE_THROWS_WITH(run_command({"no-such-program-signoff"}), Contains("cannot find"));
        REQUIRE_THROWS_WITH(run_command({"sleep", "10"}, {}, std::chrono::seconds{1}), Contains("still running"));
    }
}

TEST_CASE("server_process waits for the listening line and stops the child", "[support][server_process]") {
    SECTION("a child that exits early is an error carrying its status and stderr") {
        REQUIRE_THROWS_WITH(server_process({"serve"}, {}, "/bin/false"), Contains("exited with status 1"));
        REQUIRE_THROWS_WITH(server_process({"-c", "echo 'bad config: people[1].telegram' >&2; exit 3"}, {}, "/bin/sh"),
                            Contains("exited with status 3") && Contains("people[1].telegram"));
    }
    SECTION("a malformed listening line is an error") {
        REQUIRE_THROWS_WITH(server_process({"-c", "echo 'listening on nowhere'; exec sleep 30"}, {}, "/bin/sh"),
                            Contains("malformed"));
    }

    // A stand-in server: logs to stderr, prints its port (from the environment), then waits.
    std::vector<std::string> const args{
        "-c", "echo starting >&2; pwd; echo \"listening on 127.0.0.1:$FAKE_PORT\"; exec sleep 30"};
    server_process server(args, {{"FAKE_PORT", "4242"}}, "/bin/sh");
    REQUIRE(server.port() == 4242);
    REQUIRE(server.host() == "127.0.0.1");
    REQUIRE(server.running());
    REQUIRE_THAT(server.stdout_text(), StartsWith("/tmp/signoff-server-"));
    REQUIRE_THAT(server.stderr_text(), Contains("starting"));

    SECTION("terminate sends SIGTERM and returns the exit status") {
        REQUIRE(server.terminate() == 128 + SIGTERM);
        REQUIRE_FALSE(server.running());
        REQUIRE(server.terminate() == 128 + SIGTERM);
    }
    SECTION("terminate can send SIGINT") { REQUIRE(server.terminate(SIGINT) == 128 + SIGINT); }
    SECTION("kill9 sends SIGKILL") {
        REQUIRE(server.kill9() == 128 + SIGKILL);
        REQUIRE_FALSE(process_exists(server.pid()));
    }
}

TEST_CASE("server_process kills a running child on destruction", "[support][server_process]") {
    pid_t pid = 0;
    {
        server_process server({"-c", "echo 'listening on [::1]:7000'; exec sleep 30"}, {}, "/bin/sh");
        REQUIRE(server.host() == "::1");
        pid = server.pid();
        REQUIRE(process_exists(pid));
    }
    REQUIRE_FALSE(process_exists(pid));
}

TEST_CASE("http_client keeps one connection alive and decodes responses", "[support][http_client]") {
    canned_server server({{ok_json(R"({"ok":true})", "X-Multi: a\r\nX-Multi: b\r\n")},
                          {"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"}});
    http_client client(server.port());
    client.check_against_openapi(false);  // canned replies on signoff's paths, not signoff's answers
    client.set_default_header("Authorization", "Bearer demo-prdesk-key");

    auto const first = client.get("/api/v1/items?limit=5");
    REQUIRE(first.status == 200);
    REQUIRE(first.header("Content-Type") == "application/json");
    REQUIRE(first.headers.at("x-multi") == "a, b");
    REQUIRE(first.json() == nlohmann::json{{"ok", true}});

    auto const second = client.post_json("/api/v1/items", {{"kind", "draft"}}, {{"Idempotency-Key", "k1"}});
    REQUIRE(second.status == 201);
    REQUIRE(second.body.empty());
    REQUIRE(server.accepted() == 1);
    REQUIRE(client.connections_opened() == 1);

    auto const requests = server.requests();
    REQUIRE(requests.size() == 2);
    REQUIRE_THAT(requests[0], StartsWith("GET /api/v1/items?limit=5 HTTP/1.1\r\n"));
    REQUIRE_THAT(requests[0], Contains("Authorization: Bearer demo-prdesk-key\r\n"));
    REQUIRE_THAT(requests[1], StartsWith("POST /api/v1/items HTTP/1.1\r\n"));
    REQUIRE_THAT(requests[1], Contains("Content-Type: application/json\r\n") && Contains("Idempotency-Key: k1\r\n"));
    REQUIRE_THAT(requests[1], Contains("\r\n\r\n{\"kind\":\"draft\"}"));
}

TEST_CASE("http_client reconnects when the server closed the connection", "[support][http_client]") {
    SECTION("after Connection: close") {
        canned_server server({{"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi"},
                              {"HTTP/1.1 204 No Content\r\n\r\n"}});
        http_client client(server.port());
        REQUIRE(client.get("/").body == "hi");
        REQUIRE(client.get("/").status == 204);
        REQUIRE(server.accepted() == 2);
    }
    SECTION("after an idle keep-alive connection was dropped") {
        canned_server server({{ok_json("{}"), true}, {ok_json("[]")}});
        http_client client(server.port());
        REQUIRE(client.get("/").status == 200);
        std::this_thread::sleep_for(std::chrono::milliseconds{50});  // let the close arrive
        REQUIRE(client.request("DELETE", "/x").body == "[]");
        REQUIRE(server.accepted() == 2);
        REQUIRE(client.connections_opened() == 2);
    }
    SECTION("a custom method and a user Content-Type pass through") {
        canned_server server({{ok_json("{}")}});
        http_client client(server.port());
        REQUIRE(client.post_json("/x", nlohmann::json::object(), {{"Content-Type", "text/plain"}}).status == 200);
        auto const request = server.requests().at(0);
        REQUIRE_THAT(request, Contains("Content-Type: text/plain\r\n"));
        REQUIRE_THAT(request, !Contains("application/json"));
    }
}

TEST_CASE("http_client reports failures clearly", "[support][http_client]") {
    SECTION("connection refused") {
        // A bound socket that does not listen refuses connections, and its port stays ours.
        int const fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
        http_client client(ntohs(addr.sin_port));
        REQUIRE_THROWS_WITH(client.get("/healthz"), Contains("connect 127.0.0.1:"));
        ::close(fd);
    }
    SECTION("a body that is not JSON") {
        canned_server server({{"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops"}});
        auto const r = http_client(server.port()).get("/");
        REQUIRE(r.status == 500);
        REQUIRE_THROWS_WITH(r.json(), Contains("HTTP 500 oops"));
    }
}

TEST_CASE("raw_exchange sends bytes as they are and returns the answer", "[support][raw_exchange]") {
    SECTION("until the server closes") {
        canned_server server({{"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"}});
        auto const answer = raw_exchange(server.port(), "BROKEN / HTTP/9.9\r\n\r\n");
        REQUIRE_THAT(answer, StartsWith("HTTP/1.1 400 Bad Request\r\n"));
        REQUIRE_THAT(server.requests().at(0), StartsWith("BROKEN / HTTP/9.9"));
    }
    SECTION("until the wait is over when the server keeps waiting") {
        canned_server server({});
        auto const start = std::chrono::steady_clock::now();
        REQUIRE(raw_exchange(server.port(), "GET / HTTP/1.1\r\nHost: x\r\n", std::chrono::milliseconds{200}).empty());
        REQUIRE(std::chrono::steady_clock::now() - start < std::chrono::seconds{5});
    }
}
