#include "config/load.hpp"

#include "config/console_keys.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/env_expand.hpp"
#include "config/strict_json.hpp"
#include "config/validate.hpp"

namespace signoff::config {
namespace {

using json = nlohmann::ordered_json;

template <class T>
struct value_of {
    using type = T;
};
template <class T>
struct value_of<std::optional<T>> {
    using type = T;
};

// Type-checks the document into the structs: every key must be known, every value of its type.
// Values are left at their defaults where a problem is reported; an empty string means absent.
class decoder {
  public:
    explicit decoder(std::vector<problem>& out) : out_(out) {}

    config read(json const& doc) {
        config c;
        object(doc, "",
               {
                   field_of("organisation", c.organisation),
                   field_of("timezone", c.timezone),
                   field_of("log_level", c.log_level),
                   field_of("server", c.server),
                   field_of("store", c.store),
                   field_of("media", c.media),
                   field_of("timers", c.timers),
                   field_of("people", c.people),
                   field_of("roles", c.roles),
                   field_of("observers", c.observers),
                   field_of("tiers", c.tiers),
                   field_of("sla", c.sla),
                   field_of("content", c.content),
                   field_of("channels", c.channels),
                   field_of("api", c.api),
                   field_of("audit", c.audit),
                   field_of("console", c.console),
               });
        c.console_keys = console_keys_for(c.people);
        // SPEC §4's default is "${SIGNOFF_MEDIA_SECRET:-}": the variable when the key is absent.
        bool const secret_given = doc.is_object() && doc.contains("media") && doc["media"].is_object() &&
                                  doc["media"].contains("link_secret");
        if (!secret_given)
            if (char const* env = std::getenv("SIGNOFF_MEDIA_SECRET")) c.media.link_secret = env;
        return c;
    }

  private:
    using reader = std::function<void(json const&, std::string const&)>;
    struct field {
        std::string_view key;
        reader read;
    };
    static constexpr std::int64_t int_max = std::numeric_limits<int>::max();
    static constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

    std::vector<problem>& out_;

    void error(std::string const& path, std::string message) { out_.push_back({path, std::move(message)}); }

    bool object(json const& j, std::string const& path, std::initializer_list<field> fields) {
        if (!j.is_object()) {
            error(path, "expected an object");
            return false;
        }
        for (auto const& [key, value] : j.items()) {
            // Not captured by the lambda: clang 14 (the fuzz build) cannot capture a structured binding.
            auto f = std::find_if(fields.begin(), fields.end(), [&k = key](field const& x) { return x.key == k; });
            if (f == fields.end())
                error(join_path(path, key), "unknown key");
            else
                f->read(value, join_path(path, key));
        }
        return true;
    }

    template <class T>
    field field_of(std::string_view key, T& dst) {
        return {key, [this, &dst](json const& v, std::string const& p) { get(v, p, dst); }};
    }
    template <class T>
    field integer(std::string_view key, T& dst, std::int64_t min, std::int64_t max) {
        return {key, [this, &dst, min, max](json const& v, std::string const& p) {
                    if (auto n = get_integer(v, p, min, max)) dst = static_cast<typename value_of<T>::type>(*n);
                }};
    }

    // A JSON integer, or a string of digits (so it can come from ${ENV}); "" is absent.
    std::optional<std::int64_t> get_integer(json const& v, std::string const& p, std::int64_t min, std::int64_t max) {
        std::optional<std::int64_t> n;
        if (v.is_number_integer() && !(v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(int64_max))) {
            n = v.get<std::int64_t>();
        } else if (v.is_string()) {
            auto const& s = v.get_ref<std::string const&>();
            if (s.empty()) return std::nullopt;
            std::int64_t x = 0;
            auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
            if (ec == std::errc() && end == s.data() + s.size() && s[0] != '+') n = x;
        }
        if (n && *n >= min && *n <= max) return n;
        if (max >= int_max)
            error(p,
                  min == 1 ? "expected a positive integer" : "expected an integer of at least " + std::to_string(min));
        else
            error(p, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
        return std::nullopt;
    }

    void get(json const& v, std::string const& p, std::string& dst) {
        if (!v.is_string()) return error(p, "expected a string");
        if (!v.get_ref<std::string const&>().empty()) dst = v.get<std::string>();
    }
    void get(json const& v, std::string const& p, bool& dst) {
        if (!v.is_boolean()) return error(p, "expected a boolean");
        dst = v.get<bool>();
    }
    void get(json const& v, std::string const& p, double& dst) {
        if (!v.is_number()) return error(p, "expected a number");
        dst = v.get<double>();
    }
    template <class T>
    void get(json const& v, std::string const& p, std::vector<T>& dst) {
        if (!v.is_array()) return error(p, "expected an array");
        dst.assign(v.size(), T{});
        for (std::size_t i = 0; i < v.size(); ++i) get(v[i], index_path(p, i), dst[i]);
    }
    template <class T>
    void get(json const& v, std::string const& p, std::map<std::string, T>& dst) {
        if (!v.is_object()) return error(p, "expected an object");
        dst.clear();
        for (auto const& [key, value] : v.items()) get(value, join_path(p, key), dst[key]);
    }

    void get(json const& v, std::string const& p, server_config& s) {
        object(v, p,
               {
                   field_of("listen", s.listen),
                   field_of("public_url", s.public_url),
                   integer("max_body_bytes", s.max_body_bytes, 1024, int64_max),
                   integer("threads", s.threads, 1, 64),
                   field_of("request_timeout_seconds", s.request_timeout_seconds),
                   field_of("idle_timeout_seconds", s.idle_timeout_seconds),
                   field_of("header_timeout_seconds", s.header_timeout_seconds),
                   integer("max_connections", s.max_connections, 1, 1000000),
                   {"tls",
                    [&](json const& tv, std::string const& tp) {
                        tls_config t;
                        object(tv, tp, {field_of("cert_file", t.cert_file), field_of("key_file", t.key_file)});
                        // Both empty (e.g. "${CERT:-}") means no TLS, as an empty callback url means no callback.
                        if (!t.cert_file.empty() || !t.key_file.empty()) s.tls = t;
                    }},
               });
    }
    void get(json const& v, std::string const& p, store_config& s) {
        object(v, p,
               {field_of("path", s.path), field_of("synchronous", s.synchronous),
                field_of("outbox_retention_days", s.outbox_retention_days),
                field_of("inbound_retention_days", s.inbound_retention_days)});
    }
    void get(json const& v, std::string const& p, timers_config& t) {
        object(v, p,
               {field_of("tick_seconds", t.tick_seconds), field_of("first_retry_seconds", t.first_retry_seconds)});
    }
    void get(json const& v, std::string const& p, person& x) {
        object(v, p,
               {
                   field_of("id", x.id),
                   field_of("name", x.name),
                   field_of("language", x.language),
                   integer("telegram", x.telegram, 1, int64_max),
                   field_of("whatsapp", x.whatsapp),
                   field_of("wecom", x.wecom),
                   field_of("sms", x.sms),
                   field_of("prefer", x.prefer),
                   field_of("admin", x.admin),
                   field_of("publisher", x.publisher),
               });
        if (x.name.empty()) x.name = x.id;
    }
    void get(json const& v, std::string const& p, role& x) {
        object(v, p,
               {
                   field_of("id", x.id),
                   field_of("title", x.title),
                   field_of("head", x.head),
                   field_of("fallback", x.fallback),
                   field_of("topics", x.topics),
                   field_of("regions", x.regions),
               });
        if (x.title.empty()) x.title = x.id;
    }
    void get(json const& v, std::string const& p, sla_config& s) {
        object(v, p,
               {
                   field_of("approval_hours", s.approval_hours),
                   field_of("response_hours", s.response_hours),
                   field_of("interim_hours", s.interim_hours),
                   field_of("remind_before_hours", s.remind_before_hours),
                   field_of("urgent_minutes", s.urgent_minutes),
                   field_of("digest_at", s.digest_at),
               });
    }
    void get(json const& v, std::string const& p, media_rule& m) {
        object(v, p,
               {integer("min_bytes", m.min_bytes, 0, int64_max), integer("max_bytes", m.max_bytes, 1, int64_max),
                integer("min_width", m.min_width, 1, int_max), integer("min_height", m.min_height, 1, int_max),
                integer("max_width", m.max_width, 1, int_max), integer("max_height", m.max_height, 1, int_max)});
    }
    void get(json const& v, std::string const& p, media_config& m) {
        object(v, p,
               {field_of("dir", m.dir), integer("max_upload_bytes", m.max_upload_bytes, 1, int64_max),
                field_of("link_secret", m.link_secret)});
    }
    void get(json const& v, std::string const& p, content_config& c) {
        object(v, p,
               {
                   {"limits",
                    [&](json const& lv, std::string const& lp) {
                        if (!lv.is_object()) return error(lp, "expected an object");
                        for (auto const& [key, value] : lv.items())
                            if (auto n = get_integer(value, join_path(lp, key), 1, int_max)) c.limits[key] = int(*n);
                    }},
                   field_of("prohibited", c.prohibited),
                   field_of("prohibited_raises_tier_to", c.prohibited_raises_tier_to),
                   field_of("media", c.media),
               });
    }
    void get(json const& v, std::string const& p, telegram_config& t) {
        object(v, p,
               {field_of("bot_token", t.bot_token), field_of("secret_token", t.secret_token),
                field_of("api_base", t.api_base)});
    }
    void get(json const& v, std::string const& p, whatsapp_template& t) {
        object(v, p, {field_of("name", t.name), field_of("language", t.language)});
    }
    void get(json const& v, std::string const& p, whatsapp_config& w) {
        object(v, p,
               {
                   field_of("access_token", w.access_token),
                   field_of("app_secret", w.app_secret),
                   field_of("verify_token", w.verify_token),
                   field_of("phone_number_id", w.phone_number_id),
                   field_of("api_base", w.api_base),
                   field_of("template", w.message_template),
               });
    }
    void get(json const& v, std::string const& p, wecom_config& w) {
        object(v, p,
               {
                   field_of("corp_id", w.corp_id),
                   field_of("corp_secret", w.corp_secret),
                   integer("agent_id", w.agent_id, 1, int64_max),
                   field_of("token", w.token),
                   field_of("encoding_aes_key", w.encoding_aes_key),
                   field_of("api_base", w.api_base),
               });
    }
    void get(json const& v, std::string const& p, sms_config& s) {
        object(v, p,
               {field_of("api_base", s.api_base), field_of("account_sid", s.account_sid),
                field_of("auth_token", s.auth_token), field_of("from", s.from)});
    }
    void get(json const& v, std::string const& p, channels_config& c) {
        object(v, p,
               {field_of("telegram", c.telegram), field_of("whatsapp", c.whatsapp), field_of("wecom", c.wecom),
                field_of("sms", c.sms)});
    }
    void get(json const& v, std::string const& p, api_key& k) {
        object(v, p,
               {field_of("name", k.name), field_of("key", k.key), field_of("scopes", k.scopes),
                integer("rate_per_minute", k.rate_per_minute, 1, int_max),
                integer("burst", k.burst, 1, int_max),
                integer("urgent_per_minute", k.urgent_per_minute, 1, int_max),
                integer("urgent_burst", k.urgent_burst, 1, int_max)});
    }
    void get(json const& v, std::string const& p, console_config& c) {
        object(v, p, {field_of("session_hours", c.session_hours)});
    }
    void get(json const& v, std::string const& p, audit_config& a) {
        object(v, p, {field_of("key", a.key)});
    }
    void get(json const& v, std::string const& p, api_config& a) {
        object(v, p,
               {
                   field_of("keys", a.keys),
                   {"callback",
                    [&](json const& cv, std::string const& cp) {
                        callback_config cb;
                        object(cv, cp, {field_of("url", cb.url), field_of("secret", cb.secret)});
                        if (!cb.url.empty()) a.callback = cb;
                    }},
               });
    }
};

bool has_error(std::vector<problem> const& ps, std::string const& path) {
    return std::any_of(ps.begin(), ps.end(), [&](problem const& p) { return !p.warning && p.path == path; });
}

}  // namespace

env_lookup process_env() {
    return [](std::string const& name) -> std::optional<std::string> {
        char const* v = std::getenv(name.c_str());
        return v ? std::optional<std::string>(v) : std::nullopt;
    };
}

load_result load_text(std::string_view json_text, env_lookup const& env) {
    load_result r;
    auto doc = parse_strict(json_text, r.problems);
    if (!doc) return r;
    if (!doc->is_object()) {
        r.problems.push_back({"", "expected a JSON object at the top level"});
        return r;
    }
    source_info src = expand_env(*doc, env, r.problems);
    config c = decoder(r.problems).read(*doc);

    // A value that is already wrong (wrong type, unset variable) gets no second complaint.
    std::vector<problem> checks;
    validate(c, src, checks);
    for (auto& p : checks)
        if (!has_error(r.problems, p.path)) r.problems.push_back(std::move(p));

    std::stable_sort(r.problems.begin(), r.problems.end(),
                     [&](problem const& a, problem const& b) { return src.position(a.path) < src.position(b.path); });
    if (std::none_of(r.problems.begin(), r.problems.end(), [](problem const& p) { return !p.warning; }))
        r.value = std::move(c);
    return r;
}

load_result load_file(std::string const& path, env_lookup const& env) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return {std::nullopt, {{"", "cannot read " + path + ": " + std::strerror(errno)}}};
    std::string text;
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    int failed = std::ferror(f) ? errno : 0;
    std::fclose(f);
    if (failed) return {std::nullopt, {{"", "cannot read " + path + ": " + std::strerror(failed)}}};
    return load_text(text, env);
}

std::string format(problem const& p) {
    std::string s = p.warning ? "warning: " : "";
    if (!p.path.empty()) s += p.path + ": ";
    return s + p.message;
}

}  // namespace signoff::config
