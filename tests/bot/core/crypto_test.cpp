#include "bot/core/crypto.hpp"

#include <catch2/catch.hpp>

using namespace signoff;

TEST_CASE("Base64 follows RFC 4648 and refuses what is not padded Base64", "[bot][core][crypto]") {
    SECTION("the RFC 4648 §10 vectors, both ways") {
        for (auto [bytes, text] : {std::pair{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
                                   {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}}) {
            INFO(bytes);
            CHECK(crypto::base64_encode(bytes) == text);
            CHECK(crypto::base64_decode(text) == bytes);
        }
    }
    SECTION("binary bytes and the whole alphabet") {
        std::string all;
        for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
        CHECK(crypto::base64_decode(crypto::base64_encode(all)) == all);
        CHECK(crypto::base64_encode("\xFB\xFF") == "+/8=");
    }
    SECTION("unused low bits may be set") { CHECK(crypto::base64_decode("Zh==") == "f"); }
    SECTION("malformed text is refused") {
        for (auto bad : {"Zg=", "Zg", "Z===", "====", "Zg==Zg==", "Z=g=", " Zg==", "Zg==\n", "Zm9v!A==", "Zm 9v"}) {
            INFO(bad);
            CHECK_FALSE(crypto::base64_decode(bad));
        }
    }
}
