#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "config/load.hpp"

namespace cfg = signoff::config;

namespace {

cfg::env_lookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](std::string const& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

cfg::env_lookup const no_env = env_of({});

std::string lines(cfg::load_result const& r) {
    std::string s;
    for (auto const& p : r.problems) s += cfg::format(p) + "\n";
    return s;
}

}  // namespace

TEST_CASE("The embedded demo configuration loads with no environment", "[config][demo]") {
    auto r = cfg::load_text(cfg::demo_json(), no_env);
    INFO(lines(r));
    REQUIRE(r.value);
    auto const& c = *r.value;

    SECTION("it gives only warnings: one for each inactive channel, one for having none") {
        CHECK(lines(r) ==
              "warning: channels: no channel is active: messages will be recorded as undeliverable\n"
              "warning: channels.telegram: inactive (no credentials)\n"
              "warning: channels.whatsapp: inactive (no credentials)\n"
              "warning: channels.wecom: inactive (no credentials)\n"
              "warning: channels.sms: inactive (no credentials)\n");
    }
    SECTION("the organisation, server and store are the documented defaults") {
        CHECK(c.organisation == "Bureau of Indian Standards");
        CHECK(c.timezone == "Asia/Kolkata");
        CHECK(c.server.listen == "127.0.0.1:8080");
        CHECK(c.store.path == "signoff.db");
        CHECK(c.channels.telegram.api_base == "https://api.telegram.org");
        CHECK(c.channels.wecom.agent_id == 1000002);
        CHECK_FALSE(c.api.callback);
    }
    SECTION("the response team's roles resolve to people") {
        std::map<std::string, std::pair<std::string, std::string>> heads = {
            {"standardisation", {"ddg-std", "dh-std"}},
            {"consumer-affairs", {"ddg-ca", "dh-ca"}},
            {"certification", {"ddg-cert", "dh-cert"}},
            {"mscd", {"ddg-mscd", "dh-mscd"}},
            {"nits", {"ddg-nits", "dh-nits"}},
            {"laboratory", {"head-lab", "dh-lab"}},
            {"hallmarking", {"head-hm", "dh-hm"}},
            {"international-relations", {"head-ir", "dh-ir"}},
            {"coordinator-south", {"rc-south", "dh-std"}},
            {"coordinator-west", {"rc-west", "dh-std"}}};
        CHECK(c.roles.size() == heads.size());
        for (auto const& [id, hf] : heads) {
            INFO(id);
            auto const* role = c.find_role(id);
            REQUIRE(role);
            CHECK(role->head == hf.first);
            CHECK(role->fallback == hf.second);
            CHECK(c.find_person(role->head));
            CHECK(c.find_person(role->fallback));
        }
        CHECK(c.find_role("standardisation")->title == "DDG (Standardisation)");
        CHECK(c.find_role("coordinator-south")->regions == std::vector<std::string>{"south"});
        for (auto id : {"dg", "dpr", "ddpr"}) CHECK(c.find_person(id));
        CHECK(c.find_person("dpr")->admin);
        CHECK(c.find_person("ddpr")->admin);
        CHECK_FALSE(c.find_person("dg")->admin);
        CHECK(c.find_person("nobody") == nullptr);
        CHECK(c.observers == std::vector<std::string>{"dpr", "ddpr"});
    }
    SECTION("topics route to their role") {
        CHECK(c.role_for_topic("standards")->id == "standardisation");
        CHECK(c.role_for_topic("consultation")->id == "standardisation");
        CHECK(c.role_for_topic("grievances")->id == "consumer-affairs");
        CHECK(c.role_for_topic("hallmarking")->id == "hallmarking");
        CHECK(c.role_for_topic("international")->id == "international-relations");
        CHECK(c.role_for_topic("weather") == nullptr);
    }
    SECTION("languages are mostly English, with two Hindi speakers and no Chinese") {
        CHECK(c.find_person("dh-std")->language == "hi");
        CHECK(c.find_person("head-hm")->language == "hi");
        CHECK(std::none_of(c.people.begin(), c.people.end(), [](auto const& p) { return p.language == "zh"; }));
        CHECK(std::all_of(c.people.begin(), c.people.end(), [](auto const& p) { return p.telegram.has_value(); }));
    }
    SECTION("tiers, deadlines and content rules") {
        CHECK(c.tiers.at("major") == std::vector<std::string>{"@head", "dg"});
        CHECK(c.tiers.at("sensitive") == std::vector<std::string>{"@head", "@fallback"});
        CHECK(c.sla.interim_hours == 1);
        CHECK(c.sla.digest_at == "09:30");
        CHECK(c.content.limits.at("weibo") == 140);
        CHECK(c.content.limits.at("wechat") == 680);
        CHECK(c.content.prohibited_raises_tier_to == "sensitive");
        CHECK(c.content.media.at("image/jpeg").min_bytes == 1048576u);
        CHECK_FALSE(c.content.media.at("image/png").min_bytes);
    }
    SECTION("the demo api keys work, with their scopes") {
        auto const* agency = c.find_key("demo-agency-key");
        REQUIRE(agency);
        CHECK(agency->name == "agency");
        CHECK(agency->has_scope("submit"));
        CHECK_FALSE(agency->has_scope("admin"));
        REQUIRE(c.find_key("demo-prdesk-key"));
        CHECK(c.find_key("demo-prdesk-key")->has_scope("admin"));
    }
}

TEST_CASE("The demo configuration takes credentials and fake servers from the environment", "[config][demo]") {
    auto env = env_of({{"TELEGRAM_BOT_TOKEN", "123:abc"},
                       {"TELEGRAM_SECRET_TOKEN", "tg-secret"},
                       {"TELEGRAM_API_BASE", "http://127.0.0.1:45678"},
                       {"SIGNOFF_AGENCY_KEY", "real-agency-key"},
                       {"SIGNOFF_CALLBACK_URL", "http://127.0.0.1:45679/hook"},
                       {"SIGNOFF_CALLBACK_SECRET", "cb-secret"}});
    auto r = cfg::load_text(cfg::demo_json(), env);
    INFO(lines(r));
    REQUIRE(r.value);
    auto const& c = *r.value;
    CHECK(c.channels.telegram.active());
    CHECK(c.channels.telegram.api_base == "http://127.0.0.1:45678");
    CHECK_THAT(lines(r), !Catch::Contains("channels.telegram") && !Catch::Contains("people["));
    CHECK(c.find_key("demo-agency-key") == nullptr);
    CHECK(c.find_key("real-agency-key"));
    REQUIRE(c.api.callback);
    CHECK(c.api.callback->secret == "cb-secret");
}

TEST_CASE("The example configuration loads when its variables are set", "[config][example]") {
    std::string const path = std::string(SIGNOFF_SOURCE_DIR) + "/config/example.json";
    std::map<std::string, std::string> vars = {{"WECOM_CORP_ID", "ww0123456789abcdef"},
                                               {"WECOM_SECRET", "wecom-secret"},
                                               {"WECOM_AGENT_ID", "1000005"},
                                               {"WECOM_TOKEN", "wecom-token"},
                                               {"WECOM_AES_KEY", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"},
                                               {"SMS_SID", "AC0000"},
                                               {"SMS_TOKEN", "sms-token"},
                                               {"SMS_FROM", "+15550000000"},
                                               {"SIGNOFF_AGENCY_KEY", "agency-key"},
                                               {"SIGNOFF_DESK_KEY", "desk-key"},
                                               {"SIGNOFF_CALLBACK_SECRET", "callback-secret"}};

    SECTION("with every variable set it loads without a single problem") {
        auto r = cfg::load_file(path, env_of(vars));
        INFO(lines(r));
        REQUIRE(r.value);
        CHECK(r.problems.empty());
        auto const& c = *r.value;
        CHECK(c.timezone == "Asia/Shanghai");
        CHECK(std::all_of(c.people.begin(), c.people.end(), [](auto const& p) { return p.language == "zh"; }));
        CHECK(c.channels.wecom.active());
        CHECK(c.channels.wecom.agent_id == 1000005);
        CHECK(c.tiers.size() == 3);
        CHECK(c.content.limits.at("weibo") == 140);
        REQUIRE(c.api.callback);
        CHECK(c.server.tls);
    }
    SECTION("each missing variable is named, and no value is shown") {
        vars.erase("WECOM_SECRET");
        vars.erase("SIGNOFF_CALLBACK_SECRET");
        auto r = cfg::load_file(path, env_of(vars));
        CHECK_FALSE(r.value);
        auto text = lines(r);
        CHECK_THAT(text,
                   Catch::Contains("channels.wecom.corp_secret: environment variable WECOM_SECRET is not set\n") &&
                       Catch::Contains("api.callback.secret: environment variable SIGNOFF_CALLBACK_SECRET is not "
                                       "set\n"));
        CHECK_THAT(text, !Catch::Contains("wecom-token") && !Catch::Contains("agency-key"));
    }
}
