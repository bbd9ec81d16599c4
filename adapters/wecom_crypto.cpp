#include "adapters/wecom_crypto.hpp"

#include "bot/core/crypto.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>

namespace signoff::wecom {

namespace {

constexpr std::size_t aes_key_bytes = 32;
constexpr std::size_t aes_block_bytes = 16;
constexpr std::size_t pad_block_bytes = 32;  // WeCom pads to 32-byte multiples, not AES's 16
constexpr std::size_t length_field_bytes = 4;

std::optional<std::string> aes_key_of(std::string_view encoding_aes_key) {
    if (encoding_aes_key.size() != encoding_aes_key_chars) return std::nullopt;
    auto key = crypto::base64_decode(std::string(encoding_aes_key) + "=");
    if (!key || key->size() != aes_key_bytes) return std::nullopt;
    return key;
}

struct cipher_ctx_free {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

// AES-256-CBC over whole blocks with the cipher's own padding off; nullopt if OpenSSL fails.
std::optional<std::string> aes_cbc(std::string const& key, std::string_view in, bool encrypting) {
    std::unique_ptr<EVP_CIPHER_CTX, cipher_ctx_free> ctx(EVP_CIPHER_CTX_new());
    if (!ctx) return std::nullopt;
    auto const* k = reinterpret_cast<unsigned char const*>(key.data());
    if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, k, k, encrypting ? 1 : 0) != 1) return std::nullopt;
    if (EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) return std::nullopt;
    if (in.size() > static_cast<std::size_t>(std::numeric_limits<int>::max() - aes_block_bytes)) return std::nullopt;
    std::string out(in.size() + aes_block_bytes, '\0');
    int n = 0;
    int final_n = 0;
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    if (EVP_CipherUpdate(ctx.get(), o, &n, reinterpret_cast<unsigned char const*>(in.data()),
                         static_cast<int>(in.size())) != 1 ||
        EVP_CipherFinal_ex(ctx.get(), o + n, &final_n) != 1)
        return std::nullopt;
    out.resize(static_cast<std::size_t>(n + final_n));
    return out;
}

std::string sha1_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha1(), nullptr) != 1)
        throw std::runtime_error("SHA-1 failed");
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(size * 2, '\0');
    for (unsigned int i = 0; i < size; ++i) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 0xf];
    }
    return out;
}

}  // namespace

std::string signature(std::string_view token, std::string_view timestamp, std::string_view nonce,
                      std::string_view encrypted) {
    // NB: std::char_traits<char>::lt compares as unsigned char, i.e. byte-wise like the official libs.
    std::array<std::string_view, 4> parts{token, timestamp, nonce, encrypted};
    std::sort(parts.begin(), parts.end());
    std::string joined;
    joined.reserve(token.size() + timestamp.size() + nonce.size() + encrypted.size());
    for (auto part : parts) joined += part;
    return sha1_hex(joined);
}

bool verify_signature(std::string_view msg_signature, std::string_view token, std::string_view timestamp,
                      std::string_view nonce, std::string_view encrypted) {
    return crypto::constant_time_equals(msg_signature, signature(token, timestamp, nonce, encrypted));
}

std::optional<decrypted> decrypt(std::string_view encrypted_base64, std::string_view encoding_aes_key) {
    auto const key = aes_key_of(encoding_aes_key);
    if (!key) return std::nullopt;
    auto const ciphertext = crypto::base64_decode(encrypted_base64);
    if (!ciphertext || ciphertext->empty() || ciphertext->size() % aes_block_bytes != 0) return std::nullopt;
    auto plain = aes_cbc(*key, *ciphertext, false);
    if (!plain) return std::nullopt;

    // No padding oracle here: callers verify msg_signature before decrypting.
    auto const pad = static_cast<unsigned char>(plain->back());
    if (pad < 1 || pad > pad_block_bytes || pad > plain->size()) return std::nullopt;
    if (std::any_of(plain->end() - pad, plain->end(), [&](char c) { return static_cast<unsigned char>(c) != pad; }))
        return std::nullopt;
    plain->resize(plain->size() - pad);

    constexpr std::size_t header = random_prefix_bytes + length_field_bytes;
    if (plain->size() < header) return std::nullopt;
    std::uint64_t length = 0;
    for (std::size_t i = random_prefix_bytes; i < header; ++i)
        length = length << 8 | static_cast<unsigned char>((*plain)[i]);
    if (length > plain->size() - header) return std::nullopt;
    auto const size = static_cast<std::size_t>(length);
    return decrypted{.message = plain->substr(header, size), .receive_id = plain->substr(header + size)};
}

std::string encrypt(std::string_view message, std::string_view receive_id, std::string_view encoding_aes_key,
                    std::string_view random16) {
    auto const key = aes_key_of(encoding_aes_key);
    if (!key) throw std::invalid_argument("wecom: EncodingAESKey must be 43 Base64 characters decoding to 32 bytes");
    if (random16.size() != random_prefix_bytes)
        throw std::invalid_argument("wecom: the random prefix must be 16 bytes");
    if (message.size() > std::numeric_limits<std::uint32_t>::max())
        throw std::invalid_argument("wecom: message too long to encrypt");

    std::string full(random16);
    auto const length = static_cast<std::uint32_t>(message.size());
    for (int shift : {24, 16, 8, 0}) full.push_back(static_cast<char>((length >> shift) & 0xff));
    full += message;
    full += receive_id;
    auto const pad = pad_block_bytes - full.size() % pad_block_bytes;  // 1..32: a whole block when aligned
    full.append(pad, static_cast<char>(pad));
    auto const ciphertext = aes_cbc(*key, full, true);
    if (!ciphertext) throw std::runtime_error("wecom: AES-256-CBC encryption failed");
    return crypto::base64_encode(*ciphertext);
}

}  // namespace signoff::wecom
