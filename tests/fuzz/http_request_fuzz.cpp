// libFuzzer target for the request head as the server reads it: Beast's request_parser with
// the server's limits (bot/net/http_server.cpp), fed the input bytes with put(), then the
// server's own checks on what it parsed (plainly_chunked_or_absent, http_request::path and
// query, parse_range, cookie_value). Parser errors are values; any exception, a crash or a sanitizer report is a finding.

// Boost 1.81's chunk-header parser asserts `n >= 5` where 3 bytes are legal when a chunk header
// arrives split across reads ("0\r\n", then the rest); the code after the assert answers
// need_more as it should, and Release builds (NDEBUG) never evaluate it. Beast fixed the assert
// upstream (boostorg/beast#2861, Boost 1.86). Only that one assertion is let pass; any other
// still aborts the run as a finding.
#define BOOST_ENABLE_ASSERT_HANDLER

#include "bot/core/http_types.hpp"
#include "bot/net/request_framing.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cstdint>
#include <string>
#include <string_view>

namespace beast = boost::beast;
namespace http = beast::http;

namespace boost {
void assertion_failed(char const* expr, char const* function, char const* file, long line) {
    if (std::strcmp(expr, "n >= 5") == 0 && std::strstr(file, "beast/http/impl/basic_parser.ipp")) return;
    std::fprintf(stderr, "%s:%ld: %s: assertion `%s' failed\n", file, line, function, expr);
    std::abort();
}
void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file, long line) {
    std::fprintf(stderr, "%s:%ld: %s: assertion `%s' failed: %s\n", file, line, function, expr, msg);
    std::abort();
}
}  // namespace boost

namespace {

constexpr std::size_t body_limit = 1024 * 1024;  // the server's default max_body_bytes

void check(http::request_parser<http::string_body> const& parser) {
    auto const& head = parser.get();
    signoff::plainly_chunked_or_absent(head);
    signoff::http_request req{.method = std::string(head.method_string()), .target = std::string(head.target())};
    for (auto const& f : head) req.headers.emplace_back(f.name_string(), f.value());
    req.path();
    for (auto key : {"limit", "after", "exp", "sig", "hub.challenge", "msg_signature", ""}) req.query(key);
    req.header("Content-Length");
    // The server's own readers of two headers: a Range over files of several sizes, the session cookie.
    for (std::uint64_t size : {0ULL, 1ULL, 100ULL, 1ULL << 40}) {
        auto r = signoff::parse_range(req.header("Range"), size);
        if (r.what == signoff::range_request::kind::part &&
            (r.range.length == 0 || r.range.first + r.range.length > size))
            std::abort();  // a part must lie within the file
    }
    signoff::cookie_value(req.headers, "signoff_session");
}

// Feeds the parser as a socket read would: put() what it takes, until done, error or no progress.
void feed(std::string_view input, std::size_t chunk) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(signoff::max_header_bytes);
    parser.body_limit(body_limit);
    parser.eager(true);
    std::size_t fed = 0;
    std::size_t offered = std::min(chunk, input.size());
    while (!parser.is_done()) {
        beast::error_code ec;
        auto const used = parser.put(boost::asio::buffer(input.data() + fed, offered - fed), ec);
        fed += used;
        if (ec == http::error::need_more) {
            if (offered == input.size()) break;
            offered = std::min(offered + chunk, input.size());
            continue;
        }
        if (ec) break;
        if (used == 0 && offered == input.size()) break;
        if (used == 0) offered = std::min(offered + chunk, input.size());
    }
    if (parser.is_header_done()) check(parser);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const input(reinterpret_cast<char const*>(data), size);
    feed(input, input.size() == 0 ? 1 : input.size());  // all at once
    feed(input, 7);                                     // in small reads
    return 0;
}
