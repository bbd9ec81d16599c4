#include "config/load.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace cfg = signoff::config;
using json = nlohmann::ordered_json;

namespace {

constexpr std::string_view minimal = R"({
  "organisation": "Test Bureau",
  "timezone": "Asia/Kolkata",
  "people": [
    { "id": "alice", "name": "Alice", "telegram": 1001 },
    { "id": "bob", "name": "Bob", "telegram": 1002 },
    { "id": "carol", "name": "Carol", "telegram": 1003 }
  ],
  "roles": [
    { "id": "press", "title": "Press", "head": "alice", "fallback": "bob", "topics": ["news"] },
    { "id": "legal", "title": "Legal", "head": "carol", "topics": ["law"] }
  ],
  "channels": { "telegram": { "bot_token": "${TG_TOKEN}", "secret_token": "${TG_SECRET}" } }
})";

cfg::env_lookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](std::string const& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

cfg::env_lookup const tg_env = env_of({{"TG_TOKEN", "123:abc"}, {"TG_SECRET", "s3cr3t-value"}});

cfg::load_result load(json const& doc, cfg::env_lookup const& env = tg_env) { return cfg::load_text(doc.dump(), env); }

// Every problem, formatted, one per line: what the assertions search and what a failure prints.
std::string lines(cfg::load_result const& r) {
    std::string s;
    for (auto const& p : r.problems) s += cfg::format(p) + "\n";
    return s;
}

bool has_errors(cfg::load_result const& r) {
    return std::any_of(r.problems.begin(), r.problems.end(), [](auto const& p) { return !p.warning; });
}

}  // namespace

TEST_CASE("A minimal configuration loads with defaults and no problems", "[config]") {
    json doc = json::parse(minimal);

    SECTION("it loads cleanly") {
        auto r = load(doc);
        INFO(lines(r));
        REQUIRE(r.problems.empty());
        REQUIRE(r.value);
        auto const& c = *r.value;
        CHECK(c.organisation == "Test Bureau");
        CHECK(c.server.listen == "127.0.0.1:8080");
        CHECK(c.server.request_timeout_seconds == 30);
        CHECK(c.server.idle_timeout_seconds == 60);
        CHECK(c.log_level == "info");
        CHECK(c.tiers.at("general") == std::vector<std::string>{"@head"});
        CHECK(c.channels.telegram.bot_token == "123:abc");
        CHECK(c.channels.telegram.active());
        CHECK_FALSE(c.channels.whatsapp.active());
        CHECK(c.people[1].telegram == 1002);
        CHECK(c.roles[1].fallback.empty());
        CHECK_FALSE(c.api.callback);
    }
    SECTION("a person without a name is called by the id, a role without a title too") {
        doc["people"][0].erase("name");
        doc["roles"][0].erase("title");
        auto r = load(doc);
        REQUIRE(r.value);
        CHECK(r.value->people[0].name == "alice");
        CHECK(r.value->roles[0].title == "press");
    }
    SECTION("format writes PATH: message, and marks warnings") {
        CHECK(cfg::format({"people[1].telegram", "expected a positive integer"}) ==
              "people[1].telegram: expected a positive integer");
        CHECK(cfg::format({"channels.sms", "inactive (no credentials)", true}) ==
              "warning: channels.sms: inactive (no credentials)");
        CHECK(cfg::format({"", "expected a JSON object at the top level"}) ==
              "expected a JSON object at the top level");
    }
}

TEST_CASE("Environment references are expanded before type checks", "[config][env]") {
    json doc = json::parse(minimal);

    SECTION("${X:-default} takes the default when X is unset or empty") {
        doc["channels"]["telegram"]["api_base"] = "${TG_BASE:-http://127.0.0.1:9000}";
        auto r = load(doc);
        REQUIRE(r.value);
        CHECK(r.value->channels.telegram.api_base == "http://127.0.0.1:9000");
        auto env = env_of({{"TG_TOKEN", "t"}, {"TG_SECRET", "s"}, {"TG_BASE", ""}});
        CHECK(load(doc, env).value->channels.telegram.api_base == "http://127.0.0.1:9000");
    }
    SECTION("${X:-default} takes X when it is set") {
        doc["channels"]["telegram"]["api_base"] = "${TG_BASE:-https://api.telegram.org}";
        auto r = load(doc, env_of({{"TG_TOKEN", "t"}, {"TG_SECRET", "s"}, {"TG_BASE", "http://localhost:1234"}}));
        REQUIRE(r.value);
        CHECK(r.value->channels.telegram.api_base == "http://localhost:1234");
    }
    SECTION("references nested in arrays are expanded") {
        doc["content"] = {{"prohibited", {"plain", "${TERM}"}}};
        auto r = load(doc, env_of({{"TG_TOKEN", "t"}, {"TG_SECRET", "s"}, {"TERM", "embargoed"}}));
        REQUIRE(r.value);
        CHECK(r.value->content.prohibited == std::vector<std::string>{"plain", "embargoed"});
    }
    SECTION("a missing variable without a default is an error naming the path and the variable") {
        auto r = load(doc, env_of({{"TG_SECRET", "s3cr3t-value"}}));
        CHECK_FALSE(r.value);
        CHECK(lines(r) == "channels.telegram.bot_token: environment variable TG_TOKEN is not set\n");
    }
    SECTION("${X:-} may be missing, and an empty credential makes the channel inactive") {
        doc["channels"]["telegram"]["bot_token"] = "${TG_TOKEN:-}";
        auto r = load(doc, env_of({{"TG_SECRET", "s"}}));
        REQUIRE(r.value);
        CHECK_THAT(lines(r), Catch::Contains("warning: channels.telegram: inactive (missing bot_token)"));
    }
    SECTION("the value of a variable never appears in a message") {
        doc["timezone"] = "${ZONE}";
        doc["people"][0]["language"] = "${LANG_SECRET}";
        auto r = load(doc, env_of({{"TG_TOKEN", "t"},
                                   {"TG_SECRET", "s"},
                                   {"ZONE", "Hidden/Zone-7781"},
                                   {"LANG_SECRET", "secret-lang-5512"}}));
        CHECK_FALSE(r.value);
        auto text = lines(r);
        CHECK_THAT(text, Catch::Contains("timezone: unknown time zone"));
        CHECK_THAT(text, Catch::Contains("people[0].language: expected a supported language tag: en, hi, zh-Hans (zh, zh-CN), zh-Hant (zh-TW, zh-HK), lt"));
        CHECK_THAT(text, !Catch::Contains("Hidden/Zone-7781") && !Catch::Contains("secret-lang-5512"));
    }
    SECTION("a malformed reference is an error, a string merely containing ${ is kept") {
        doc["organisation"] = "${1BAD}";
        doc["people"][0]["name"] = "Costs ${PRICE} rupees";
        auto r = load(doc);
        CHECK_THAT(lines(r), Catch::Contains("organisation: malformed environment reference"));
        doc["organisation"] = "Test Bureau";
        REQUIRE(load(doc).value);
        CHECK(load(doc).value->people[0].name == "Costs ${PRICE} rupees");
    }
}

TEST_CASE("Integer fields accept an integer or a string of digits", "[config]") {
    json doc = json::parse(minimal);

    SECTION("a digit string is a telegram id") {
        doc["people"][0]["telegram"] = "123456789";
        auto r = load(doc);
        REQUIRE(r.value);
        CHECK(r.value->people[0].telegram == 123456789);
    }
    SECTION("the digits may come from the environment, and an empty string means absent") {
        doc["people"][0]["telegram"] = "${ALICE_TG}";
        doc["people"][1]["telegram"] = "${BOB_TG:-}";
        doc["channels"]["wecom"] = {{"agent_id", "${AGENT:-1000002}"}};
        auto r = load(doc, env_of({{"TG_TOKEN", "t"}, {"TG_SECRET", "s"}, {"ALICE_TG", "42"}}));
        REQUIRE(r.value);
        CHECK(r.value->people[0].telegram == 42);
        CHECK_FALSE(r.value->people[1].telegram);
        CHECK(r.value->channels.wecom.agent_id == 1000002);
    }
    SECTION("anything else is an error") {
        doc["people"][0]["telegram"] = "12a";
        doc["people"][1]["telegram"] = 1.5;
        doc["people"][2]["telegram"] = -7;
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r), Catch::Contains("people[0].telegram: expected a positive integer") &&
                                 Catch::Contains("people[1].telegram: expected a positive integer") &&
                                 Catch::Contains("people[2].telegram: expected a positive integer"));
    }
}

TEST_CASE("Unknown keys and wrong types are reported with their paths", "[config]") {
    json doc = json::parse(minimal);

    SECTION("unknown keys at every level") {
        doc["server"] = {{"listn", "0.0.0.0:80"}};
        doc["people"][1]["telegarm"] = 5;
        doc["content"] = {{"media", {{"image/jpeg", {{"max_byte", 10}}}}}};
        doc["channels"]["whatsapp"] = {{"template", {{"lang", "en"}}}};
        doc["colour"] = "blue";
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r), Catch::Contains("server.listn: unknown key\n") &&
                                 Catch::Contains("people[1].telegarm: unknown key\n") &&
                                 Catch::Contains("content.media.image/jpeg.max_byte: unknown key\n") &&
                                 Catch::Contains("channels.whatsapp.template.lang: unknown key\n") &&
                                 Catch::Contains("colour: unknown key\n"));
    }
    SECTION("wrong types") {
        doc["people"][0]["admin"] = "yes";
        doc["tiers"] = {{"general", {"@head", 7}}};
        doc["sla"] = {{"approval_hours", "24"}};
        doc["observers"] = "bob";
        doc["store"] = "signoff.db";
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r), Catch::Contains("people[0].admin: expected a boolean\n") &&
                                 Catch::Contains("tiers.general[1]: expected a string\n") &&
                                 Catch::Contains("sla.approval_hours: expected a number\n") &&
                                 Catch::Contains("observers: expected an array\n") &&
                                 Catch::Contains("store: expected an object\n"));
    }
    SECTION("a wrong type is reported once, not again by the checks that follow") {
        doc["people"] = {{"id", "alice"}};
        auto r = load(doc);
        CHECK(lines(r) == "people: expected an array\n");
    }
    SECTION("a key repeated in one object") {
        auto r = cfg::load_text(R"({"organisation": "A", "organisation": "B", "people": [], "roles": []})", tg_env);
        CHECK_THAT(lines(r), Catch::Contains("organisation: duplicate key\n"));
    }
}

TEST_CASE("Malformed documents are reported without their contents", "[config]") {
    SECTION("malformed JSON is one problem with its byte position") {
        auto r = cfg::load_text("{\n  \"organisation\": \"x\",\n  \"token\": \"hunter2-secret\n}", tg_env);
        CHECK_FALSE(r.value);
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].path.empty());
        CHECK_THAT(r.problems[0].message, Catch::StartsWith("invalid JSON at byte ") && Catch::Contains("line 3"));
        CHECK_THAT(r.problems[0].message, !Catch::Contains("hunter2"));
    }
    SECTION("a number too large for a double is one problem, not an exception (found by fuzzing)") {
        auto r = cfg::load_text(R"({"server": {"port": 1e999}})", tg_env);
        CHECK_FALSE(r.value);
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].message == "invalid JSON: a number out of range");
    }
    SECTION("an empty document") {
        auto r = cfg::load_text("", tg_env);
        REQUIRE(r.problems.size() == 1);
        CHECK_THAT(r.problems[0].message, Catch::StartsWith("invalid JSON at byte 1"));
    }
    SECTION("a top level that is not an object") {
        auto r = cfg::load_text(R"(["organisation"])", tg_env);
        CHECK_FALSE(r.value);
        CHECK(lines(r) == "expected a JSON object at the top level\n");
    }
    SECTION("an unreadable file") {
        auto r = cfg::load_file("/nonexistent/signoff.json", tg_env);
        CHECK_FALSE(r.value);
        CHECK(lines(r) == "cannot read /nonexistent/signoff.json: No such file or directory\n");
    }
    SECTION("a readable file") {
        std::string path = "/tmp/signoff_load_test_" + std::to_string(::getpid()) + ".json";
        std::FILE* f = std::fopen(path.c_str(), "wb");
        REQUIRE(f);
        std::fwrite(minimal.data(), 1, minimal.size(), f);
        std::fclose(f);
        auto r = cfg::load_file(path, tg_env);
        std::remove(path.c_str());
        CHECK(r.value);
    }
}

TEST_CASE("Required values and formats are checked", "[config]") {
    json doc = json::parse(minimal);

    SECTION("organisation, people and roles are required") {
        doc.erase("organisation");
        doc["people"] = json::array();
        doc.erase("roles");
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r), Catch::Contains("organisation: required\n") &&
                                 Catch::Contains("people: at least one person is required\n") &&
                                 Catch::Contains("roles: at least one role is required\n"));
    }
    SECTION("an unknown time zone") {
        doc["timezone"] = "Mars/Base";
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK(lines(r) == "timezone: unknown time zone \"Mars/Base\"\n");
    }
    SECTION("enumerations") {
        doc["log_level"] = "verbose";
        doc["people"][0]["language"] = "fr";
        doc["people"][1]["prefer"] = {"telegram", "signal"};
        doc["store"] = {{"synchronous", "sometimes"}};
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r),
                   Catch::Contains("log_level: expected one of debug, info, warn, error, got \"verbose\"\n") &&
                       Catch::Contains("people[0].language: expected a supported language tag: en, hi, zh-Hans (zh, zh-CN), zh-Hant (zh-TW, zh-HK), lt, got \"fr\"\n") &&
                       Catch::Contains("people[1].prefer[1]: expected one of telegram, whatsapp, wecom, sms") &&
                       Catch::Contains("store.synchronous: expected one of off, normal, full, extra"));
    }
    SECTION("languages are the supported BCP 47 tags and their aliases, in any case") {
        for (auto const* tag : {"en", "hi", "zh-Hans", "zh", "zh-CN", "zh-Hant", "zh-TW", "zh-HK", "lt", "ZH-tw", "zh_hant"}) {
            doc["people"][0]["language"] = tag;
            CAPTURE(tag);
            CHECK(load(doc).value);
        }
        for (auto const* tag : {"fr", "zh-SG", "lt-LT", "zh-Hans-CN"}) {
            doc["people"][0]["language"] = tag;
            CAPTURE(tag);
            CHECK_THAT(lines(load(doc)), Catch::Contains("people[0].language: expected a supported language tag"));
        }
    }
    SECTION("phone numbers") {
        doc["people"][0]["whatsapp"] = "+919800000001";
        doc["people"][1]["sms"] = "919800000001";
        doc["people"][2]["whatsapp"] = "1234567";
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r), Catch::Contains("people[0].whatsapp: expected 8 to 15 digits") &&
                                 Catch::Contains("people[1].sms: expected an E.164 number") &&
                                 Catch::Contains("people[2].whatsapp: expected 8 to 15 digits"));
        doc["people"][0]["whatsapp"] = "919800000001";
        doc["people"][1]["sms"] = "+919800000001";
        doc["people"][2]["whatsapp"] = "12345678";
        CHECK(load(doc).value);
    }
    SECTION("sla durations and the digest time") {
        doc["sla"] = {
            {"approval_hours", 0}, {"remind_before_hours", -1}, {"urgent_minutes", 0.5}, {"digest_at", "24:00"}};
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r), Catch::Contains("sla.approval_hours: must be greater than 0\n") &&
                                 Catch::Contains("sla.remind_before_hours: must not be negative\n") &&
                                 Catch::Contains("sla.digest_at: expected \"HH:MM\" from 00:00 to 23:59\n") &&
                                 !Catch::Contains("urgent_minutes"));
    }
}

TEST_CASE("Ids are unique and every reference resolves", "[config]") {
    json doc = json::parse(minimal);

    SECTION("duplicate and malformed ids") {
        doc["people"][2]["id"] = "alice";
        doc["people"][1]["id"] = "Bob Smith";
        doc["roles"][1]["id"] = "press";
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r), Catch::Contains("people[2].id: duplicate id \"alice\" (also people[0])\n") &&
                                 Catch::Contains("people[1].id: \"Bob Smith\" is not a valid id") &&
                                 Catch::Contains("roles[1].id: duplicate id \"press\" (also roles[0])\n"));
    }
    SECTION("a dangling head, fallback or observer") {
        doc["roles"][0]["head"] = "zed";
        doc["roles"][1]["fallback"] = "nobody";
        doc["observers"] = {"bob", "yves"};
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r), Catch::Contains("roles[0].head: unknown person \"zed\"\n") &&
                                 Catch::Contains("roles[1].fallback: unknown person \"nobody\"\n") &&
                                 Catch::Contains("observers[1]: unknown person \"yves\"\n"));
    }
    SECTION("a missing head, and a fallback equal to the head") {
        doc["roles"][0].erase("head");
        doc["roles"][1]["fallback"] = "carol";
        auto r = load(doc);
        CHECK_THAT(lines(r), Catch::Contains("roles[0].head: required\n") &&
                                 Catch::Contains("roles[1].fallback: must differ from head\n"));
    }
    SECTION("a topic owned by two roles") {
        doc["roles"][1]["topics"] = {"law", "news"};
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK(lines(r) == "roles[1].topics[1]: topic \"news\" is already owned by role \"press\"\n");
    }
}

TEST_CASE("Tiers and content rules are checked", "[config][tiers]") {
    json doc = json::parse(minimal);
    doc["tiers"] = {
        {"general", {"@head"}}, {"sensitive", {"@head", "@fallback"}}, {"major", {"@head", "legal", "bob"}}};

    SECTION("steps may be @head, @fallback, a role id or a person id") {
        auto r = load(doc);
        INFO(lines(r));
        REQUIRE(r.value);
        CHECK(r.value->tiers.size() == 3);
        CHECK(r.value->tiers.at("major") == std::vector<std::string>{"@head", "legal", "bob"});
    }
    SECTION("anything else is an error") {
        doc["tiers"]["major"][1] = "nobody";
        doc["tiers"]["urgent"] = json::array();
        doc["tiers"]["Top Level"] = {"@head"};
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r),
                   Catch::Contains("tiers.major[1]: \"nobody\" is not @head, @fallback, a role id or a person id\n") &&
                       Catch::Contains("tiers.urgent: must list at least one step\n") &&
                       Catch::Contains("tiers.Top Level: tier names use lowercase letters"));
    }
    SECTION("a \"general\" tier is required") {
        doc["tiers"].erase("general");
        CHECK_THAT(lines(load(doc)), Catch::Contains("tiers: a \"general\" tier is required"));
    }
    SECTION("prohibited terms raise the tier only to an existing tier") {
        doc["content"] = {{"prohibited", {"secret"}}, {"prohibited_raises_tier_to", "critical"}};
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK(lines(r) == "content.prohibited_raises_tier_to: unknown tier \"critical\"\n");
        doc["content"]["prohibited_raises_tier_to"] = "sensitive";
        CHECK(load(doc).value);
    }
    SECTION("limits are positive integers and media rules have min <= max") {
        doc["content"] = {{"limits", {{"weibo", 0}, {"wechat", 680}}},
                          {"media", {{"image/jpeg", {{"min_bytes", 10}, {"max_bytes", 5}}}, {"jpeg", json::object()}}}};
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r), Catch::Contains("content.limits.weibo: expected a positive integer\n") &&
                                 Catch::Contains("content.media.image/jpeg: min_bytes is larger than max_bytes\n") &&
                                 Catch::Contains("content.media.jpeg: expected a media type"));
    }
}

TEST_CASE("Server, store, channel and callback addresses are checked", "[config][server]") {
    json doc = json::parse(minimal);

    SECTION("listen addresses") {
        for (auto ok : {"0.0.0.0:0", "[::1]:8080", "localhost:65535", "signoff.internal:443"}) {
            doc["server"] = {{"listen", ok}};
            INFO(ok);
            CHECK(load(doc).value);
        }
        for (auto bad : {"127.0.0.1", "127.0.0.1:70000", "127.0.0.1:-1", ":80", "300.1.1.1:80", "::1:80"}) {
            doc["server"] = {{"listen", bad}};
            INFO(bad);
            CHECK_THAT(lines(load(doc)), Catch::StartsWith("server.listen: expected HOST:PORT"));
        }
    }
    SECTION("threads, body size and timeouts") {
        doc["server"] = {
            {"threads", 65}, {"max_body_bytes", 100}, {"request_timeout_seconds", 0}, {"idle_timeout_seconds", 0.5}};
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r), Catch::Contains("server.threads: expected an integer from 1 to 64\n") &&
                                 Catch::Contains("server.max_body_bytes: expected an integer of at least 1024\n") &&
                                 Catch::Contains("server.request_timeout_seconds: must be greater than 0\n") &&
                                 !Catch::Contains("idle_timeout_seconds"));
    }
    SECTION("plain http only toward loopback") {
        doc["channels"]["telegram"]["api_base"] = "http://api.telegram.org";
        doc["channels"]["sms"] = {{"api_base", "http://10.0.0.5:8080"}};
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r), Catch::Contains("channels.telegram.api_base: plain http is allowed only toward loopback "
                                             "test servers\n") &&
                                 Catch::Contains("channels.sms.api_base: plain http is allowed only toward loopback"));
        for (auto ok :
             {"http://127.0.0.1:9000", "http://localhost:9000/bot", "http://[::1]:9000", "https://10.0.0.5"}) {
            doc["channels"]["telegram"]["api_base"] = ok;
            doc["channels"]["sms"]["api_base"] = ok;
            INFO(ok);
            CHECK_FALSE(has_errors(load(doc)));
        }
    }
    SECTION("not an absolute http(s) URL") {
        doc["channels"]["whatsapp"] = {{"api_base", "ftp://graph.facebook.com"}};
        doc["server"] = {{"public_url", "signoff.example.org"}};
        auto r = load(doc);
        CHECK_THAT(lines(r), Catch::Contains("channels.whatsapp.api_base: expected an absolute http(s) URL\n") &&
                                 Catch::Contains("server.public_url: expected an absolute http(s) URL\n"));
    }
    SECTION("a callback needs a secret; an empty url means no callback") {
        doc["api"] = {{"callback", {{"url", "https://agency.example.org/hook"}, {"secret", "${CB_SECRET:-}"}}}};
        CHECK(lines(load(doc)) == "api.callback.secret: required when a callback url is set\n");
        doc["api"]["callback"]["url"] = "${CB_URL:-}";
        auto r = load(doc);
        REQUIRE(r.value);
        CHECK_FALSE(r.value->api.callback);
        doc["api"]["callback"] = {{"url", "http://agency.example.org/hook"}, {"secret", "k"}};
        CHECK(lines(load(doc)) == "api.callback.url: plain http is allowed only toward loopback test servers\n");
    }
    SECTION("api key names are unique and scopes known") {
        doc["api"] = {{"keys",
                       {{{"name", "agency"}, {"key", "k1"}, {"scopes", {"submit", "write"}}},
                        {{"name", "agency"}, {"key", "k2"}, {"scopes", {"read"}}}}}};
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK_THAT(lines(r), Catch::Contains("api.keys[0].scopes[1]: expected one of submit, read, admin") &&
                                 Catch::Contains("api.keys[1].name: duplicate key name \"agency\" (also api.keys[0])"));
    }
}

TEST_CASE("Timer settings are optional numbers of seconds, fractions allowed", "[config][timers]") {
    json doc = json::parse(minimal);

    SECTION("absent, they keep today's pace") {
        auto r = load(doc);
        REQUIRE(r.value);
        CHECK(r.value->timers.tick_seconds == 1);
        CHECK(r.value->timers.first_retry_seconds == 2);
    }
    SECTION("short fractional values, as tests use them") {
        doc["timers"] = {{"tick_seconds", 0.05}, {"first_retry_seconds", 0.1}};
        auto r = load(doc);
        INFO(lines(r));
        REQUIRE(r.value);
        CHECK(r.value->timers.tick_seconds == 0.05);
        CHECK(r.value->timers.first_retry_seconds == 0.1);
    }
    SECTION("negative, zero or too long") {
        doc["timers"] = {{"tick_seconds", -1}, {"first_retry_seconds", 0}};
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK(lines(r) ==
              "timers.tick_seconds: must be from 0.001 to 3600 seconds\n"
              "timers.first_retry_seconds: must be from 0.001 to 600 seconds\n");
        doc["timers"] = {{"tick_seconds", 0.0001}, {"first_retry_seconds", 601}};
        CHECK(lines(load(doc)) ==
              "timers.tick_seconds: must be from 0.001 to 3600 seconds\n"
              "timers.first_retry_seconds: must be from 0.001 to 600 seconds\n");
    }
    SECTION("a wrong type or an unknown key") {
        doc["timers"] = {{"tick_seconds", "1"}, {"first_retry", 2}};
        auto r = load(doc);
        CHECK_FALSE(r.value);
        CHECK(lines(r) == "timers.tick_seconds: expected a number\ntimers.first_retry: unknown key\n");
        doc["timers"] = 1;
        CHECK(lines(load(doc)) == "timers: expected an object\n");
    }
}

TEST_CASE("Warnings do not fail loading", "[config][warnings]") {
    json doc = json::parse(minimal);

    SECTION("a present channel without credentials is inactive, with one warning; an absent one is silent") {
        doc["channels"]["whatsapp"] = {{"access_token", "${WA_TOKEN:-}"}, {"app_secret", "${WA_SECRET:-}"}};
        auto r = load(doc);
        REQUIRE(r.value);
        CHECK(lines(r) == "warning: channels.whatsapp: inactive (no credentials)\n");
    }
    SECTION("a person not reachable on any active channel") {
        doc["people"][2].erase("telegram");
        doc["people"][2]["whatsapp"] = "919800000003";
        auto r = load(doc);
        REQUIRE(r.value);
        CHECK(lines(r) == "warning: people[2]: \"carol\" is not reachable on any active channel\n");
    }
    SECTION("with no channel at all, one warning instead of one per person") {
        doc.erase("channels");
        auto r = load(doc);
        REQUIRE(r.value);
        CHECK(lines(r) == "warning: channels: no channel is active: messages will be recorded as undeliverable\n");
    }
    SECTION("an api key with an empty key is disabled") {
        doc["api"] = {{"keys",
                       {{{"name", "agency"}, {"key", "${AGENCY_KEY:-}"}, {"scopes", {"submit"}}},
                        {{"name", "desk"}, {"key", "desk-key"}, {"scopes", {"read", "admin"}}}}}};
        auto r = load(doc);
        REQUIRE(r.value);
        CHECK(lines(r) == "warning: api.keys[0].key: empty: this key is disabled\n");
        auto const& c = *r.value;
        CHECK(c.find_key("") == nullptr);
        REQUIRE(c.find_key("desk-key"));
        CHECK(c.find_key("desk-key")->name == "desk");
        CHECK(c.find_key("desk-kex") == nullptr);
        CHECK(c.find_key("desk-key-longer") == nullptr);
        CHECK(c.find_key("desk-key")->has_scope("admin"));
        CHECK_FALSE(c.find_key("desk-key")->has_scope("submit"));
    }
}

TEST_CASE("Every problem is reported in one load, in document order", "[config]") {
    constexpr std::string_view text = R"({
      "organisation": "",
      "timezone": "Mars/Base",
      "server": { "listn": "0.0.0.0:80", "threads": 0 },
      "people": [
        { "id": "alice", "admin": "yes", "telegram": 1 },
        { "id": "alice", "language": "fr", "whatsapp": "919800000001" }
      ],
      "roles": [ { "id": "press", "head": "zed", "topics": ["news", "news"] } ],
      "tiers": { "general": ["@head", "@boss"] },
      "channels": { "telegram": { "bot_token": "${TG_TOKEN}", "secret_token": "${NOPE}" } }
    })";
    auto r = cfg::load_text(text, tg_env);
    CHECK_FALSE(r.value);
    CHECK(lines(r) ==
          "organisation: required\n"
          "timezone: unknown time zone \"Mars/Base\"\n"
          "server.listn: unknown key\n"
          "server.threads: expected an integer from 1 to 64\n"
          "people[0].admin: expected a boolean\n"
          "warning: people[1]: \"alice\" is not reachable on any active channel\n"
          "people[1].id: duplicate id \"alice\" (also people[0])\n"
          "people[1].language: expected a supported language tag: en, hi, zh-Hans (zh, zh-CN), zh-Hant (zh-TW, zh-HK), lt, got \"fr\"\n"
          "roles[0].head: unknown person \"zed\"\n"
          "roles[0].topics[1]: topic \"news\" is already owned by role \"press\"\n"
          "tiers.general[1]: \"@boss\" is not @head, @fallback, a role id or a person id\n"
          "channels.telegram.secret_token: environment variable NOPE is not set\n");
}
