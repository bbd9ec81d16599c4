#include "bot/core/multipart.hpp"

#include "bot/core/crypto.hpp"

namespace signoff::multipart {

body form(std::vector<part> const& parts) {
    std::string all;
    for (auto const& p : parts) all += p.name + '\0' + p.value + '\0';
    auto const boundary = "signoff-" + crypto::sha256_hex(all);
    body out{.content_type = "multipart/form-data; boundary=" + boundary, .bytes = {}};
    for (auto const& p : parts) {
        out.bytes += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
        if (p.filename) out.bytes += "; filename=\"" + *p.filename + "\"";
        out.bytes += "\r\n";
        if (p.content_type) out.bytes += "Content-Type: " + *p.content_type + "\r\n";
        out.bytes += "\r\n" + p.value + "\r\n";
    }
    out.bytes += "--" + boundary + "--\r\n";
    return out;
}

}  // namespace signoff::multipart
