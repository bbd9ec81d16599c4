#pragma once
// Hashes, MACs and comparisons on OpenSSL, as pure functions of bytes.

#include <string>
#include <string_view>

namespace signoff::crypto {

std::string sha256_hex(std::string_view data);                            // lowercase hex
std::string hmac_sha256_hex(std::string_view key, std::string_view data);  // lowercase hex
bool constant_time_equals(std::string_view a, std::string_view b);         // false on length mismatch
std::string random_hex(std::size_t bytes);                                  // from a CSPRNG

}  // namespace signoff::crypto
