#include "support/server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

extern char** environ;

namespace signoff::test {
namespace {

using clock = std::chrono::steady_clock;
constexpr std::chrono::seconds start_timeout{10};
constexpr std::chrono::seconds stop_timeout{10};
constexpr std::size_t stderr_tail_bytes = 4000;

[[noreturn]] void throw_errno(std::string const& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

struct pipe_fds {
    int read = -1;
    int write = -1;
    pipe_fds() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe2");
        read = fds[0];
        write = fds[1];
    }
    ~pipe_fds() {
        close_read();
        close_write();
    }
    pipe_fds(pipe_fds const&) = delete;
    pipe_fds& operator=(pipe_fds const&) = delete;
    int release_read() { return std::exchange(read, -1); }
    void close_read() {
        if (read >= 0) ::close(std::exchange(read, -1));
    }
    void close_write() {
        if (write >= 0) ::close(std::exchange(write, -1));
    }
};

std::string resolve_program(std::string const& name) {
    if (name.find('/') != std::string::npos) return name;
    char const* path = std::getenv("PATH");
    std::string_view dirs = path ? path : "/usr/bin:/bin";
    while (true) {
        auto const colon = dirs.find(':');
        std::string candidate(dirs.substr(0, colon));
        candidate = (candidate.empty() ? "." : candidate) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        if (colon == std::string_view::npos) break;
        dirs.remove_prefix(colon + 1);
    }
    throw std::runtime_error("cannot find " + name + " in PATH");
}

std::vector<std::string> merged_environment(environment const& extra) {
    environment all;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string_view const kv = *entry;
        auto const eq = kv.find('=');
        if (eq != std::string_view::npos) all.emplace(kv.substr(0, eq), kv.substr(eq + 1));
    }
    for (auto const& [name, value] : extra) all[name] = value;
    std::vector<std::string> out;
    for (auto const& [name, value] : all) out.push_back(name + "=" + value);
    return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

int exit_status(int wait_status) {
    if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return -1;
}

// Starts argv in `cwd` with stdin from /dev/null, stdout on out_fd and stderr on err_fd, and
// returns its pid once exec succeeded; throws naming the program otherwise.
pid_t spawn(std::vector<std::string> argv, environment const& env, std::filesystem::path const& cwd, int out_fd,
            int err_fd) {
    if (argv.empty()) throw std::invalid_argument("spawn: empty argv");
    std::string const program = resolve_program(argv[0]);
    std::vector<std::string> env_strings = merged_environment(env);
    auto argv_ptrs = pointers(argv);
    auto env_ptrs = pointers(env_strings);
    std::string const dir = cwd.string();
    pipe_fds exec_error;  // CLOEXEC: closes unread on a successful exec, carries errno otherwise
    pid_t const parent = ::getpid();

    pid_t const pid = ::fork();
    if (pid < 0) throw_errno("fork");
    if (pid == 0) {
        // NB: the parent may have other threads, so only async-signal-safe calls until exec.
        // PDEATHSIG kills a server left behind when the test process dies (e.g. a ctest timeout).
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        sigset_t none;
        ::sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGHUP}) ::signal(sig, SIG_DFL);
        int const in = ::open("/dev/null", O_RDONLY);
        if (in >= 0 && ::dup2(in, 0) >= 0 && ::dup2(out_fd, 1) >= 0 && ::dup2(err_fd, 2) >= 0 &&
            ::chdir(dir.c_str()) == 0)
            ::execve(program.c_str(), argv_ptrs.data(), env_ptrs.data());
        int const err = errno;
        [[maybe_unused]] auto n = ::write(exec_error.write, &err, sizeof err);
        ::_exit(127);
    }
    exec_error.close_write();
    int err = 0;
    ssize_t n;
    do n = ::read(exec_error.read, &err, sizeof err);
    while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof err)) {
        int status;
        ::waitpid(pid, &status, 0);
        throw std::system_error(err, std::generic_category(), "cannot start " + program);
    }
    return pid;
}

std::string tail(std::string text) {
    if (text.size() > stderr_tail_bytes) text.erase(0, text.size() - stderr_tail_bytes);
    return text;
}

}  // namespace

std::string signoff_binary() { return SIGNOFF_BINARY; }

server_process::server_process(std::vector<std::string> args, environment env, std::string binary,
                               std::optional<std::filesystem::path> cwd)
    : binary_(std::move(binary)) {
    args.insert(args.begin(), binary_);
    pipe_fds out;
    int const err_fd = ::open(stderr_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (err_fd < 0) throw_errno("open " + stderr_path().string());
    try {
        pid_ = spawn(std::move(args), env, cwd.value_or(dir_.path()), out.write, err_fd);
    } catch (...) {
        ::close(err_fd);
        throw;
    }
    ::close(err_fd);
    out.close_write();
    stdout_fd_ = out.release_read();
    try {
        wait_for_listening(clock::now() + start_timeout);
    } catch (...) {
        kill_and_reap();
        ::close(std::exchange(stdout_fd_, -1));
        throw;
    }
}

server_process::~server_process() {
    kill_and_reap();
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

void server_process::wait_for_listening(clock::time_point deadline) {
    constexpr std::string_view prefix = "listening on ";
    std::size_t scanned = 0;  // stdout_ before this offset holds only complete, non-matching lines
    auto fail = [&](std::string const& why) {
        throw std::runtime_error("server_process: " + binary_ + " " + why +
                                 " before printing 'listening on HOST:PORT' (is stdout flushed?)\nstdout: " + stdout_ +
                                 "\nstderr tail:\n" + tail(stderr_text()));
    };
    while (true) {
        for (auto eol = stdout_.find('\n', scanned); eol != std::string::npos; eol = stdout_.find('\n', scanned)) {
            std::string_view line(stdout_.data() + scanned, eol - scanned);
            scanned = eol + 1;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (!line.starts_with(prefix)) continue;
            line.remove_prefix(prefix.size());
            auto const colon = line.rfind(':');
            auto const digits = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
            unsigned port = 0;
            auto const [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
            if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || port == 0 ||
                port > 65535)
                fail("printed a malformed line 'listening on " + std::string(line) + "'");
            host_ = line.substr(0, colon);
            if (host_.size() >= 2 && host_.front() == '[' && host_.back() == ']')
                host_ = host_.substr(1, host_.size() - 2);
            port_ = static_cast<std::uint16_t>(port);
            return;
        }
        auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
        if (left.count() <= 0) fail("did not start within " + std::to_string(start_timeout.count()) + " s");
        pollfd p{.fd = stdout_fd_, .events = POLLIN, .revents = 0};
        int const ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno != EINTR) throw_errno("poll");
        if (ready <= 0) continue;
        char buf[4096];
        ssize_t const n = ::read(stdout_fd_, buf, sizeof buf);
        if (n < 0 && errno != EINTR) throw_errno("read");
        if (n > 0) stdout_.append(buf, static_cast<std::size_t>(n));
        if (n == 0) {
            // The child closed stdout, which almost always means it is exiting.
            while (!reap(false) && clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds{5});
            fail(exit_status_ ? "exited with status " + std::to_string(*exit_status_) : std::string("closed stdout"));
        }
    }
}

void server_process::drain_stdout() {
    if (stdout_fd_ < 0) return;
    char buf[4096];
    pollfd p{.fd = stdout_fd_, .events = POLLIN, .revents = 0};
    while (::poll(&p, 1, 0) > 0) {
        ssize_t const n = ::read(stdout_fd_, buf, sizeof buf);
        if (n <= 0) break;
        stdout_.append(buf, static_cast<std::size_t>(n));
    }
}

std::optional<int> server_process::reap(bool block) {
    if (exit_status_ || pid_ < 0) return exit_status_;
    int status = 0;
    pid_t r;
    do r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == pid_) exit_status_ = exit_status(status);
    return exit_status_;
}

bool server_process::running() { return !reap(false); }

int server_process::terminate(int sig) {
    if (reap(false)) return *exit_status_;
    ::kill(pid_, sig);
    auto const deadline = clock::now() + stop_timeout;
    while (!reap(false)) {
        if (clock::now() >= deadline) {
            kill_and_reap();
            throw std::runtime_error("server_process: " + binary_ + " did not exit within " +
                                     std::to_string(stop_timeout.count()) + " s of signal " + std::to_string(sig) +
                                     "\nstderr tail:\n" + tail(stderr_text()));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{5});
    }
    drain_stdout();
    return *exit_status_;
}

int server_process::kill9() {
    kill_and_reap();
    drain_stdout();
    return exit_status_.value_or(-1);
}

void server_process::kill_and_reap() noexcept {
    if (pid_ < 0 || reap(false)) return;
    ::kill(pid_, SIGKILL);
    reap(true);
}

std::string server_process::stdout_text() {
    drain_stdout();
    return stdout_;
}

std::string server_process::stderr_text() const { return read_file(stderr_path()); }

command_result run_command(std::vector<std::string> const& argv, environment const& env, std::chrono::seconds timeout) {
    temp_dir cwd("signoff-command");
    pipe_fds out;
    pipe_fds err;
    pid_t const pid = spawn(argv, env, cwd.path(), out.write, err.write);
    out.close_write();
    err.close_write();

    command_result result;
    auto const deadline = clock::now() + timeout;
    pollfd fds[2] = {{.fd = out.read, .events = POLLIN, .revents = 0},
                     {.fd = err.read, .events = POLLIN, .revents = 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_fds = 2;
    while (open_fds > 0) {
        auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
        if (left.count() <= 0) {
            ::kill(pid, SIGKILL);
            int status;
            ::waitpid(pid, &status, 0);
            throw std::runtime_error("run_command: " + argv[0] + " still running after " +
                                     std::to_string(timeout.count()) + " s; stderr: " + tail(result.err));
        }
        int const ready = ::poll(fds, 2, static_cast<int>(left.count()));
        if (ready < 0 && errno != EINTR) throw_errno("poll");
        for (int i = 0; i < 2 && ready > 0; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            char buf[8192];
            ssize_t const n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) sinks[i]->append(buf, static_cast<std::size_t>(n));
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
                fds[i].fd = -1;  // poll ignores negative fds; pipe_fds still closes it
                --open_fds;
            }
        }
    }
    int status = 0;
    pid_t r;
    do r = ::waitpid(pid, &status, 0);
    while (r < 0 && errno == EINTR);
    result.exit_code = exit_status(status);
    return result;
}

command_result run_signoff(std::vector<std::string> const& args, environment const& env) {
    std::vector<std::string> argv{signoff_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, env);
}

}  // namespace signoff::test
