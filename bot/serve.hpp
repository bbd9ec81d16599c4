#pragma once
// `signoff serve`: wires config → store → HTTP server and runs until SIGINT/SIGTERM.

#include <optional>
#include <string>

namespace signoff {

struct serve_options {
    std::optional<std::string> config_file;  // the embedded demo config when absent
    std::optional<std::string> db;           // overrides store.path
    std::optional<std::string> listen;       // overrides server.listen
};

int serve(serve_options const& options);  // exit code

}  // namespace signoff
