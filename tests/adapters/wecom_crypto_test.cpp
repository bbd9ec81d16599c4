#include "adapters/wecom_crypto.hpp"

#include "adapters/wecom_vectors.hpp"

#include <catch2/catch.hpp>
#include <openssl/evp.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

using namespace signoff;
using namespace signoff::test::wecom_vectors;

namespace {


// Set A's AES key (platforms.md §3.5 aes_key_hex); its first 16 bytes are the IV.
constexpr unsigned char a_aes_key[32] = {0x8d, 0x69, 0x98, 0x9b, 0xba, 0xab, 0xe6, 0x73, 0x28, 0x01, 0x4c,
                                         0x19, 0x46, 0x31, 0xad, 0x07, 0x19, 0xb3, 0xdc, 0xa0, 0x35, 0xb6,
                                         0x40, 0x23, 0xdf, 0x29, 0x24, 0x47, 0xaa, 0xb6, 0x07, 0x60};

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    auto const n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<unsigned char const*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// Encrypts whole blocks under Set A's key with no padding added, so that a test can build
// plaintext layouts that encrypt() never produces.
std::string seal_raw(std::string_view plain) {
    REQUIRE(plain.size() % 16 == 0);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    REQUIRE(ctx);
    std::string out(plain.size() + 16, '\0');
    int n = 0;
    int tail = 0;
    bool const ok =
        EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, a_aes_key, a_aes_key) == 1 &&
        EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
        EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &n,
                          reinterpret_cast<unsigned char const*>(plain.data()), static_cast<int>(plain.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + n, &tail) == 1;
    EVP_CIPHER_CTX_free(ctx);
    REQUIRE(ok);
    out.resize(static_cast<std::size_t>(n + tail));
    return base64(out);
}

// random16 | uint32 big-endian `declared` | body, padded with `pad` bytes of value `pad_value`.
std::string layout(std::uint32_t declared, std::string_view body, std::size_t pad, unsigned char pad_value) {
    std::string plain(16, 'r');
    for (int shift : {24, 16, 8, 0}) plain.push_back(static_cast<char>((declared >> shift) & 0xff));
    plain += body;
    plain.append(pad, static_cast<char>(pad_value));
    return plain;
}

}  // namespace

TEST_CASE("The WeCom signature matches the official vectors", "[adapters][wecom][crypto]") {
    CHECK(wecom::signature(a_token, a1_timestamp, a1_nonce, a1_echostr) == a1_signature);
    CHECK(wecom::signature(a_token, a2_timestamp, a2_nonce, a2_encrypt) == a2_signature);
    CHECK(wecom::signature(b_token, "1476416373", "47744683", b1_echostr) ==
          "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb");
    CHECK(wecom::signature(b_token, "1476422779", "1597212914", b2_encrypt) ==
          "0c3914025cb4b4d68103f6bfc8db550f79dcf48e");
    CHECK(wecom::signature(a_token, "1700000000", "123456", d1_encrypt) == "115d6764dfff14bd6c9652be8e3302dc73498663");
    CHECK(wecom::signature(a_token, "1700000001", "654321", d2_encrypt) == "30e78e874b0e543c636d5597689c468826459a6d");
    CHECK(wecom::signature(a_token, "1700000002", "111111", d3_encrypt) == "fbc5f9af273e48cd45a82b405aad3f5a1ca64037");

    SECTION("the order of the inputs does not matter, their bytes do") {
        CHECK(wecom::signature(a2_encrypt, a2_nonce, a_token, a2_timestamp) == a2_signature);
        CHECK(wecom::signature(a_token, a2_timestamp, a2_nonce, std::string(a2_encrypt) + " ") != a2_signature);
    }
    SECTION("verify_signature accepts exactly the lowercase hex digest") {
        CHECK(wecom::verify_signature(a2_signature, a_token, a2_timestamp, a2_nonce, a2_encrypt));
        CHECK_FALSE(wecom::verify_signature("477715D11CDB4164915DEBCBA66CB864D751F3E6", a_token, a2_timestamp, a2_nonce,
                                            a2_encrypt));
        CHECK_FALSE(wecom::verify_signature(a2_signature.substr(0, 39), a_token, a2_timestamp, a2_nonce, a2_encrypt));
        CHECK_FALSE(wecom::verify_signature("", a_token, a2_timestamp, a2_nonce, a2_encrypt));
        CHECK_FALSE(wecom::verify_signature(a2_signature, a_token, "1409659814", a2_nonce, a2_encrypt));
        CHECK_FALSE(wecom::verify_signature(a2_signature, "QDG6eL", a2_timestamp, a2_nonce, a2_encrypt));
        std::string forged(a2_signature);
        forged.back() = '7';
        CHECK_FALSE(wecom::verify_signature(forged, a_token, a2_timestamp, a2_nonce, a2_encrypt));
    }
}

TEST_CASE("WeCom decryption reproduces the official plaintexts", "[adapters][wecom][crypto]") {
    SECTION("A1: URL verification echo") {
        auto const d = wecom::decrypt(a1_echostr, a_key);
        REQUIRE(d);
        CHECK(d->message == "1616140317555161061");
        CHECK(d->receive_id == a_corp);
    }
    SECTION("A2: message callback, pad byte 30 (32-byte PKCS#7 blocks)") {
        auto const d = wecom::decrypt(a2_encrypt, a_key);
        REQUIRE(d);
        CHECK(d->message == a2_plaintext);
        CHECK(d->message.size() == 284);
        CHECK(d->receive_id == a_corp);
    }
    SECTION("B1 and B2: the WeCom team's Python sample") {
        auto const b1 = wecom::decrypt(b1_echostr, b_key);
        REQUIRE(b1);
        CHECK(b1->message == "1288432023552776189");
        CHECK(b1->receive_id == b_corp);
        auto const b2 = wecom::decrypt(b2_encrypt, b_key);
        REQUIRE(b2);
        CHECK(b2->message == b2_plaintext);
        CHECK(b2->message.size() == 228);
        CHECK(b2->receive_id == b_corp);
    }
    SECTION("D1-D3: template card event, multi-byte UTF-8, a whole pad block") {
        auto const d1 = wecom::decrypt(d1_encrypt, a_key);
        REQUIRE(d1);
        CHECK(d1->message == d1_plaintext);
        CHECK(d1->message.size() == 447);
        auto const d2 = wecom::decrypt(d2_encrypt, a_key);
        REQUIRE(d2);
        CHECK(d2->message == d2_plaintext);
        CHECK(d2->message.size() == 289);
        auto const d3 = wecom::decrypt(d3_encrypt, a_key);
        REQUIRE(d3);
        CHECK(d3->message == "12345678901234567890123456");
        CHECK(d3->receive_id == a_corp);
    }
    SECTION("a ciphertext under another key does not decrypt to the plaintext") {
        auto const d = wecom::decrypt(a2_encrypt, b_key);
        CHECK((!d || d->message != a2_plaintext));
    }
}

TEST_CASE("WeCom encryption reproduces the published ciphertexts", "[adapters][wecom][crypto]") {
    CHECK(wecom::encrypt(d1_plaintext, a_corp, a_key, std::string(16, 'a')) == d1_encrypt);
    CHECK(wecom::encrypt(d2_plaintext, a_corp, a_key, std::string(16, 'b')) == d2_encrypt);
    CHECK(wecom::encrypt("12345678901234567890123456", a_corp, a_key, std::string(16, 'c')) == d3_encrypt);
    CHECK(wecom::encrypt("1616140317555161061", a_corp, a_key, "c41b64491c2468d0") == a1_echostr);
    CHECK(wecom::encrypt(a2_plaintext, a_corp, a_key, "0960688932c47ef1") == a2_encrypt);
    CHECK(wecom::encrypt(b2_plaintext, b_corp, b_key, "694ce5a83ae07fe3") == b2_encrypt);

    SECTION("round trips, including empty parts, binary bytes and every pad length") {
        std::string const random("\x00\xff\x10 random bytes", 16);
        for (std::size_t size = 0; size <= 70; ++size) {
            std::string message;
            for (std::size_t i = 0; i < size; ++i) message.push_back(static_cast<char>(i * 37));
            auto const e = wecom::encrypt(message, a_corp, a_key, random);
            auto const d = wecom::decrypt(e, a_key);
            REQUIRE(d);
            CHECK(d->message == message);
            CHECK(d->receive_id == a_corp);
        }
        auto const no_id = wecom::decrypt(wecom::encrypt("x", "", a_key, random), a_key);
        REQUIRE(no_id);
        CHECK(no_id->message == "x");
        CHECK(no_id->receive_id.empty());
    }
    SECTION("bad keys and random prefixes are refused") {
        CHECK_THROWS_AS(wecom::encrypt("x", a_corp, a_key.substr(1), std::string(16, 'a')), std::invalid_argument);
        CHECK_THROWS_AS(wecom::encrypt("x", a_corp, std::string(a_key) + "A", std::string(16, 'a')),
                        std::invalid_argument);
        CHECK_THROWS_AS(wecom::encrypt("x", a_corp, std::string(42, 'A') + "!", std::string(16, 'a')),
                        std::invalid_argument);
        CHECK_THROWS_AS(wecom::encrypt("x", a_corp, a_key, std::string(15, 'a')), std::invalid_argument);
        CHECK_THROWS_AS(wecom::encrypt("x", a_corp, a_key, std::string(17, 'a')), std::invalid_argument);
    }
}

TEST_CASE("WeCom decryption refuses malformed input", "[adapters][wecom][crypto]") {
    std::string const random(16, 'r');
    auto const valid = wecom::encrypt("hello", a_corp, a_key, random);
    REQUIRE(wecom::decrypt(valid, a_key));

    SECTION("bad keys") {
        CHECK_FALSE(wecom::decrypt(valid, ""));
        CHECK_FALSE(wecom::decrypt(valid, a_key.substr(0, 42)));
        CHECK_FALSE(wecom::decrypt(valid, std::string(a_key) + "="));
        CHECK_FALSE(wecom::decrypt(valid, std::string(a_key.substr(0, 42)) + "*"));
        CHECK_FALSE(wecom::decrypt(valid, std::string(a_key.substr(0, 42)) + "="));
    }
    SECTION("bad Base64") {
        CHECK_FALSE(wecom::decrypt("", a_key));
        CHECK_FALSE(wecom::decrypt(valid.substr(0, valid.size() - 1), a_key));  // length not a multiple of 4
        CHECK_FALSE(wecom::decrypt(valid + "====", a_key));
        CHECK_FALSE(wecom::decrypt("!" + valid.substr(1), a_key));
        CHECK_FALSE(wecom::decrypt(valid.substr(0, 4) + " " + valid.substr(5), a_key));
        CHECK_FALSE(wecom::decrypt(valid.substr(0, 8) + "\n" + valid.substr(8, valid.size() - 9), a_key));
        CHECK_FALSE(wecom::decrypt(valid.substr(0, 4) + "=" + valid.substr(5), a_key));  // '=' inside
        CHECK_FALSE(wecom::decrypt("AAAA-_AA", a_key));                                  // URL-safe alphabet
        CHECK_FALSE(wecom::decrypt(std::string("\0AAA", 4), a_key));
    }
    SECTION("ciphertext lengths") {
        CHECK_FALSE(wecom::decrypt("AAAA", a_key));               // 3 bytes
        CHECK_FALSE(wecom::decrypt(valid.substr(0, 20), a_key));  // 15 bytes
        CHECK_FALSE(wecom::decrypt(base64(std::string(17, 'c')), a_key));
        CHECK_FALSE(wecom::decrypt(base64(std::string(33, 'c')), a_key));
    }
    SECTION("a truncated ciphertext ends in message bytes, not padding") {
        auto const long_one = wecom::encrypt(std::string(100, 'x'), a_corp, a_key, random);  // 160 bytes
        REQUIRE(wecom::decrypt(long_one, a_key));
        auto const bytes_kept = 96;  // drop two AES blocks: the plaintext now ends inside the 'x's
        CHECK_FALSE(wecom::decrypt(long_one.substr(0, bytes_kept / 3 * 4), a_key));
    }
    SECTION("the raw layout helper agrees with encrypt()") {
        // "hello" + receive id: 16 + 4 + 5 + 18 = 43 bytes, pad 21.
        CHECK(seal_raw(layout(5, std::string("hello") + std::string(a_corp), 21, 21)) == valid);
    }
    SECTION("bad padding") {
        CHECK_FALSE(wecom::decrypt(seal_raw(layout(5, "hello", 7, 0)), a_key));      // pad 0
        CHECK_FALSE(wecom::decrypt(seal_raw(layout(5, "hello", 39, 33)), a_key));    // pad 33
        CHECK_FALSE(wecom::decrypt(seal_raw(layout(5, "hello", 39, 0xff)), a_key));  // pad 255
        auto mixed = layout(5, "hello", 7, 7);
        mixed[mixed.size() - 3] = 'x';
        CHECK_FALSE(wecom::decrypt(seal_raw(mixed), a_key));                          // pad bytes differ
        CHECK_FALSE(wecom::decrypt(seal_raw(std::string(15, 'r') + "\x20"), a_key));  // pad 32 > 16 bytes
        CHECK(wecom::decrypt(seal_raw(layout(5, "hello", 7, 7)), a_key));             // the control
    }
    SECTION("too short a layout, a declared length beyond the buffer") {
        CHECK_FALSE(wecom::decrypt(seal_raw(std::string(16, 'r') + std::string(16, '\x10')), a_key));  // 16 left
        CHECK_FALSE(wecom::decrypt(seal_raw(layout(0, "", 0, 0).substr(0, 19) + std::string(13, '\x0d')), a_key));
        CHECK_FALSE(wecom::decrypt(seal_raw(layout(6, "hello", 7, 7)), a_key));
        CHECK_FALSE(wecom::decrypt(seal_raw(layout(0xffffffff, "hello", 7, 7)), a_key));
        CHECK_FALSE(wecom::decrypt(seal_raw(layout(0x80000005, "hello", 7, 7)), a_key));
        auto const exact = wecom::decrypt(seal_raw(layout(5, "hello", 7, 7)), a_key);
        REQUIRE(exact);
        CHECK(exact->message == "hello");
        CHECK(exact->receive_id.empty());
        auto const nothing = wecom::decrypt(seal_raw(layout(0, "", 12, 12)), a_key);  // 20 bytes: the minimum
        REQUIRE(nothing);
        CHECK(nothing->message.empty());
    }
    SECTION("48 bytes of ciphertext (16-byte multiple) with a valid layout is accepted") {
        auto const d = wecom::decrypt(seal_raw(layout(3, "abc", 25, 25)), a_key);
        REQUIRE(d);
        CHECK(d->message == "abc");
    }
}
