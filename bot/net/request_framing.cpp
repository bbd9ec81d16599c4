#include "bot/net/request_framing.hpp"

#include <boost/beast/core/string.hpp>

#include <iterator>

namespace signoff {

namespace http = boost::beast::http;

bool plainly_chunked_or_absent(http::fields const& head) {
    auto [first, last] = head.equal_range(http::field::transfer_encoding);
    if (first == last) return true;
    if (std::next(first) != last) return false;
    auto value = first->value();
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    return boost::beast::iequals(value, "chunked");
}

}  // namespace signoff
