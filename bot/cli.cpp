#include "bot/cli.hpp"

#include "bot/serve.hpp"
#include "config/load.hpp"
#include "store/audit.hpp"
#include "store/backup.hpp"
#include "store/schema.hpp"
#include "store/sessions.hpp"
#include "store/sqlite.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
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
  signoff audit verify [--db FILE] [--config FILE] [--tip ID:HASH]   verify the audit trail
  signoff backup FILE [--db FILE] [--config FILE]   consistent online copy of the store
  signoff login-link PERSON [--config FILE] [--db FILE]   a one-time sign-in link to the console
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
    {"audit", R"(usage: signoff audit verify [--db FILE] [--config FILE] [--tip ID:HASH]
Verifies the audit trail: recomputes its hash chain (plain SHA-256 before its chain_keyed event,
HMAC-SHA256 under the audit key from there on), checks that every item's status, revision,
assignee and steps are what its latest event recorded, and prints the chain's tip as
"tip ID:HASH". Names the first event or item that does not verify.
  --db FILE      the database; default: the configuration's store.path, else ./signoff.db
  --config FILE  configuration whose audit.key is the key; without it, SIGNOFF_AUDIT_KEY
  --tip ID:HASH  a tip kept elsewhere (a callback's audit_tip, the daily audit.tip log line):
                 fails when the chain ends below it or event ID has another hash
Exit status 0 when everything verifies, 1 when something does not or the store is unreadable.
)"},
    {"backup", R"(usage: signoff backup FILE [--db FILE] [--config FILE]
Writes a consistent copy of the store to FILE with SQLite's online backup API, safe while the
server runs and writes. The database is --db, else the configuration's store.path, else
./signoff.db. FILE is created readable by its owner only (0600) and replaced if it exists.
Restore: stop the server, copy FILE over the database (removing its -wal and -shm), start.
Exit status 0 when the copy is complete, 1 otherwise.
)"},
    {"login-link", R"(usage: signoff login-link PERSON [--config FILE] [--db FILE]
Prints a one-time link that signs PERSON (a person id of the directory) in to the web console:
valid 10 minutes, used once. The same as sending "login" to the bot. Without --config the
embedded demo configuration is read (as `signoff serve` does); the database is --db, else the
configuration's store.path. The server must have started once on that database.
The link starts with server.public_url, else http://<server.listen>.
Exit status 0 with the link on stdout; 1 for an unknown person or an unusable store.
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

std::optional<store::tip_ref> parse_tip(std::string const& text) {
    auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    store::tip_ref tip;
    auto [end, ec] = std::from_chars(text.data(), text.data() + colon, tip.id);
    tip.hash = text.substr(colon + 1);
    bool const hex = tip.hash.size() == 64 && std::all_of(tip.hash.begin(), tip.hash.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
    if (ec != std::errc{} || end != text.data() + colon || tip.id < 0 || !hex) return std::nullopt;
    return tip;
}

int audit_verify(std::optional<std::string> const& db, std::optional<std::string> const& config_file,
                 std::optional<std::string> const& tip_text) {
    store::verify_options options;
    std::string db_path = db.value_or("signoff.db");
    if (config_file) {
        auto result = config::load_file(*config_file);
        for (auto const& p : result.problems)
            if (!p.warning) std::cerr << config::format(p) << "\n";
        if (!result.value) return 1;
        options.key = result.value->audit.key;
        if (!db) db_path = result.value->store.path;
    } else if (char const* key = std::getenv("SIGNOFF_AUDIT_KEY")) {
        options.key = key;
    }
    if (tip_text) {
        options.expected = parse_tip(*tip_text);
        if (!options.expected) {
            std::cerr << "signoff: --tip must be ID:HASH, an event id and 64 lowercase hex digits\n";
            return 2;
        }
    }
    if (!std::filesystem::exists(db_path)) {
        std::cerr << "signoff: no database at " << db_path << "\n";
        return 1;
    }
    try {
        sqlite::database database(db_path, {.read_only = true, .synchronous = "normal"});
        auto report = store::verify_chain(database, options);
        if (report.broken_id) {
            std::cout << "broken: event " << *report.broken_id << ": " << report.reason << " (" << report.checked
                      << " events before it verify)\n";
            return 1;
        }
        if (report.broken_item) {
            std::cout << "broken: item #" << *report.broken_item << ": " << report.reason << "\n";
            return 1;
        }
        std::cout << "ok: " << report.checked << " events, chain intact ("
                  << (report.keyed_from ? "HMAC-SHA256 from event " + std::to_string(*report.keyed_from)
                                        : std::string("plain SHA-256, no key"))
                  << ")\n";
        std::cout << "ok: " << report.items_checked << " items match their events";
        if (report.items_unrecorded > 0)
            std::cout << " (" << report.items_unrecorded << " more have only events from before states were recorded)";
        std::cout << "\n";
        if (options.expected) std::cout << "ok: the chain reaches the tip given\n";
        std::cout << "tip " << report.tip.id << ":" << report.tip.hash << "\n";
        return 0;
    } catch (std::exception const& e) {
        std::cerr << "signoff: " << e.what() << "\n";
        return 1;
    }
}

int backup(std::string const& destination, std::optional<std::string> const& db,
           std::optional<std::string> const& config_file) {
    std::string source = db.value_or("signoff.db");
    if (!db && config_file) {
        auto result = config::load_file(*config_file);
        for (auto const& p : result.problems)
            if (!p.warning) std::cerr << config::format(p) << "\n";
        if (!result.value) return 1;
        source = result.value->store.path;
    }
    try {
        auto report = store::backup(source, destination);
        std::cout << "ok: " << source << " copied to " << destination << " (" << report.pages << " pages, schema "
                  << report.schema << ")\n";
        return 0;
    } catch (std::exception const& e) {
        std::cerr << "signoff: backup failed: " << e.what() << "\n";
        return 1;
    }
}

int login_link(std::string const& person, std::optional<std::string> const& db,
               std::optional<std::string> const& config_file) {
    auto result = config_file ? config::load_file(*config_file) : config::load_text(config::demo_json());
    for (auto const& p : result.problems)
        if (!p.warning) std::cerr << config::format(p) << "\n";
    if (!result.value) return 1;
    auto const& cfg = *result.value;
    if (!cfg.find_person(person)) {
        std::cerr << "signoff: no person \"" << person << "\" in the directory\n";
        return 1;
    }
    auto const path = db.value_or(cfg.store.path);
    if (!std::filesystem::exists(path)) {
        std::cerr << "signoff: no database at " << path << "; start the server once first (signoff serve)\n";
        return 1;
    }
    try {
        sqlite::database database(path, {.read_only = false, .synchronous = cfg.store.synchronous});
        auto version = database.prepare("PRAGMA user_version");
        if (!version.step() || version.column_int(0) != store::schema_version()) {
            std::cerr << "signoff: the database at " << path << " has another schema version; start this signoff's "
                         "server on it once first\n";
            return 1;
        }
        auto token = store::issue_login_token(database, person, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                    std::chrono::system_clock::now().time_since_epoch())
                                                                    .count());
        std::cout << cfg.console_url() << "/login?token=" << token << "\n";
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
        auto f = flags(args, 2, {"--db", "--config", "--tip"});
        if (!f) return 2;
        auto get = [&](char const* name) {
            return f->contains(name) ? std::optional<std::string>(f->at(name)) : std::nullopt;
        };
        return audit_verify(get("db"), get("config"), get("tip"));
    }
    if (command == "backup") {
        if (args.size() < 2 || args[1].starts_with("--")) {
            std::cerr << command_help.at("backup");
            return 2;
        }
        auto f = flags(args, 2, {"--db", "--config"});
        if (!f) return 2;
        auto get = [&](char const* name) {
            return f->contains(name) ? std::optional<std::string>(f->at(name)) : std::nullopt;
        };
        return backup(args[1], get("db"), get("config"));
    }
    if (command == "login-link") {
        if (args.size() < 2 || args[1].starts_with("--")) {
            std::cerr << command_help.at("login-link");
            return 2;
        }
        auto f = flags(args, 2, {"--db", "--config"});
        if (!f) return 2;
        auto get = [&](char const* name) {
            return f->contains(name) ? std::optional<std::string>(f->at(name)) : std::nullopt;
        };
        return login_link(args[1], get("db"), get("config"));
    }
    std::cerr << "signoff: unknown command \"" << command << "\"\n" << usage;
    return 2;
}

}  // namespace signoff::cli
