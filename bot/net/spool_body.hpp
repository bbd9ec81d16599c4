#pragma once
// A Beast body that writes what arrives to an open file and hashes it on the way (SHA-256), so
// an upload of hundreds of megabytes never sits in memory. Only parsing is supported.

#include "bot/core/crypto.hpp"

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional/optional.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <memory>

namespace signoff {

struct spool_body {
    struct value_type {
        int fd = -1;  // owned by the caller
        std::uint64_t bytes = 0;
        std::shared_ptr<crypto::sha256_stream> hash = std::make_shared<crypto::sha256_stream>();
    };

    class reader {
    public:
        template <bool isRequest, class Fields>
        reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

        void init(boost::optional<std::uint64_t> const&, boost::beast::error_code& ec) {
            ec = body_.fd < 0 ? boost::beast::error_code(EBADF, boost::system::generic_category())
                              : boost::beast::error_code{};
        }

        template <class ConstBufferSequence>
        std::size_t put(ConstBufferSequence const& buffers, boost::beast::error_code& ec) {
            std::size_t taken = 0;
            for (auto const b : boost::beast::buffers_range_ref(buffers)) {
                auto const* p = static_cast<char const*>(b.data());
                std::size_t left = b.size();
                body_.hash->update(p, left);
                while (left > 0) {
                    auto n = ::write(body_.fd, p, left);
                    if (n < 0 && errno == EINTR) continue;
                    if (n <= 0) {
                        ec = boost::beast::error_code(errno ? errno : EIO, boost::system::generic_category());
                        return taken;
                    }
                    p += n;
                    left -= static_cast<std::size_t>(n);
                    taken += static_cast<std::size_t>(n);
                }
            }
            body_.bytes += taken;
            ec = {};
            return taken;
        }

        void finish(boost::beast::error_code& ec) { ec = {}; }

    private:
        value_type& body_;
    };
};

}  // namespace signoff
