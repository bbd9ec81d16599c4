#include "adapters/wecom.hpp"

#include "bot/core/text.hpp"
#include "bot/core/url.hpp"

namespace signoff::wecom {

namespace {

// Rows are rendered with this in place of the access token, which authorise() puts in just
// before sending, so a rendered request never holds a token that may have expired meanwhile.
constexpr std::string_view token_placeholder = "SIGNOFF_ACCESS_TOKEN";
constexpr millis refresh_early = 5 * ms_per_minute;  // a token is renewed this long before it expires
constexpr std::size_t max_replace_name_chars = 20;   // what fits on a greyed-out card button

class wecom_channel final : public channels::channel {
public:
    explicit wecom_channel(config::wecom_config const& cfg) : cfg_(cfg) {}

    std::string_view name() const override { return "wecom"; }
    bool active() const override { return cfg_.active(); }
    // ≤ 2000 messages per minute per API, and 30 per minute per member.
    channels::rate rate() const override { return {.per_second = 30, .per_chat = 2000}; }

    std::optional<std::uint64_t> upload_limit(std::string_view type) const override { return upload_limit_of(type); }

    channels::rendering render(channels::delivery const& d) const override {
        auto const placeholder = std::string(token_placeholder);
        try {
            // WeCom cannot edit messages: a button's outcome replaces the button
            // (update_template_card with the click's single-use ResponseCode), falling back to a
            // text when the code is spent or old.
            if (d.purpose == "press_answer") {
                if (!d.press || d.press->text.empty()) return {{}, "", true};
                channels::rendering out{{render_card_update(d.address, d.press->callback_id,
                                                            text::truncate_code_points(d.press->text, max_replace_name_chars),
                                                            cfg_, placeholder)},
                                        ""};
                out.fallback = {render_message({.to = d.address, .text = d.press->text}, cfg_, placeholder, d.row_id)};
                return out;
            }
            if (d.purpose == "card_update" && d.decided_by_recipient) return {{}, "", true};
            if (!d.message) return channels::cannot_show(d);
            auto message = *d.message;
            message.to = d.address;
            message.edit_message_id.reset();
            message.reply_to.reset();
            message.remove_buttons = false;
            auto card = render_message(message, cfg_, placeholder, d.row_id);
            if (d.creatives.empty()) return {{card}, ""};
            // The creatives go first; when WeCom refuses one, the card goes alone.
            channels::rendering out{render_media(d.address, d.creatives, cfg_, placeholder), ""};
            out.creative_requests = out.requests.size();
            out.requests.push_back(card);
            out.fallback = {card};
            return out;
        } catch (std::exception const& e) {
            return {{}, e.what()};
        }
    }

    chat::send_result read_result(int status, std::string const& body) const override {
        return read_send_result(status, body);
    }

    std::optional<http_call> credential_request(millis now) const override {
        if (!token_.empty() && now < expires_at_) return std::nullopt;
        return render_gettoken(cfg_);
    }

    bool accept_credential(int status, std::string const& body, millis now, std::string& error) override {
        auto got = read_token(status, body);
        if (!got.token) {
            error = got.error;
            return false;
        }
        token_ = *got.token;
        expires_at_ = now + got.expires_in * ms_per_second - refresh_early;
        return true;
    }

    void drop_credential() override { token_.clear(); }

    void authorise(http_call& request) const override {
        if (auto at = request.url.find(token_placeholder); at != std::string::npos)
            request.url.replace(at, token_placeholder.size(), percent_encode(token_));
    }

private:
    config::wecom_config const& cfg_;
    std::string token_;     // the access token; "" while none is held
    millis expires_at_ = 0;
};

}  // namespace

std::unique_ptr<channels::channel> make_channel(config::wecom_config const& cfg) {
    return std::make_unique<wecom_channel>(cfg);
}

}  // namespace signoff::wecom
