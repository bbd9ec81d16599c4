#include "config/validate.hpp"

#include "bot/core/language.hpp"
#include "bot/core/time.hpp"
#include "bot/core/url.hpp"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace signoff::config {
namespace {

constexpr std::array channel_names{"telegram", "whatsapp", "wecom", "sms"};
constexpr double min_inbound_retention_days = 7;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool digits(std::string_view s, std::size_t min, std::size_t max) {
    return s.size() >= min && s.size() <= max && std::all_of(s.begin(), s.end(), is_digit);
}

bool valid_id(std::string_view s) {
    auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || is_digit(c); };
    return !s.empty() && lower_or_digit(s[0]) && std::all_of(s.begin(), s.end(), [&](char c) {
        return lower_or_digit(c) || c == '.' || c == '_' || c == '-';
    });
}

bool valid_tier_name(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '-';
    });
}

bool is_e164(std::string_view s) { return s.starts_with('+') && digits(s.substr(1), 8, 15); }

// "HOST:PORT"; PORT may be omitted when REQUIRE_PORT is false.
bool valid_host_port(std::string_view s, bool require_port) {
    auto colon = s.rfind(':');
    if (colon == std::string_view::npos || (s.starts_with('[') && colon < s.find(']'))) {
        return !require_port && is_valid_host(s);
    }
    auto port = s.substr(colon + 1);
    return is_valid_host(s.substr(0, colon)) && digits(port, 1, 5) && std::stoi(std::string(port)) <= 65535;
}

bool known_zone(std::string const& name) {
    try {
        return date::locate_zone(name) != nullptr;
    } catch (std::exception const&) {
        return false;
    }
}

class checker {
  public:
    checker(config const& c, source_info const& src, std::vector<problem>& out) : c_(c), src_(src), out_(out) {}

    void run() {
        top();
        people();
        roles();
        tiers();
        sla_and_content();
        server_and_store();
        timers();
        channels();
        api();
    }

  private:
    config const& c_;
    source_info const& src_;
    std::vector<problem>& out_;

    void error(std::string const& path, std::string message) { out_.push_back({path, std::move(message)}); }
    void warn(std::string const& path, std::string message) { out_.push_back({path, std::move(message), true}); }

    std::string quoted(std::string const& path, std::string const& value) const {
        return src_.from_env.contains(path) ? "(value from the environment)" : "\"" + value + "\"";
    }

    template <class List>
    void one_of(std::string const& path, std::string const& value, List const& allowed) {
        if (std::find(std::begin(allowed), std::end(allowed), value) != std::end(allowed)) return;
        std::string list;
        for (auto const& a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        error(path, "expected one of " + list + ", got " + quoted(path, value));
    }

    void url(std::string const& path, std::string const& value, bool loopback_rule) {
        url_parts u;
        if (!parse_url(value, u))
            error(path, "expected an absolute http(s) URL");
        else if (loopback_rule && u.scheme != "https" && !is_loopback_host(u.host))
            error(path, "plain http is allowed only toward loopback test servers");
    }

    void positive(std::string const& path, double v) {
        if (!(v > 0)) error(path, "must be greater than 0");
    }

    void seconds_within(std::string const& path, double v, double max) {
        if (!(v >= 0.001 && v <= max)) error(path, "must be from 0.001 to " + std::to_string(int(max)) + " seconds");
    }

    // Ids of one kind: well-formed and unique.
    template <class T>
    void ids(std::string const& list, std::vector<T> const& items) {
        std::map<std::string, std::size_t> first;
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto path = join_path(index_path(list, i), "id");
            auto const& id = items[i].id;
            if (id.empty())
                error(path, "required");
            else if (!valid_id(id))
                error(path, quoted(path, id) + " is not a valid id (lowercase letters and digits, then also . _ -)");
            else if (auto [it, fresh] = first.emplace(id, i); !fresh)
                error(path, "duplicate id \"" + id + "\" (also " + index_path(list, it->second) + ")");
        }
    }

    // With no people at all (already an error) every reference would dangle: say it once.
    void person_ref(std::string const& path, std::string const& id) {
        if (!c_.people.empty() && !c_.find_person(id)) error(path, "unknown person " + quoted(path, id));
    }

    void top();
    void people();
    void roles();
    void tiers();
    void sla_and_content();
    void server_and_store();
    void timers();
    void channels();
    void api();
};

void checker::top() {
    if (c_.organisation.empty()) error("organisation", "required");
    if (!known_zone(c_.timezone)) error("timezone", "unknown time zone " + quoted("timezone", c_.timezone));
    one_of("log_level", c_.log_level, std::array{"debug", "info", "warn", "error"});
}

void checker::people() {
    if (c_.people.empty()) error("people", "at least one person is required");
    ids("people", c_.people);
    for (std::size_t i = 0; i < c_.people.size(); ++i) {
        auto const& p = c_.people[i];
        auto base = index_path("people", i);
        if (!languages::find(p.language))
            error(join_path(base, "language"), "expected a supported language tag: " +
                                                   std::string(languages::accepted_list()) + ", got " +
                                                   quoted(join_path(base, "language"), p.language));
        if (!p.whatsapp.empty() && !digits(p.whatsapp, 8, 15))
            error(join_path(base, "whatsapp"), "expected 8 to 15 digits, country code first, no \"+\"");
        if (!p.sms.empty() && !is_e164(p.sms))
            error(join_path(base, "sms"), "expected an E.164 number: \"+\" and 8 to 15 digits");
        for (std::size_t j = 0; j < p.prefer.size(); ++j)
            one_of(index_path(join_path(base, "prefer"), j), p.prefer[j], channel_names);
    }
    for (std::size_t i = 0; i < c_.observers.size(); ++i) person_ref(index_path("observers", i), c_.observers[i]);
}

void checker::roles() {
    if (c_.roles.empty()) error("roles", "at least one role is required");
    ids("roles", c_.roles);
    std::map<std::string, std::string> owner;  // topic → role id
    for (std::size_t i = 0; i < c_.roles.size(); ++i) {
        auto const& r = c_.roles[i];
        auto base = index_path("roles", i);
        if (r.head.empty())
            error(join_path(base, "head"), "required");
        else
            person_ref(join_path(base, "head"), r.head);
        if (!r.fallback.empty()) {
            person_ref(join_path(base, "fallback"), r.fallback);
            if (r.fallback == r.head) error(join_path(base, "fallback"), "must differ from head");
        }
        for (std::size_t j = 0; j < r.topics.size(); ++j) {
            auto path = index_path(join_path(base, "topics"), j);
            if (r.topics[j].empty())
                error(path, "must not be empty");
            else if (auto [it, fresh] = owner.emplace(r.topics[j], r.id); !fresh)
                error(path, "topic " + quoted(path, r.topics[j]) + " is already owned by role \"" + it->second + "\"");
        }
        for (std::size_t j = 0; j < r.regions.size(); ++j)
            if (r.regions[j].empty()) error(index_path(join_path(base, "regions"), j), "must not be empty");
    }
}

void checker::tiers() {
    if (!c_.tiers.contains("general")) error("tiers", "a \"general\" tier is required (items without a tier use it)");
    for (auto const& [name, steps] : c_.tiers) {
        auto base = join_path("tiers", name);
        if (!valid_tier_name(name)) error(base, "tier names use lowercase letters, digits, \"_\" and \"-\"");
        if (steps.empty()) error(base, "must list at least one step");
        for (std::size_t j = 0; j < steps.size(); ++j) {
            auto path = index_path(base, j);
            auto const& s = steps[j];
            bool is_role = c_.find_role(s) != nullptr, is_person = c_.find_person(s) != nullptr;
            if (is_role && is_person)
                error(path, quoted(path, s) + " is both a role id and a person id; rename one of them");
            else if (s != "@head" && s != "@fallback" && !is_role && !is_person && !c_.people.empty() &&
                     !c_.roles.empty())
                error(path, quoted(path, s) + " is not @head, @fallback, a role id or a person id");
        }
    }
    auto const& raise = c_.content.prohibited_raises_tier_to;
    if (!raise.empty() && !c_.tiers.contains(raise))
        error("content.prohibited_raises_tier_to",
              "unknown tier " + quoted("content.prohibited_raises_tier_to", raise));
}

void checker::sla_and_content() {
    auto const& s = c_.sla;
    positive("sla.approval_hours", s.approval_hours);
    positive("sla.response_hours", s.response_hours);
    positive("sla.interim_hours", s.interim_hours);
    if (!(s.remind_before_hours >= 0)) error("sla.remind_before_hours", "must not be negative");
    positive("sla.urgent_minutes", s.urgent_minutes);
    if (!parse_hh_mm(s.digest_at)) error("sla.digest_at", "expected \"HH:MM\" from 00:00 to 23:59");

    for (std::size_t i = 0; i < c_.content.prohibited.size(); ++i)
        if (c_.content.prohibited[i].empty()) error(index_path("content.prohibited", i), "must not be empty");
    for (auto const& [type, rule] : c_.content.media) {
        auto path = join_path("content.media", type);
        auto slash = type.find('/');
        if (slash == std::string::npos || slash == 0 || slash + 1 == type.size())
            error(path, "expected a media type such as \"image/jpeg\"");
        if (rule.min_bytes && rule.max_bytes && *rule.min_bytes > *rule.max_bytes)
            error(path, "min_bytes is larger than max_bytes");
        if (rule.min_width && rule.max_width && *rule.min_width > *rule.max_width)
            error(path, "min_width is larger than max_width");
        if (rule.min_height && rule.max_height && *rule.min_height > *rule.max_height)
            error(path, "min_height is larger than max_height");
    }
}

void checker::server_and_store() {
    auto const& s = c_.server;
    if (!valid_host_port(s.listen, true))
        error("server.listen", "expected HOST:PORT with a port from 0 to 65535, e.g. \"127.0.0.1:8080\"");
    if (!s.public_url.empty()) url("server.public_url", s.public_url, false);
    positive("server.request_timeout_seconds", s.request_timeout_seconds);
    positive("server.idle_timeout_seconds", s.idle_timeout_seconds);
    positive("server.header_timeout_seconds", s.header_timeout_seconds);
    if (s.tls && s.tls->cert_file.empty()) error("server.tls.cert_file", "required when tls is set");
    if (s.tls && s.tls->key_file.empty()) error("server.tls.key_file", "required when tls is set");
    one_of("store.synchronous", c_.store.synchronous, std::array{"off", "normal", "full", "extra"});
    positive("store.outbox_retention_days", c_.store.outbox_retention_days);
    positive("console.session_hours", c_.console.session_hours);
    // A dedupe key forgotten while the platform may still retry its webhook would let the retry
    // take effect twice; WhatsApp retries for up to 7 days (Telegram 24 hours, WeCom seconds).
    if (!(c_.store.inbound_retention_days >= min_inbound_retention_days))
        error("store.inbound_retention_days",
              "must be at least 7 days: WhatsApp retries an unanswered webhook for up to 7 days, and a dedupe key "
              "must outlive every retry");
}

void checker::timers() {
    // Below a millisecond the timers would spin; above these a deadline would pass unnoticed
    // for an hour, or the first retry would wait longer than the backoff's cap of ten minutes.
    seconds_within("timers.tick_seconds", c_.timers.tick_seconds, 3600);
    seconds_within("timers.first_retry_seconds", c_.timers.first_retry_seconds, 600);
}

void checker::channels() {
    auto const& ch = c_.channels;
    url("channels.telegram.api_base", ch.telegram.api_base, true);
    url("channels.whatsapp.api_base", ch.whatsapp.api_base, true);
    url("channels.wecom.api_base", ch.wecom.api_base, true);
    url("channels.sms.api_base", ch.sms.api_base, true);

    // A credential whose variable is unset is already an error; the channel is then taken as
    // meant to be active, so that the error is not buried under warnings that follow from it.
    using credentials = std::initializer_list<std::pair<char const*, std::string const*>>;
    auto active = [&](std::string const& path, credentials creds) {
        std::string missing;
        for (auto const& [name, value] : creds)
            if (value->empty() && !src_.unset.contains(join_path(path, name)))
                missing += (missing.empty() ? "" : ", ") + std::string(name);
        if (missing.empty()) return true;
        bool none = std::all_of(creds.begin(), creds.end(), [](auto const& c) { return c.second->empty(); });
        if (src_.present(path))  // an absent block is inactive without comment
            warn(path, none ? "inactive (no credentials)" : "inactive (missing " + missing + ")");
        return false;
    };
    bool telegram = active("channels.telegram",
                           {{"bot_token", &ch.telegram.bot_token}, {"secret_token", &ch.telegram.secret_token}});
    bool whatsapp = active("channels.whatsapp", {{"access_token", &ch.whatsapp.access_token},
                                                 {"app_secret", &ch.whatsapp.app_secret},
                                                 {"phone_number_id", &ch.whatsapp.phone_number_id}});
    bool wecom = active("channels.wecom", {{"corp_id", &ch.wecom.corp_id},
                                           {"corp_secret", &ch.wecom.corp_secret},
                                           {"token", &ch.wecom.token},
                                           {"encoding_aes_key", &ch.wecom.encoding_aes_key}});
    bool sms =
        active("channels.sms",
               {{"account_sid", &ch.sms.account_sid}, {"auth_token", &ch.sms.auth_token}, {"from", &ch.sms.from}});

    if (!ch.whatsapp.phone_number_id.empty() && !digits(ch.whatsapp.phone_number_id, 1, 32))
        error("channels.whatsapp.phone_number_id", "expected digits only");
    if (whatsapp && ch.whatsapp.verify_token.empty())
        warn("channels.whatsapp.verify_token", "empty: the webhook verification handshake will be refused");
    if (whatsapp && ch.whatsapp.message_template.name.empty())
        warn("channels.whatsapp.template.name", "empty: messages outside the 24-hour window cannot be delivered");
    if (!ch.wecom.encoding_aes_key.empty() && ch.wecom.encoding_aes_key.size() != 43)
        error("channels.wecom.encoding_aes_key", "expected 43 characters");
    if (wecom && ch.wecom.agent_id == 0) error("channels.wecom.agent_id", "required when wecom is configured");

    // With no channel at all, one warning says what a warning per person would.
    if (!telegram && !whatsapp && !wecom && !sms)
        return warn("channels", "no channel is active: messages will be recorded as undeliverable");
    for (std::size_t i = 0; i < c_.people.size(); ++i) {
        auto const& p = c_.people[i];
        bool reachable = (telegram && p.telegram) || (whatsapp && !p.whatsapp.empty()) || (wecom && !p.wecom.empty()) ||
                         (sms && !p.sms.empty());
        if (!reachable) warn(index_path("people", i), "\"" + p.id + "\" is not reachable on any active channel");
    }
}

void checker::api() {
    std::map<std::string, std::size_t> names;
    for (std::size_t i = 0; i < c_.api.keys.size(); ++i) {
        auto const& k = c_.api.keys[i];
        auto base = index_path("api.keys", i);
        if (k.name.empty())
            error(join_path(base, "name"), "required");
        else if (auto [it, fresh] = names.emplace(k.name, i); !fresh)
            error(join_path(base, "name"),
                  "duplicate key name \"" + k.name + "\" (also " + index_path("api.keys", it->second) + ")");
        for (std::size_t j = 0; j < k.scopes.size(); ++j)
            one_of(index_path(join_path(base, "scopes"), j), k.scopes[j], std::array{"submit", "read", "admin"});
        if (k.key.empty()) {
            warn(join_path(base, "key"), "empty: this key is disabled");
            continue;
        }
        for (std::size_t j = 0; j < i; ++j)
            if (c_.api.keys[j].key == k.key)
                error(join_path(base, "key"), "the same key as " + index_path("api.keys", j) + "; keys must differ");
    }
    if (auto const& cb = c_.api.callback) {
        url("api.callback.url", cb->url, true);
        if (cb->secret.empty()) error("api.callback.secret", "required when a callback url is set");
    }
}

}  // namespace

void validate(config const& c, source_info const& src, std::vector<problem>& out) { checker(c, src, out).run(); }

}  // namespace signoff::config
