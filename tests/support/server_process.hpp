#pragma once
// Runs the real signoff binary (or any program) as a child process for integration tests.
// server_process starts a server and waits for its `listening on HOST:PORT` line; run_command
// runs a command to completion and captures its output. Both add `env` to the current
// environment (set a variable to "" to blank an inherited one). The child's working directory
// is a private temp dir, so pass absolute paths in args.

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace signoff::test {

using environment = std::map<std::string, std::string>;

// The binary under test: SIGNOFF_BINARY from the build.
std::string signoff_binary();

// A started server. The constructor returns once the child printed `listening on HOST:PORT`
// on stdout (within 10 s); it throws std::runtime_error with the exit status and the tail of
// stderr when the child exits first or the time runs out. The destructor SIGKILLs a child
// that is still running. Exit statuses are the shell's: the exit code, or 128 + signal.
// NB: the child gets SIGKILL when the thread that started it ends (PR_SET_PDEATHSIG, so that no
// server outlives a crashed or timed-out test); start it from the thread that runs the test.
class server_process {
  public:
    // `cwd`: the child's working directory instead of a private one (to start again in the same place).
    explicit server_process(std::vector<std::string> args, environment env = {}, std::string binary = signoff_binary(),
                            std::optional<std::filesystem::path> cwd = std::nullopt);
    ~server_process();
    server_process(server_process const&) = delete;
    server_process& operator=(server_process const&) = delete;

    std::uint16_t port() const { return port_; }
    std::string const& host() const { return host_; }
    pid_t pid() const { return pid_; }
    bool running();  // false once the child has exited (and been reaped)

    // Sends `sig` (SIGTERM by default; SIGINT works too) and waits up to 10 s for the exit;
    // returns the exit status. Throws, after a SIGKILL, if the child does not exit in time.
    int terminate(int sig = SIGTERM);
    int kill9();  // SIGKILL and wait; returns the exit status (137 unless it had already exited)

    std::string stdout_text();        // everything the child wrote to stdout so far
    std::string stderr_text() const;  // its stderr, which goes to stderr_path()
    std::filesystem::path stderr_path() const { return dir_ / "stderr.log"; }

  private:
    void wait_for_listening(std::chrono::steady_clock::time_point deadline);
    void drain_stdout();
    std::optional<int> reap(bool block);
    void kill_and_reap() noexcept;

    temp_dir dir_{"signoff-server"};
    std::string binary_;
    pid_t pid_ = -1;
    int stdout_fd_ = -1;  // read end of the child's stdout; kept open so the child never gets SIGPIPE
    std::string stdout_;
    std::optional<int> exit_status_;
    std::string host_;
    std::uint16_t port_ = 0;
};

struct command_result {
    int exit_code = -1;  // exit code, or 128 + signal
    std::string out;     // standard output
    std::string err;     // standard error
};

// Runs argv (argv[0] is searched in PATH when it has no '/') with stdin from /dev/null, and
// waits for it; throws std::runtime_error when it cannot start or runs longer than `timeout`.
command_result run_command(std::vector<std::string> const& argv, environment const& env = {},
                           std::chrono::seconds timeout = std::chrono::seconds{30});

// run_command with signoff_binary() before args: run_signoff({"check-config", path}).
command_result run_signoff(std::vector<std::string> const& args, environment const& env = {});

}  // namespace signoff::test
