#pragma once
// Hashes, MACs and comparisons on OpenSSL, as pure functions of bytes.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace signoff::crypto {

std::string sha256_hex(std::string_view data);                            // lowercase hex
std::string hmac_sha256_hex(std::string_view key, std::string_view data);  // lowercase hex
bool constant_time_equals(std::string_view a, std::string_view b);         // false on length mismatch
std::string random_hex(std::size_t bytes);                                  // from a CSPRNG

// SHA-256 of bytes that arrive in pieces (an upload streamed to disk).
class sha256_stream {
public:
    sha256_stream();
    ~sha256_stream();
    sha256_stream(sha256_stream const&) = delete;
    sha256_stream& operator=(sha256_stream const&) = delete;
    void update(void const* data, std::size_t size);
    std::string hex_digest();  // ends the stream

private:
    void* ctx_;  // EVP_MD_CTX
};

// Standard Base64 (RFC 4648 §4, "+/" with "=" padding), on OpenSSL's EVP_EncodeBlock.
std::string base64_encode(std::string_view bytes);
// The bytes of padded standard Base64; nullopt for a length not a multiple of 4, a character
// outside the alphabet (white space included) or '=' anywhere but the last two places.
// NB: the unused low bits of the last character are not required to be zero (WeCom's 43-character
// EncodingAESKey plus "=" sets them).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace signoff::crypto
