#include "bot/net/request_framing.hpp"

#include <boost/beast/http/fields.hpp>
#include <catch2/catch.hpp>

#include <initializer_list>
#include <string_view>

namespace {

boost::beast::http::fields with_transfer_encoding(std::initializer_list<std::string_view> values) {
    boost::beast::http::fields f;
    f.insert(boost::beast::http::field::host, "localhost");
    for (auto v : values) f.insert(boost::beast::http::field::transfer_encoding, v);
    return f;
}

}  // namespace

TEST_CASE("A request head without Transfer-Encoding, or with exactly one chunked, is plainly framed",
          "[net][framing]") {
    CHECK(signoff::plainly_chunked_or_absent(with_transfer_encoding({})));
    CHECK(signoff::plainly_chunked_or_absent(with_transfer_encoding({"chunked"})));
    CHECK(signoff::plainly_chunked_or_absent(with_transfer_encoding({" \tChunked\t "})));
}

TEST_CASE("Another coding, a list of codings or a second Transfer-Encoding field is refused", "[net][framing]") {
    CHECK_FALSE(signoff::plainly_chunked_or_absent(with_transfer_encoding({"chunked, identity"})));
    CHECK_FALSE(signoff::plainly_chunked_or_absent(with_transfer_encoding({"gzip, chunked"})));
    CHECK_FALSE(signoff::plainly_chunked_or_absent(with_transfer_encoding({"identity"})));
    CHECK_FALSE(signoff::plainly_chunked_or_absent(with_transfer_encoding({""})));
    CHECK_FALSE(signoff::plainly_chunked_or_absent(with_transfer_encoding({"chunked", "chunked"})));
}
