#include "bot/core/crypto.hpp"
#include "bot/actions/actions.hpp"
#include "bot/api/auth.hpp"
#include "bot/core/api_error.hpp"
#include "bot/api/routes.hpp"
#include "store/audit.hpp"
#include "store/items.hpp"
#include "store/keys.hpp"

namespace signoff {

namespace {

using boost::asio::awaitable;

constexpr std::size_t max_idempotency_key = 255;
constexpr std::int64_t max_list_limit = 500;
constexpr std::int64_t default_list_limit = 50;
// An item read carries at most this many of its events, and past the first at most
// max_item_events_bytes of them; events_next_after continues (SPEC §5 leaves the size open).
constexpr int max_item_events = 200;
constexpr std::size_t max_item_events_bytes = 1024 * 1024;

bool is_known_status(std::string const& s) {
    for (char const* known : {item_status::pending, item_status::approved, item_status::published, item_status::rejected,
                              item_status::changes_requested, item_status::withdrawn, item_status::open,
                              item_status::acknowledged, item_status::resolved})
        if (s == known) return true;
    return false;
}

store::item_filter list_filter(http_request const& req, app const& a) {
    store::item_filter f;
    f.status = req.query("status");
    if (f.status && !is_known_status(*f.status))
        throw api_error(400, "invalid_value", "status \"" + *f.status + "\" is not a status", "status");
    f.kind = req.query("kind");
    if (f.kind && !is_known_kind(*f.kind))
        throw api_error(400, "invalid_value", "kind must be draft, complaint, query or feedback", "kind");
    f.assignee = req.query("assignee");
    f.role = req.query("role");
    if (auto overdue = req.query("overdue")) {
        if (*overdue == "true") f.overdue_at = a.clk.now();
        else if (*overdue != "false") throw api_error(400, "invalid_value", "overdue must be true or false", "overdue");
    }
    auto limit = int_query(req, "limit").value_or(default_list_limit);
    if (limit < 1 || limit > max_list_limit)
        throw api_error(400, "invalid_value", "limit must be between 1 and 500", "limit");
    f.limit = static_cast<int>(limit);
    if (auto after = int_query(req, "after")) f.before_id = *after;
    return f;
}

awaitable<http_response> create_item(app& a, key_rate_limits& limits, http_request const& req) {
    auto const& key = authorise(a, req, "submit");
    limits.take(key, key_rate_limits::kind::change, a.clk.now());
    require_json(req);
    std::optional<std::string> idem;
    if (auto h = req.header("Idempotency-Key")) {
        if (h->empty() || h->size() > max_idempotency_key)
            throw api_error(400, "invalid_value", "Idempotency-Key must be 1 to 255 characters", "Idempotency-Key");
        idem = std::string(*h);
    }
    auto submission = parse_submission(parse_body(req.body));
    auto request_hash = crypto::sha256_hex(req.body);
    http_response response;
    co_await a.writer.write([&](store::write_tx& tx) {
        auto now = a.clk.now();
        if (idem) {
            if (auto stored = store::find_idempotent(tx.db, key.name, *idem)) {
                if (stored->request_hash != request_hash)
                    throw api_error(409, "idempotency_conflict",
                                    "this Idempotency-Key was used with another body", "Idempotency-Key");
                response = http_response{.status = stored->status, .body = stored->body};
                return;
            }
        }
        // Urgent items are sent by SMS at once: their own, smaller bucket (a replay above sends nothing).
        if (submission.urgent) limits.take(key, key_rate_limits::kind::urgent, now);
        response = json_response(201, actions::submit(tx, {.cfg = a.cfg, .now = now, .recorded_by = key.name},
                                                      submission, key.name));
        if (idem) store::save_idempotent(tx.db, key.name, *idem, {request_hash, 201, response.body}, now);
    });
    co_return response;
}

awaitable<http_response> list_items(app& a, http_request const& req) {
    authorise(a, req, "read");
    auto filter = list_filter(req, a);
    auto body = a.readers.with([&](sqlite::database& db) {
        nlohmann::json items = nlohmann::json::array();
        auto found = store::list_items(db, filter);
        for (auto const& it : found) items.push_back(to_json(it, store::steps_of(db, it.id, it.revision)));
        nlohmann::json next = found.size() == static_cast<std::size_t>(filter.limit) ? nlohmann::json(found.back().id)
                                                                                    : nlohmann::json(nullptr);
        return nlohmann::json{{"items", std::move(items)}, {"next_after", std::move(next)}};
    });
    co_return json_response(200, body);
}

// The item with its revisions and one page of its events, oldest first after events_after.
awaitable<http_response> get_item(app& a, http_request const& req, route_params const& p) {
    authorise(a, req, "read");
    auto id = item_id_param(p["id"]);
    auto after = int_query(req, "events_after").value_or(0);
    auto body = a.readers.with([&](sqlite::database& db) {
        auto out = actions::item_json(db, id, true);
        add_media_links(out["media"], a);
        if (out.contains("revisions"))
            for (auto& r : out["revisions"]) add_media_links(r["media"], a);
        auto events = store::events_of_item_after(db, id, after, max_item_events + 1);
        out["events"] = nlohmann::json::array();
        std::size_t bytes = 0;
        for (auto& e : events) {
            if (out["events"].size() == static_cast<std::size_t>(max_item_events) ||
                (!out["events"].empty() && bytes >= max_item_events_bytes))
                break;
            bytes += e.dump().size();
            out["events"].push_back(std::move(e));
        }
        bool const cut = out["events"].size() < events.size();
        out["events_next_after"] = cut ? out["events"].back()["id"] : nlohmann::json(nullptr);
        return out;
    });
    co_return json_response(200, body);
}

// The shape shared by the POST /api/v1/items/{id}/… endpoints: authorise, parse, one write.
template <class Apply>
awaitable<http_response> item_change(app& a, key_rate_limits& limits, http_request const& req, route_params const& p,
                                     std::string_view scope, Apply apply) {
    auto const& key = authorise(a, req, scope);
    limits.take(key, key_rate_limits::kind::change, a.clk.now());
    require_json(req);
    auto id = item_id_param(p["id"]);
    auto body = parse_body(req.body);
    nlohmann::json result;
    co_await a.writer.write([&](store::write_tx& tx) {
        // The recorder is the key, or "console:<person>" for whoever clicked in the console.
        actions::context ctx{.cfg = a.cfg, .now = a.clk.now(), .recorded_by = key.name,
                             .channel = key.person.empty() ? "api" : "console"};
        result = apply(tx, ctx, id, body, key);
    });
    co_return json_response(200, result);
}

// Revising, withdrawing and reporting publication belong to the key that submitted the item,
// or to an admin key (SPEC §5). Checked in the change's transaction, before it.
void require_owner(store::write_tx& tx, config::api_key const& key, std::int64_t id) {
    if (key.has_scope("admin")) return;
    auto it = store::find_item(tx.db, id);
    if (it && it->submitted_by != key.name)
        throw api_error(403, "not_owner",
                        "item #" + std::to_string(id) + " was submitted with another API key; only that key or an "
                        "admin key may change it");
}

// The owner's changes: item_change after require_owner.
template <class Apply>
awaitable<http_response> owner_change(app& a, key_rate_limits& limits, http_request const& req,
                                      route_params const& p, Apply apply) {
    return item_change(a, limits, req, p, "submit",
                       [apply](auto& tx, auto const& ctx, auto id, auto const& body, auto const& key) {
                           require_owner(tx, key, id);
                           return apply(tx, ctx, id, body, key);
                       });
}

// The checks a draft would get, for the console's submit form; nothing is stored.
awaitable<http_response> preview_checks(app& a, http_request const& req) {
    authorise(a, req, "submit");
    require_json(req);
    auto submission = parse_submission(parse_body(req.body));
    auto body = a.readers.with([&](sqlite::database& db) { return actions::preview_checks(db, a.cfg, submission); });
    co_return json_response(200, body);
}

}  // namespace

void add_item_routes(router& routes, app& a, shared_limits limits) {
    routes.add("POST", "/api/v1/checks", [&a](http_request const& req, route_params const&) { return preview_checks(a, req); },
               needs_key(a, "submit"));
    routes.add(
        "POST", "/api/v1/items",
        [&a, limits](http_request const& req, route_params const&) { return create_item(a, *limits, req); },
        needs_key(a, "submit"));
    routes.add("GET", "/api/v1/items", [&a](http_request const& req, route_params const&) { return list_items(a, req); });
    routes.add("GET", "/api/v1/items/{id}",
               [&a](http_request const& req, route_params const& p) { return get_item(a, req, p); });
    routes.add("POST", "/api/v1/items/{id}/revisions", [&a, limits](http_request const& req, route_params const& p) {
        return owner_change(a, *limits, req, p, [](auto& tx, auto const& ctx, auto id, auto const& body, auto const& key) {
            return actions::revise(tx, ctx, id, body, key.name);
        });
    }, needs_key(a, "submit"));
    routes.add("POST", "/api/v1/items/{id}/published", [&a, limits](http_request const& req, route_params const& p) {
        return owner_change(a, *limits, req, p, [](auto& tx, auto const& ctx, auto id, auto const& body, auto const&) {
            return actions::publish(tx, ctx, id, parse_publication(body));
        });
    }, needs_key(a, "submit"));
    routes.add("POST", "/api/v1/items/{id}/withdraw", [&a, limits](http_request const& req, route_params const& p) {
        return owner_change(a, *limits, req, p, [](auto& tx, auto const& ctx, auto id, auto const& body, auto const&) {
            return actions::withdraw(tx, ctx, id, parse_reason(body));
        });
    }, needs_key(a, "submit"));
    routes.add("POST", "/api/v1/items/{id}/decisions", [&a, limits](http_request const& req, route_params const& p) {
        return item_change(a, *limits, req, p, "decide", [](auto& tx, auto const& ctx, auto id, auto const& body,
                                                            auto const& key) {
            auto input = parse_decision(body);
            auto what = engine::parse_action(input.action);
            if (!what)
                throw api_error(400, "invalid_value", "action must be approve, reject, changes, interim or reply",
                                "action");
            // A person signed in to the console decides their own steps; admins and admin keys anyone's.
            if (!key.has_scope("admin") && input.person != key.person)
                throw api_error(403, "forbidden", key.person + " may decide only their own steps, not " + input.person +
                                                      "'s", "person");
            actions::decide(tx, ctx, id, {*what, input.person, input.text, input.revision});
            return actions::item_json(tx.db, id, false);
        });
    }, needs_key(a, "decide"));
}

}  // namespace signoff
