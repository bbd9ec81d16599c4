#include "adapters/channel.hpp"

namespace signoff::channels {

bool channel::counts_per_chat(std::string_view purpose) const { return purpose != "press_answer"; }

std::optional<std::uint64_t> channel::upload_limit(std::string_view) const { return std::nullopt; }

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

bool fill_from_previous(http_call& call, std::string const& previous_answer, std::string& error) {
    if (!call.from_previous) return true;
    auto const answer = nlohmann::json::parse(previous_answer, nullptr, /*allow_exceptions=*/false);
    auto const it = answer.is_object() ? answer.find(call.from_previous->field) : answer.end();
    if (!answer.is_object() || it == answer.end() || !it->is_string() || it->get_ref<std::string const&>().empty()) {
        error = "the previous answer has no \"" + call.from_previous->field + "\"";
        return false;
    }
    auto value = nlohmann::json(it->get<std::string>()).dump();  // JSON-escaped: the bodies are JSON
    value = value.substr(1, value.size() - 2);
    auto const& placeholder = call.from_previous->placeholder;
    for (auto at = call.body.find(placeholder); at != std::string::npos; at = call.body.find(placeholder, at + value.size()))
        call.body.replace(at, placeholder.size(), value);
    call.from_previous.reset();
    return true;
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
