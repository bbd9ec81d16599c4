// libFuzzer target for the chat grammar (SPEC §6): the input bytes as a command, as button
// data (both decoders) and as an away-until date in Asia/Kolkata. None of these may throw on
// input; a decoded button must encode back to the same bytes. Anything else is a finding.

#include "bot/chat/commands.hpp"
#include "bot/core/button_data.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    using namespace signoff;
    static std::string const zone = "Asia/Kolkata";
    std::string_view const input(reinterpret_cast<char const*>(data), size);

    if (auto const c = chat::parse_command(input); c && c->until) chat::parse_until(*c->until, zone);
    chat::parse_until(input, zone);
    if (auto const b = chat::decode_button(input); b && chat::encode_button(*b) != input) std::abort();
    if (auto const b = buttons::decode(input); b && buttons::encode(*b) != input) std::abort();
    return 0;
}
