#pragma once
// A throwaway TLS identity for tests of the server and the client.

#include <filesystem>
#include <string>
#include <utility>

namespace signoff::test {

// Writes a self-signed CA:TRUE certificate for localhost and 127.0.0.1 into dir: {cert.pem, key.pem}.
std::pair<std::string, std::string> write_self_signed(std::filesystem::path const& dir);

}  // namespace signoff::test
