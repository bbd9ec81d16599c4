// The console's sign-in (SPEC §10): GET /login?token=… turns a one-time link into a session
// cookie, POST /logout ends it, GET /api/v1/session tells the pages who is signed in and the
// CSRF token their state-changing requests carry.

#include "bot/api/auth.hpp"
#include "bot/api/routes.hpp"
#include "bot/core/api_error.hpp"
#include "bot/core/log.hpp"
#include "store/sessions.hpp"

#include <cmath>

namespace signoff {

namespace {

using boost::asio::awaitable;

bool behind_https(config::config const& cfg) {
    return cfg.server.tls.has_value() || cfg.server.public_url.starts_with("https://");
}

std::string cookie(config::config const& cfg, std::string const& value, long max_age_seconds) {
    return std::string(session_cookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
           std::to_string(max_age_seconds) + (behind_https(cfg) ? "; Secure" : "");
}

// A page a browser shows; its words are the link's, not a person's language (nobody is known yet).
http_response refusal_page() {
    http_response r;
    r.status = 403;
    r.content_type = "text/html; charset=utf-8";
    r.headers = {{"Cache-Control", "no-store"}, {"Referrer-Policy", "no-referrer"}};
    r.body = "<!doctype html><meta charset=utf-8><meta name=viewport content=\"width=device-width\">"
             "<title>signoff</title><p>This sign-in link has expired or was used already. Send <b>login</b> to the "
             "signoff bot for a new one, or ask the PR desk.</p>";
    return r;
}

awaitable<http_response> sign_in(app& a, http_request const& req) {
    auto token = req.query("token");
    if (!token || token->empty() || token->size() > 128) co_return refusal_page();
    std::optional<std::string> id;
    store::session opened;
    co_await a.writer.write([&](store::write_tx& tx) {
        auto now = a.clk.now();
        auto person = store::redeem_login_token(tx.db, *token, now);
        if (!person || !a.cfg.find_person(*person)) return;
        auto lifetime = static_cast<millis>(std::llround(a.cfg.console.session_hours * ms_per_hour));
        id = store::open_session(tx.db, *person, lifetime, now, opened);
    });
    if (!id) {
        log::info("console.sign_in_refused", {{"remote", req.remote}});
        co_return refusal_page();
    }
    log::info("console.signed_in", {{"person", opened.person}});
    http_response r;
    r.status = 303;
    r.content_type = "text/plain; charset=utf-8";
    auto seconds = (opened.expires - a.clk.now()) / ms_per_second;
    r.headers = {{"Location", "/"}, {"Set-Cookie", cookie(a.cfg, *id, seconds)}, {"Cache-Control", "no-store"},
                 {"Referrer-Policy", "no-referrer"}};
    co_return r;
}

// The console key of the caller, refusing API keys: these routes are the console's own.
config::api_key const& console_caller(app const& a, http_request const& req) {
    auto const& key = authorise(a, req, "read");
    if (key.person.empty())
        throw api_error(403, "forbidden", "this is the console's own endpoint; API keys have no session");
    return key;
}

awaitable<http_response> sign_out(app& a, http_request const& req) {
    auto const& key = console_caller(a, req);
    auto id = cookie_value(req.headers, session_cookie);
    co_await a.writer.write([&](store::write_tx& tx) { store::end_session(tx.db, *id, a.clk.now()); });
    log::info("console.signed_out", {{"person", key.person}});
    auto r = json_response(200, {{"signed_in", false}});
    r.headers.emplace_back("Set-Cookie", cookie(a.cfg, "", 0));
    co_return r;
}

awaitable<http_response> whoami(app& a, http_request const& req) {
    if (req.header("Authorization"))
        throw api_error(403, "forbidden", "this is the console's own endpoint; API keys have no session");
    auto s = console_session(a, req);  // a read: no CSRF token needed
    auto const* p = s ? a.cfg.find_person(s->person) : nullptr;
    if (!p) throw api_error(401, "unauthorized", "the console session has ended; sign in again");
    co_return json_response(200, {{"person", p->id},
                                  {"name", p->name},
                                  {"language", p->language},
                                  {"admin", p->admin},
                                  {"publisher", p->publisher},
                                  {"csrf", s->csrf},
                                  {"expires", rfc3339(s->expires)}});
}

}  // namespace

void add_session_routes(router& routes, app& a) {
    routes.add("GET", "/login", [&a](http_request const& req, route_params const&) { return sign_in(a, req); });
    routes.add("POST", "/logout", [&a](http_request const& req, route_params const&) { return sign_out(a, req); });
    routes.add("GET", "/api/v1/session", [&a](http_request const& req, route_params const&) { return whoami(a, req); });
}

}  // namespace signoff
