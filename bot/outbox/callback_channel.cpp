#include "bot/outbox/callback_channel.hpp"

#include "bot/core/crypto.hpp"

namespace signoff::outbox {

namespace {

class callback_channel final : public channels::channel {
public:
    explicit callback_channel(config::api_config const& api) : api_(api) {}

    std::string_view name() const override { return "callback"; }
    bool active() const override { return api_.callback.has_value(); }
    channels::rate rate() const override { return {.per_second = 50, .per_chat = 0}; }
    bool counts_per_chat(std::string_view) const override { return false; }

    channels::rendering render(channels::delivery const& d) const override {
        http_call r;
        r.url = api_.callback->url;
        r.body = d.payload.dump();
        r.headers = {{"Content-Type", "application/json"},
                     {"X-Signoff-Signature", "sha256=" + crypto::hmac_sha256_hex(api_.callback->secret, r.body)}};
        return {{std::move(r)}, ""};
    }

    chat::send_result read_result(int status, std::string const& body) const override {
        return channels::read_http_status(status, body);
    }

private:
    config::api_config const& api_;
};

}  // namespace

std::unique_ptr<channels::channel> make_callback_channel(config::api_config const& api) {
    return std::make_unique<callback_channel>(api);
}

}  // namespace signoff::outbox
