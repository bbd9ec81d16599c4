#include "bot/outbox/callback_channel.hpp"

#include "bot/core/crypto.hpp"

#include <catch2/catch.hpp>

using namespace signoff;

TEST_CASE("The callback channel posts the row's exact body, signed", "[outbox][callback]") {
    config::api_config api;
    api.callback = config::callback_config{.url = "http://127.0.0.1:9/hook", .secret = "shh"};
    auto ch = outbox::make_callback_channel(api);
    CHECK(ch->active());
    CHECK_FALSE(ch->counts_per_chat("callback"));
    nlohmann::json payload = {{"event", "item.approved"}, {"item", {{"id", 42}}}};
    auto r = ch->render({.purpose = "callback", .address = "http://127.0.0.1:9/hook", .payload = payload});
    REQUIRE(r.requests.size() == 1);
    CHECK(r.requests[0].url == "http://127.0.0.1:9/hook");
    CHECK(r.requests[0].body == payload.dump());
    CHECK(*find_header(r.requests[0].headers, "X-Signoff-Signature") ==
          "sha256=" + crypto::hmac_sha256_hex("shh", payload.dump()));
    CHECK(ch->read_result(503, "").result == chat::send_result::outcome::retry);
    CHECK(ch->read_result(400, "bad").result == chat::send_result::outcome::give_up);
    CHECK(ch->read_result(204, "").result == chat::send_result::outcome::sent);

    CHECK_FALSE(outbox::make_callback_channel(config::api_config{})->active());
}
