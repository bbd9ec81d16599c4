// libFuzzer target for the Telegram webhook path: the input bytes as an Update body, and as a
// Bot API answer read by read_send_result. Only telegram::parse_error may escape parse_update,
// and nothing may escape read_send_result; anything else (another exception, a crash, a
// sanitizer report) is a finding.

#include "adapters/telegram.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    using namespace signoff;
    std::string_view const input(reinterpret_cast<char const*>(data), size);
    try {
        telegram::parse_update(input);
    } catch (telegram::parse_error const&) {
    }
    for (int status : {200, 400, 429, 502}) telegram::read_send_result(status, input);
    return 0;
}
