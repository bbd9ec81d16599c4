#include "bot/cli.hpp"

#include "bot/serve.hpp"
#include "config/load.hpp"
#include "store/audit.hpp"
#include "store/schema.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

namespace signoff::cli {

namespace {

constexpr char const* usage = R"(signoff — approvals and responses for social-media teams, from chat

usage:
  signoff serve [--config FILE] [--db FILE] [--listen HOST:PORT]
  signoff check-config FILE          validate a configuration; prints every problem
  signoff audit verify [--db FILE]   recompute the audit hash chain
  signoff version
  signoff COMMAND --help
)";

std::map<std::string, char const*> const command_help = {
    {"serve", R"(usage: signoff serve [--config FILE] [--db FILE] [--listen HOST:PORT]
Runs the server. Without --config it runs on the embedded demo configuration (config/demo.json).
  --config FILE       configuration file (JSON, see config/README.md)
  --db FILE           SQLite database, overriding store.path
  --listen HOST:PORT  address to listen on, overriding server.listen; port 0 picks a free port
Prints "listening on HOST:PORT" once ready. SIGINT/SIGTERM stop it gracefully.
)"},
    {"check-config", R"(usage: signoff check-config FILE
Validates FILE and prints each problem as "PATH: message" (warnings as "warning: PATH: message").
Exit status 0 when valid (warnings allowed), 1 otherwise.
)"},
    {"audit", R"(usage: signoff audit verify [--db FILE]
Recomputes the audit trail's hash chain (default database ./signoff.db) and names the first
event that does not verify. Exit status 0 when intact, 1 when broken or unreadable.
)"},
    {"version", "usage: signoff version\nPrints the version.\n"},
};

// Reads "--name VALUE" pairs; returns nullopt (after printing why) on anything else.
std::optional<std::map<std::string, std::string>> flags(std::vector<std::string> const& args, std::size_t from,
                                                        std::vector<std::string> const& allowed) {
    std::map<std::string, std::string> out;
    for (std::size_t i = from; i < args.size(); i += 2) {
        auto const& name = args[i];
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            std::cerr << "signoff: unknown option " << name << "\n";
            return std::nullopt;
        }
        if (i + 1 >= args.size()) {
            std::cerr << "signoff: " << name << " needs a value\n";
            return std::nullopt;
        }
        out[name.substr(2)] = args[i + 1];
    }
    return out;
}

int check_config(std::string const& file) {
    auto result = config::load_file(file);
    for (auto const& p : result.problems) std::cout << config::format(p) << "\n";
    if (!result.value) return 1;
    std::cout << file << ": ok\n";
    return 0;
}

int audit_verify(std::string const& db_path) {
    if (!std::filesystem::exists(db_path)) {
        std::cerr << "signoff: no database at " << db_path << "\n";
        return 1;
    }
    try {
        sqlite::database db(db_path, {.read_only = true, .synchronous = "normal"});
        auto report = store::verify_chain(db);
        if (report.broken_id) {
            std::cout << "broken: event " << *report.broken_id << ": " << report.reason << " (" << report.checked
                      << " events before it verify)\n";
            return 1;
        }
        std::cout << "ok: " << report.checked << " events, chain intact\n";
        return 0;
    } catch (std::exception const& e) {
        std::cerr << "signoff: " << e.what() << "\n";
        return 1;
    }
}

bool wants_help(std::vector<std::string> const& args) {
    return std::find(args.begin(), args.end(), "--help") != args.end() ||
           std::find(args.begin(), args.end(), "-h") != args.end();
}

}  // namespace

int run(std::vector<std::string> const& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << usage;
        return args.empty() ? 2 : 0;
    }
    auto const& command = args[0];
    if (wants_help(args)) {
        auto it = command_help.find(command);
        std::cout << (it != command_help.end() ? it->second : usage);
        return it != command_help.end() ? 0 : 2;
    }
    if (command == "version" || command == "--version") {
        std::cout << "signoff " << SIGNOFF_VERSION << " (schema " << store::schema_version() << ")\n";
        return 0;
    }
    if (command == "serve") {
        auto f = flags(args, 1, {"--config", "--db", "--listen"});
        if (!f) return 2;
        serve_options o;
        if (f->contains("config")) o.config_file = f->at("config");
        if (f->contains("db")) o.db = f->at("db");
        if (f->contains("listen")) o.listen = f->at("listen");
        return serve(o);
    }
    if (command == "check-config") {
        if (args.size() != 2) {
            std::cerr << command_help.at("check-config");
            return 2;
        }
        return check_config(args[1]);
    }
    if (command == "audit") {
        if (args.size() < 2 || args[1] != "verify") {
            std::cerr << command_help.at("audit");
            return 2;
        }
        auto f = flags(args, 2, {"--db"});
        if (!f) return 2;
        return audit_verify(f->contains("db") ? f->at("db") : "signoff.db");
    }
    std::cerr << "signoff: unknown command \"" << command << "\"\n" << usage;
    return 2;
}

}  // namespace signoff::cli
