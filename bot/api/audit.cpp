#include "bot/api/auth.hpp"
#include "bot/core/api_error.hpp"
#include "bot/api/routes.hpp"
#include "store/audit.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <optional>
#include <string>

namespace signoff {

namespace {
constexpr std::int64_t max_json_limit = 500;
constexpr std::int64_t default_json_limit = 100;
constexpr std::int64_t max_ndjson_limit = 100000;
constexpr std::int64_t default_ndjson_limit = 10000;
constexpr std::size_t max_export_bytes = 8 * 1024 * 1024;  // one answer's body, past its first event
constexpr std::int64_t read_chunk = 1000;                   // events read from the store at a time

bool wants_ndjson(http_request const& req) {
    auto accept = req.header("Accept");
    return accept && accept->find("application/x-ndjson") != std::string_view::npos;
}
}  // namespace

// One page of the export, read and serialised on the bulk executor: at most `limit` events
// and, past the first, at most max_export_bytes of body, so neither a large limit nor large
// events can make one answer unbounded.
struct export_page {
    std::string body;                     // NDJSON lines, or the JSON array's elements joined by ','
    std::size_t count = 0;
    std::optional<std::int64_t> next_after;  // set when more events may follow
};

export_page read_page(app& a, std::int64_t after, std::int64_t limit, bool ndjson) {
    export_page page;
    std::int64_t last = after;
    bool more = true;
    a.readers.with([&](sqlite::database& db) {
        while (more && static_cast<std::int64_t>(page.count) < limit && page.body.size() < max_export_bytes) {
            auto const want = std::min<std::int64_t>(read_chunk, limit - static_cast<std::int64_t>(page.count));
            auto events = store::events_after(db, last, static_cast<int>(want));
            more = static_cast<std::int64_t>(events.size()) == want;
            for (auto const& e : events) {
                if (page.count > 0 && page.body.size() >= max_export_bytes) {
                    more = true;
                    break;
                }
                if (!ndjson && page.count > 0) page.body += ',';
                page.body += e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                if (ndjson) page.body += '\n';
                last = e["id"].get<std::int64_t>();
                ++page.count;
            }
        }
    });
    if (more && page.count > 0) page.next_after = last;
    return page;
}

void add_audit_routes(router& routes, app& a) {
    routes.add("GET", "/api/v1/audit",
               [&a](http_request const& req, route_params const&) -> boost::asio::awaitable<http_response> {
                   authorise(a, req, "read");
                   bool ndjson = wants_ndjson(req);
                   auto after = int_query(req, "after").value_or(0);
                   auto limit = int_query(req, "limit").value_or(ndjson ? default_ndjson_limit : default_json_limit);
                   auto max = ndjson ? max_ndjson_limit : max_json_limit;
                   if (limit < 1 || limit > max)
                       throw api_error(400, "invalid_value", "limit must be between 1 and " + std::to_string(max),
                                       "limit");
                   auto page = co_await boost::asio::co_spawn(
                       a.bulk, [&]() -> boost::asio::awaitable<export_page> { co_return read_page(a, after, limit, ndjson); },
                       boost::asio::use_awaitable);
                   http_response r;
                   if (ndjson) {
                       r.content_type = "application/x-ndjson";
                       r.body = std::move(page.body);
                       if (page.next_after) r.headers.emplace_back("X-Next-After", std::to_string(*page.next_after));
                   } else {
                       auto next = page.next_after ? std::to_string(*page.next_after) : std::string("null");
                       r.body = "{\"events\":[" + page.body + "],\"next_after\":" + next + "}";
                   }
                   co_return r;
               });
}

}  // namespace signoff
