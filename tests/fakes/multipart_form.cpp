#include "fakes/multipart_form.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace signoff::test {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The value of `key="…"` (or key=token) among the `;`-separated parameters of a header value.
std::optional<std::string> parameter(std::string_view value, std::string_view key) {
    std::size_t at = 0;
    while ((at = value.find(';', at)) != std::string_view::npos) {
        ++at;
        auto rest = trim(value.substr(at));
        auto const eq = rest.find('=');
        if (eq == std::string_view::npos) continue;
        if (lower(trim(rest.substr(0, eq))) != key) continue;
        auto v = rest.substr(eq + 1);
        if (v.starts_with('"')) {
            auto const end = v.find('"', 1);
            if (end == std::string_view::npos) return std::nullopt;
            return std::string(v.substr(1, end - 1));
        }
        return std::string(trim(v.substr(0, v.find(';'))));
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::vector<form_part>> parse_form(std::string_view content_type, std::string_view body) {
    if (!lower(content_type).starts_with("multipart/form-data")) return std::nullopt;
    auto const boundary = parameter(content_type, "boundary");
    if (!boundary || boundary->empty()) return std::nullopt;
    auto const delimiter = "--" + *boundary;
    if (!body.starts_with(delimiter)) return std::nullopt;
    std::vector<form_part> parts;
    std::size_t at = delimiter.size();
    for (;;) {
        if (body.substr(at).starts_with("--")) return parts;  // the closing delimiter
        if (!body.substr(at).starts_with("\r\n")) return std::nullopt;
        at += 2;
        auto const headers_end = body.find("\r\n\r\n", at);
        if (headers_end == std::string_view::npos) return std::nullopt;
        form_part part;
        bool form_data = false;
        for (auto headers = body.substr(at, headers_end - at); !headers.empty();) {
            auto const eol = headers.find("\r\n");
            auto line = headers.substr(0, eol);
            headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
            auto const colon = line.find(':');
            if (colon == std::string_view::npos) return std::nullopt;
            auto const name = lower(trim(line.substr(0, colon)));
            auto const value = trim(line.substr(colon + 1));
            if (name == "content-disposition") {
                if (!lower(value).starts_with("form-data")) return std::nullopt;
                form_data = true;
                auto n = parameter(value, "name");
                if (!n) return std::nullopt;
                part.name = *n;
                part.filename = parameter(value, "filename");
            } else if (name == "content-type") {
                part.content_type = std::string(value);
            }
        }
        if (!form_data) return std::nullopt;
        auto const content = headers_end + 4;
        auto const end = body.find("\r\n" + delimiter, content);
        if (end == std::string_view::npos) return std::nullopt;
        part.value = std::string(body.substr(content, end - content));
        parts.push_back(std::move(part));
        at = end + 2 + delimiter.size();
    }
}

form_part const* find_part(std::vector<form_part> const& parts, std::string_view name) {
    for (auto const& p : parts)
        if (p.name == name) return &p;
    return nullptr;
}

std::vector<form_part> parts_of(http_call const& call) {
    auto type = find_header(call.headers, "Content-Type");
    if (!type) throw std::runtime_error("the request has no Content-Type");
    auto parts = parse_form(*type, call.body);
    if (!parts) throw std::runtime_error("the body is not well-framed multipart/form-data");
    return *parts;
}

}  // namespace signoff::test
