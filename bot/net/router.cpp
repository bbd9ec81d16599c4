#include "bot/net/router.hpp"

#include "bot/core/api_error.hpp"
#include "bot/core/log.hpp"
#include "bot/core/url.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace signoff {

namespace {

// "/a/b/" → {"a", "b", ""}: a trailing slash is a distinct (empty) segment, so it does not match.
std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.empty() || path.front() != '/') return out;
    path.remove_prefix(1);
    for (;;) {
        auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

bool is_param(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Path segments are percent-decoded without the query rule that '+' is a space.
std::optional<std::string> decode_segment(std::string_view text) { return percent_decode(text, false); }

bool match(std::vector<std::string> const& pattern, std::vector<std::string_view> const& path, route_params& params) {
    if (pattern.size() != path.size()) return false;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (!is_param(pattern[i])) {
            if (pattern[i] != path[i]) return false;
            continue;
        }
        auto value = decode_segment(path[i]);
        if (!value || value->empty()) return false;
        params.values.emplace_back(pattern[i].substr(1, pattern[i].size() - 2), std::move(*value));
    }
    return true;
}

}  // namespace

std::string const& route_params::operator[](std::string_view name) const {
    for (auto const& [key, value] : values)
        if (key == name) return value;
    throw std::out_of_range("no route parameter named " + std::string(name));
}

http_response json_response(int status, nlohmann::json const& body) {
    http_response res;
    res.status = status;
    res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return res;
}

http_response error_response(int status, std::string code, std::string message, std::string field) {
    nlohmann::json error = {{"code", std::move(code)}, {"message", std::move(message)}};
    if (!field.empty()) error["field"] = std::move(field);
    return json_response(status, {{"error", std::move(error)}});
}

http_response error_response(api_error const& e) {
    auto res = error_response(e.status, e.code, e.what(), e.field);
    res.headers.insert(res.headers.end(), e.headers.begin(), e.headers.end());
    return res;
}

void router::add(std::string method, std::string pattern, handler h, head_check check,
                 std::optional<body_spool> spool) {
    std::vector<std::string> segments;
    for (auto s : split_path(pattern)) segments.emplace_back(s);
    routes_.push_back({std::move(method), std::move(segments), std::move(h), std::move(check), std::move(spool)});
}

body_spool const* router::spool_of(http_request const& head) const {
    route_params params;
    auto const* r = find(head, params);
    return r && r->spool ? &*r->spool : nullptr;
}

router::entry const* router::find(http_request const& req, route_params& params) const {
    auto const path = split_path(req.path());
    for (auto const& r : routes_) {
        params.values.clear();
        if (r.method == req.method && match(r.segments, path, params)) return &r;
    }
    return nullptr;
}

std::optional<http_response> router::check_head(http_request const& head) const {
    route_params params;
    auto const* r = find(head, params);
    if (!r || !r->check) return std::nullopt;
    try {
        r->check(head);
        return std::nullopt;
    } catch (api_error const& e) {
        return error_response(e);
    }
}

boost::asio::awaitable<http_response> router::route(http_request const& req) const {
    auto const path = split_path(req.path());
    std::vector<std::string_view> allowed;
    for (auto const& r : routes_) {
        route_params params;
        if (!match(r.segments, path, params)) continue;
        if (r.method != req.method) {
            if (std::find(allowed.begin(), allowed.end(), r.method) == allowed.end()) allowed.push_back(r.method);
            continue;
        }
        try {
            co_return co_await r.fn(req, params);
        } catch (api_error const& e) {
            co_return error_response(e);
        } catch (store_error const& e) {
            log::error("http.store_error", {{"method", req.method}, {"path", req.path()}, {"detail", e.what()}});
            co_return error_response(503, "store_unavailable", "the store is unavailable; retry later");
        } catch (std::exception const& e) {
            log::error("http.internal_error", {{"method", req.method}, {"path", req.path()}, {"detail", e.what()}});
            co_return error_response(500, "internal", "internal error");
        }
    }
    if (allowed.empty()) co_return error_response(404, "not_found", "no such resource: " + std::string(req.path()));
    std::string allow;
    for (auto m : allowed) allow += (allow.empty() ? "" : ", ") + std::string(m);
    auto res = error_response(405, "method_not_allowed", req.method + " is not allowed here; allowed: " + allow);
    res.headers.emplace_back("Allow", allow);
    co_return res;
}

}  // namespace signoff
