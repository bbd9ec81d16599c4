#include "adapters/sms.hpp"

namespace signoff::sms {

namespace {

constexpr int max_segments = 3;

class sms_channel final : public channels::channel {
public:
    explicit sms_channel(config::sms_config const& cfg) : cfg_(cfg) {}

    std::string_view name() const override { return "sms"; }
    bool active() const override { return cfg_.active(); }
    channels::rate rate() const override { return {.per_second = 50, .per_chat = 0}; }

    // SMS is for urgent and escalated items: the card's header and title, and how to answer.
    channels::rendering render(channels::delivery const& d) const override {
        if (!d.message) return channels::cannot_show(d);
        std::string text = d.message->text;
        auto first = text.find('\n');
        auto second = first == std::string::npos ? std::string::npos : text.find('\n', first + 1);
        text = text.substr(0, second);
        // How to answer in chat, in the recipient's language (bot/messages composes it).
        std::string const tail = d.message->short_answer.empty() ? "" : "\n" + d.message->short_answer;
        try {
            // The command to answer with survives any cut; the header and title give way.
            return {{render_sms(d.address, fit_segments_with_tail(text, tail, max_segments), cfg_)}, ""};
        } catch (std::exception const& e) {
            return {{}, e.what()};
        }
    }

    chat::send_result read_result(int status, std::string const& body) const override {
        return read_send_result(status, body);
    }

private:
    config::sms_config const& cfg_;
};

}  // namespace

std::unique_ptr<channels::channel> make_channel(config::sms_config const& cfg) {
    return std::make_unique<sms_channel>(cfg);
}

}  // namespace signoff::sms
