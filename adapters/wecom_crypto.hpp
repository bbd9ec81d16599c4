#pragma once
// WeCom callback crypto (platforms.md §3.4): the SHA-1 msg_signature and the AES-256-CBC message
// envelope, as pure functions of bytes. Checked against the published vectors of §3.5.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace signoff::wecom {

inline constexpr std::size_t encoding_aes_key_chars = 43;  // EncodingAESKey, Base64 of the 32-byte key
inline constexpr std::size_t random_prefix_bytes = 16;     // random bytes before the length field

// Lowercase hex SHA-1 of the four strings sorted byte-wise and concatenated without separators.
// `encrypted` is the Encrypt element (POST) or the echostr (GET verification).
std::string signature(std::string_view token, std::string_view timestamp, std::string_view nonce,
                      std::string_view encrypted);

// True when msg_signature equals signature(…) exactly (lowercase hex), compared in constant time.
bool verify_signature(std::string_view msg_signature, std::string_view token, std::string_view timestamp,
                      std::string_view nonce, std::string_view encrypted);

struct decrypted {
    std::string message;     // the callback plaintext (XML) or, for URL verification, the echo string
    std::string receive_id;  // the CorpID for a self-built app; the caller compares it
};

// Base64 → AES-256-CBC (key = Base64(encoding_aes_key + "="), IV = key[0..16), cipher padding
// off) → PKCS#7 to 32-byte blocks stripped → 16 random | uint32 big-endian length | message |
// receive_id. nullopt for anything malformed: a key that is not 43 Base64 characters decoding
// to 32 bytes; Base64 that is not canonical in shape (length a multiple of 4, '=' only as the
// last one or two characters, no white space); ciphertext empty or not a multiple of 16 bytes;
// a pad byte outside 1..32 or pad bytes that differ; fewer than 20 plaintext bytes; a declared
// length beyond the buffer.
std::optional<decrypted> decrypt(std::string_view encrypted_base64, std::string_view encoding_aes_key);

// The inverse of decrypt, with the 16 random bytes given: callers pass CSPRNG bytes, tests pass
// fixed ones to reproduce the published ciphertexts. Throws std::invalid_argument for a bad key
// or `random16` not exactly 16 bytes.
std::string encrypt(std::string_view message, std::string_view receive_id, std::string_view encoding_aes_key,
                    std::string_view random16);

}  // namespace signoff::wecom
