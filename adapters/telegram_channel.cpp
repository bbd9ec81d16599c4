#include "adapters/telegram.hpp"

namespace signoff::telegram {

namespace {

class telegram_channel final : public channels::channel {
public:
    explicit telegram_channel(config::telegram_config const& cfg) : cfg_(cfg) {}

    std::string_view name() const override { return "telegram"; }
    bool active() const override { return cfg_.active(); }
    channels::rate rate() const override { return {.per_second = 30, .per_chat = 1000}; }  // Bot API FAQ

    // Edits and button answers count only against the overall rate.
    bool counts_per_chat(std::string_view purpose) const override {
        return purpose != "press_answer" && purpose != "card_update";
    }

    std::optional<std::uint64_t> upload_limit(std::string_view type) const override {
        return is_photo_type(type) ? max_photo_upload_bytes : max_file_upload_bytes;
    }

    channels::rendering render(channels::delivery const& d) const override {
        try {
            if (d.purpose == "press_answer" && d.press) return {{render_press_answer(*d.press, cfg_)}, ""};
            if (!d.message) return channels::cannot_show(d);
            auto message = *d.message;
            message.to = d.address;
            if (message.edit_message_id && d.payload.value("edit_message_kind", "") == "caption")
                return {{render_caption_edit(message, cfg_)}, ""};
            if (!d.creatives.empty()) return render_card_with_media(message, d.creatives, cfg_);
            return {{render_message(message, cfg_)}, ""};
        } catch (std::exception const& e) {
            return {{}, e.what()};
        }
    }

    chat::send_result read_result(int status, std::string const& body) const override {
        return read_send_result(status, body);
    }

private:
    config::telegram_config const& cfg_;
};

}  // namespace

std::unique_ptr<channels::channel> make_channel(config::telegram_config const& cfg) {
    return std::make_unique<telegram_channel>(cfg);
}

}  // namespace signoff::telegram
