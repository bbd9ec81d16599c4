#pragma once
// The server's own checks on a parsed request head, apart from the socket code so that they can
// be tested and fuzzed alone (tests/fuzz/http_request_fuzz.cpp feeds Beast's parser with them).

#include <boost/beast/http/fields.hpp>

#include <cstddef>

namespace signoff {

constexpr std::size_t max_header_bytes = 16 * 1024;  // request line and header fields, per request

// A request's Transfer-Encoding, when it has one, is exactly one "chunked" (any case, no other
// coding, no second field). Anything else could be framed differently by a proxy in front, so
// the server refuses it (request smuggling).
bool plainly_chunked_or_absent(boost::beast::http::fields const& head);

}  // namespace signoff
