// libFuzzer target for the configuration loader (SPEC §4): the input bytes as a config file,
// with a fixed environment (no process environment). Problems are collected, never thrown:
// any exception, a crash or a sanitizer report is a finding.

#include "config/load.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    using namespace signoff;
    static std::map<std::string, std::string> const vars = {
        {"SIGNOFF_TELEGRAM_TOKEN", "123456:ABC-DEF"}, {"SIGNOFF_API_KEY", "k-0123456789abcdef"},
        {"HOME", "/home/signoff"}, {"EMPTY", ""}};
    static config::env_lookup const env = [](std::string const& name) -> std::optional<std::string> {
        auto const it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
    std::string_view const input(reinterpret_cast<char const*>(data), size);
    auto const result = config::load_text(input, env);
    for (auto const& p : result.problems) config::format(p);
    return 0;
}
