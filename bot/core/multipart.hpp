#pragma once
// multipart/form-data bodies (RFC 7578) for uploads to platform APIs, built as data.

#include <optional>
#include <string>
#include <vector>

namespace signoff::multipart {

struct part {
    std::string name;                          // the form field's name
    std::string value;                         // its value, or the file's bytes
    std::optional<std::string> filename{};     // set for a file
    std::optional<std::string> content_type{}; // a file's MIME type
};

struct body {
    std::string content_type;  // "multipart/form-data; boundary=…", for the Content-Type header
    std::string bytes;
};

// The boundary is derived from the parts' SHA-256, so it cannot occur in them and the same
// parts always give the same body. Names and file names must not hold '"', CR or LF.
body form(std::vector<part> const& parts);

}  // namespace signoff::multipart
