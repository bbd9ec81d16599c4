#pragma once
// The server's bodies that are files, apart from its connection handling (http_server.cpp is
// their only user): a request body spooled to disk as it arrives, and a response body read
// from a file slice as it is written. Also the head of every response, shared by both writers.

#include "bot/core/crypto.hpp"
#include "bot/core/log.hpp"
#include "bot/net/router.hpp"
#include "bot/net/spool_body.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

namespace signoff::http_bodies {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
inline constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

// The status and headers of a response; the framing headers are ours.
template <class Body>
inline void set_head(http::response<Body>& res, http_response const& r, unsigned version, bool keep_alive) {
    res.version(version);
    res.result(static_cast<unsigned>(r.status));
    res.set(http::field::server, "signoff");
    for (auto const& [name, value] : r.headers) {
        // A CR or LF in a header would split the response.
        if ((name + value).find_first_of("\r\n") != std::string::npos) continue;
        if (beast::iequals(name, "Content-Length") || beast::iequals(name, "Connection")) continue;
        res.insert(name, value);
    }
    if (!find_header(r.headers, "Content-Type")) res.set(http::field::content_type, r.content_type);
    res.keep_alive(keep_alive);
}

inline http::response<http::string_body> to_beast(http_response&& r, unsigned version, bool keep_alive) {
    http::response<http::string_body> res;
    set_head(res, r, version, keep_alive);
    bool const bodiless = r.status < 200 || r.status == 204 || r.status == 304;
    if (!bodiless) res.body() = std::move(r.body);
    if (!bodiless) res.content_length(res.body().size());
    return res;
}

// Writes a response whose body is a slice of a file, a piece at a time, so a large video is
// never held in memory. A file that cannot be opened is answered 500 instead.
template <class Stream>
net::awaitable<beast::error_code> write_file_response(Stream& stream, std::chrono::milliseconds timeout, http_response&& r,
                                                      unsigned version, bool keep_alive) {
    auto& lowest = beast::get_lowest_layer(stream);
    auto const slice = *r.file;
    int fd = ::open(slice.file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        log::error("http.file_unreadable", {{"file", slice.file.string()}, {"error", std::strerror(errno)}});
        auto msg = to_beast(error_response(500, "internal", "internal error"), version, false);
        lowest.expires_after(timeout);
        auto [ec, n] = co_await http::async_write(stream, msg, use_tuple);
        co_return ec ? ec : beast::error_code(net::error::eof);  // the connection closes
    }
    http::response<http::buffer_body> res;
    set_head(res, r, version, keep_alive);
    res.content_length(slice.length);
    res.body().data = nullptr;
    res.body().more = true;
    http::response_serializer<http::buffer_body> sr{res};
    lowest.expires_after(timeout);
    auto [ec, n] = co_await http::async_write_header(stream, sr, use_tuple);
    std::vector<char> piece(64 * 1024);
    std::uint64_t offset = slice.offset, left = slice.length;
    while (!ec && left > 0) {
        auto got = ::pread(fd, piece.data(), std::min<std::uint64_t>(piece.size(), left), static_cast<off_t>(offset));
        if (got <= 0) {
            ec = beast::error_code(got < 0 ? errno : EIO, boost::system::generic_category());
            break;
        }
        res.body().data = piece.data();
        res.body().size = static_cast<std::size_t>(got);
        res.body().more = true;
        lowest.expires_after(timeout);
        std::tie(ec, n) = co_await http::async_write(stream, sr, use_tuple);
        if (ec == http::error::need_buffer) ec = {};
        offset += static_cast<std::uint64_t>(got);
        left -= static_cast<std::uint64_t>(got);
    }
    ::close(fd);
    if (!ec) {
        res.body().data = nullptr;
        res.body().more = false;
        std::tie(ec, n) = co_await http::async_write(stream, sr, use_tuple);
    }
    co_return ec;
}

// Reads the rest of a request into a new file of the spool's directory. Each piece must come
// within request_timeout (an upload of hundreds of megabytes may take longer as a whole). On
// any error the file is gone and no spooled body is returned.
template <class Stream>
net::awaitable<std::pair<beast::error_code, std::optional<spooled_body>>> read_spooled(
    Stream& stream, beast::flat_buffer& buffer, std::chrono::milliseconds timeout,
    http::request_parser<http::string_body>&& head_parser, body_spool const& spool) {
    auto& lowest = beast::get_lowest_layer(stream);
    auto file = spool.dir / ("upload-" + crypto::random_hex(12));
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        log::error("http.spool_failed", {{"dir", spool.dir.string()}, {"error", std::strerror(errno)}});
        co_return std::pair{beast::error_code(errno, boost::system::generic_category()), std::nullopt};
    }
    http::request_parser<spool_body> parser(std::move(head_parser));
    parser.body_limit(spool.max_bytes);
    parser.get().body().fd = fd;
    beast::error_code ec;
    while (!ec && !parser.is_done()) {
        lowest.expires_after(timeout);
        std::size_t n = 0;
        std::tie(ec, n) = co_await http::async_read_some(stream, buffer, parser, use_tuple);
    }
    auto const& body = parser.get().body();
    if (!ec && ::fsync(fd) != 0) ec = beast::error_code(errno, boost::system::generic_category());
    ::close(fd);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(file, ignored);
        co_return std::pair{ec, std::nullopt};
    }
    co_return std::pair{ec, spooled_body{file, body.bytes, body.hash->hex_digest()}};
}

}  // namespace signoff::http_bodies
