#include "adapters/channel.hpp"

namespace signoff::channels {

bool channel::counts_per_chat(std::string_view purpose) const { return purpose != "press_answer"; }

std::optional<http_call> channel::credential_request(millis) const { return std::nullopt; }

bool channel::accept_credential(int, std::string const&, millis, std::string&) { return true; }

channel* channel_set::find(std::string_view name) const {
    for (auto const& c : channels_)
        if (c->name() == name) return c.get();
    return nullptr;
}

rendering cannot_show(delivery const& d) {
    return {{}, "item #" + std::to_string(d.item.value_or(0)) + " cannot be shown"};
}

chat::send_result read_http_status(int status, std::string const& body) {
    chat::send_result r;
    if (status >= 200 && status < 300) {
        r.result = chat::send_result::outcome::sent;
    } else if (status == 408 || status == 429 || status >= 500) {
        r.result = chat::send_result::outcome::retry;
        r.error = "HTTP " + std::to_string(status);
    } else {
        r.result = chat::send_result::outcome::give_up;
        r.error = "HTTP " + std::to_string(status) + ": " + body.substr(0, 200);
    }
    return r;
}

}  // namespace signoff::channels
