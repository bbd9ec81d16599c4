#pragma once
// One JSON line per event on stderr: {"ts":"…","level":"info","event":"webhook.accepted",…}.
// Never pass secrets, signatures or URLs that embed tokens.

#include <nlohmann/json.hpp>

#include <string_view>

namespace signoff::log {

enum class level { debug, info, warn, error };

void set_threshold(level lowest);  // events below it are dropped; default info
bool enabled(level l);
// Info and debug lines are written in batches, at most 20 ms late; warnings and errors at once.
void write(level l, std::string_view event, nlohmann::json fields = nlohmann::json::object());
// Writes out every line still waiting (also done at exit).
void flush();

inline void debug(std::string_view e, nlohmann::json f = nlohmann::json::object()) { write(level::debug, e, std::move(f)); }
inline void info(std::string_view e, nlohmann::json f = nlohmann::json::object()) { write(level::info, e, std::move(f)); }
inline void warn(std::string_view e, nlohmann::json f = nlohmann::json::object()) { write(level::warn, e, std::move(f)); }
inline void error(std::string_view e, nlohmann::json f = nlohmann::json::object()) { write(level::error, e, std::move(f)); }

}  // namespace signoff::log
