#include "adapters/whatsapp.hpp"

#include "bot/core/button_data.hpp"

namespace signoff::whatsapp {

namespace {

class whatsapp_channel final : public channels::channel {
public:
    explicit whatsapp_channel(config::whatsapp_config const& cfg) : cfg_(cfg) {}

    std::string_view name() const override { return "whatsapp"; }
    bool active() const override { return cfg_.active(); }
    // 80 messages/s per number, and a pair limit per recipient (131056 is retried).
    channels::rate rate() const override { return {.per_second = 80, .per_chat = 1000}; }
    std::optional<millis> service_window() const override { return whatsapp::service_window; }

    std::optional<std::uint64_t> upload_limit(std::string_view type) const override { return upload_limit_of(type); }

    channels::rendering render(channels::delivery const& d) const override {
        // Presses have nothing to acknowledge, and WhatsApp cannot edit a message: the decider
        // already has the confirmation, the others get the update as a new message.
        if (d.purpose == "press_answer") return {{}, "", true};
        if (d.purpose == "card_update" && d.decided_by_recipient) return {{}, "", true};
        try {
            if (!d.window_open) return template_for(d);
            if (!d.message) return channels::cannot_show(d);
            auto message = *d.message;
            message.to = d.address;
            auto requests = render_message(message, cfg_);
            if (requests.empty()) return {{}, "", true};  // an edit with nothing to say
            if (d.creatives.empty() || message.edit_message_id) return {std::move(requests), ""};
            // The creatives go first; when WhatsApp refuses one, the card goes alone.
            channels::rendering out{render_media(d.address, d.creatives, cfg_), ""};
            out.creative_requests = out.requests.size();
            out.requests.insert(out.requests.end(), requests.begin(), requests.end());
            out.fallback = std::move(requests);
            return out;
        } catch (std::exception const& e) {
            return {{}, e.what()};
        }
    }

    chat::send_result read_result(int status, std::string const& body) const override {
        return read_send_result(status, body);
    }

private:
    // Outside the window only the configured template may go: item number and title as
    // parameters, and for a card awaiting this person the card's quick-reply buttons.
    channels::rendering template_for(channels::delivery const& d) const {
        if (cfg_.message_template.name.empty())
            return {{}, "the WhatsApp window is closed and no template is configured"};
        chat::template_message t{.to = d.address, .name = cfg_.message_template.name,
                                 .language = cfg_.message_template.language};
        t.body_params = {d.item ? "#" + std::to_string(*d.item) : std::string("-"),
                         d.item ? d.item_title : std::string("signoff")};
        if (d.item && d.purpose == "item_card" && d.awaits_recipient)
            for (auto what : {buttons::decision::approve, buttons::decision::reject, buttons::decision::changes})
                t.button_payloads.push_back(buttons::encode({what, *d.item, d.revision}));
        channels::rendering out{{render_template(t, cfg_)}, ""};
        out.as_template = true;
        return out;
    }

    config::whatsapp_config const& cfg_;
};

}  // namespace

std::unique_ptr<channels::channel> make_channel(config::whatsapp_config const& cfg) {
    return std::make_unique<whatsapp_channel>(cfg);
}

}  // namespace signoff::whatsapp
