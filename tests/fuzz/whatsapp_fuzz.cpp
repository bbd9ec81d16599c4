// libFuzzer target for the WhatsApp webhook path: the input bytes as a notification body, read
// with and without our phone number id, and as the body of a POST whose X-Hub-Signature-256 is
// right, wrong, or taken from the input itself. Only whatsapp::parse_error may escape
// parse_notification, and nothing may escape verify_signature; anything else is a finding.

#include "adapters/whatsapp.hpp"
#include "bot/core/crypto.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace signoff;

config::whatsapp_config const& fixed_config() {
    static config::whatsapp_config const cfg{.access_token = "unused",
                                             .app_secret = "1222e786b144d0e85b9f365372d93676",
                                             .verify_token = "unused",
                                             .phone_number_id = "106540352242922",
                                             .api_base = "http://127.0.0.1:1"};
    return cfg;
}

void parse(std::string_view body, std::string_view phone_number_id) {
    try {
        whatsapp::parse_notification(body, phone_number_id);
    } catch (whatsapp::parse_error const&) {
    }
}

bool signed_by(std::string signature, std::string_view body) {
    http_request const req{.method = "POST",
                           .target = "/webhook/whatsapp",
                           .headers = {{std::string(whatsapp::signature_header), std::move(signature)}},
                           .body = std::string(body)};
    return whatsapp::verify_signature(req, fixed_config());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const input(reinterpret_cast<char const*>(data), size);
    parse(input, {});
    parse(input, fixed_config().phone_number_id);

    auto const right = "sha256=" + crypto::hmac_sha256_hex(fixed_config().app_secret, input);
    if (!signed_by(right, input)) std::abort();  // the signature of the body must verify
    // The first line of the input as the header, the rest as the body.
    auto const newline = input.find('\n');
    auto const header = input.substr(0, newline);
    auto const body = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
    if (header.find_first_of("\r\n") == std::string_view::npos) signed_by(std::string(header), body);
    return 0;
}
