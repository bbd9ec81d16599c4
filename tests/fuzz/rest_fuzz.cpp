// libFuzzer target for the REST request bodies (SPEC §5): the input bytes through parse_body,
// then the parsed JSON through every body parser. api_error is their answer to bad input;
// any other exception, a crash or a sanitizer report is a finding.

#include "bot/actions/submission.hpp"
#include "bot/core/api_error.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

template <class Parse>
void expect_api_error(Parse&& parse) {
    try {
        parse();
    } catch (signoff::api_error const&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    using namespace signoff;
    std::string_view const input(reinterpret_cast<char const*>(data), size);
    nlohmann::json body;
    try {
        body = parse_body(input);
    } catch (api_error const&) {
        return 0;
    }
    static revision_input const current{.title = "World Standards Day", .body = "…", .note = "first"};
    expect_api_error([&] { parse_submission(body); });
    expect_api_error([&] { parse_revision(body, current); });
    expect_api_error([&] { parse_decision(body); });
    expect_api_error([&] { parse_availability(body); });
    expect_api_error([&] { parse_publication(body); });
    expect_api_error([&] { parse_reason(body); });
    return 0;
}
