#include "fakes/fake_sms.hpp"

#include "fakes/call_log.hpp"
#include "fakes/fake_http_server.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

namespace signoff::test {

namespace {

using json = nlohmann::json;

constexpr std::size_t max_body_bytes = 1024 * 1024;
constexpr std::size_t max_body_chars = 1600;  // Twilio's limit for a concatenated message
constexpr std::string_view api_prefix = "/2010-04-01/Accounts/";
constexpr std::string_view messages_suffix = "/Messages.json";

struct answer {
    int status = 201;
    json body;
};

answer twilio_error(int status, int code, std::string message) {
    return {status,
            {{"code", code},
             {"message", std::move(message)},
             {"more_info", "https://www.twilio.com/docs/errors/" + std::to_string(code)},
             {"status", status}}};
}

answer scripted_error(int status) {
    switch (status) {
        case 400:
            return twilio_error(400, 21211, "The 'To' number is not a valid phone number.");
        case 401:
            return twilio_error(401, 20003, "Authenticate");
        case 429:
            return twilio_error(429, 20429, "Too Many Requests");
        case 500:
            return twilio_error(500, 20500, "Internal Server Error");
        case 503:
            return twilio_error(503, 20503, "Service Unavailable");
        default:
            return twilio_error(status, 20000 + status, "Error " + std::to_string(status));
    }
}

std::string base64(std::string_view s) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < s.size(); i += 3) {
        std::uint32_t n = static_cast<unsigned char>(s[i]) << 16;
        if (i + 1 < s.size()) n |= static_cast<unsigned char>(s[i + 1]) << 8;
        if (i + 2 < s.size()) n |= static_cast<unsigned char>(s[i + 2]);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += i + 1 < s.size() ? alphabet[(n >> 6) & 63] : '=';
        out += i + 2 < s.size() ? alphabet[n & 63] : '=';
    }
    return out;
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
}

// application/x-www-form-urlencoded; a pair that does not decode is left out, like a missing one.
std::map<std::string, std::string> parse_form(std::string_view body) {
    std::map<std::string, std::string> out;
    while (!body.empty()) {
        auto const amp = body.find('&');
        auto const pair = body.substr(0, amp);
        auto const eq = pair.find('=');
        auto name = url_decode(pair.substr(0, eq));
        auto value = eq == std::string_view::npos ? std::optional<std::string>{""} : url_decode(pair.substr(eq + 1));
        if (name && value) out[*name] = *value;
        if (amp == std::string_view::npos) break;
        body.remove_prefix(amp + 1);
    }
    return out;
}

bool is_e164(std::string const& s) {
    return s.size() >= 9 && s.size() <= 16 && s[0] == '+' && s[1] != '0' &&
           std::all_of(s.begin() + 1, s.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::size_t characters(std::string const& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

struct fake_sms::impl {
    impl(std::string account_sid, std::string auth_token) : sid(std::move(account_sid)), token(std::move(auth_token)) {}

    std::string sid;
    std::string token;

    std::mutex mutex;         // guards the state below; held while a request is decided and logged
    std::deque<int> scripts;  // statuses of the next failures
    std::uint64_t next_sid = 1;
    call_log<call> log;
    // NB: last, so it stops, and no handler runs, before the state above is destroyed.
    fake_http_server server{[this](http_request const& req) { return handle(req); }, max_body_bytes};

    // NB: called with `mutex` held; fills c.sid on success.
    answer create_message(call& c) {
        if (c.to.empty()) return twilio_error(400, 21604, "A 'To' phone number is required.");
        if (c.from.empty()) return twilio_error(400, 21603, "A 'From' phone number is required.");
        if (c.body.empty()) return twilio_error(400, 21602, "Message body is required.");
        if (!is_e164(c.to))
            return twilio_error(400, 21211, "The 'To' number " + c.to + " is not a valid phone number.");
        if (characters(c.body) > max_body_chars)
            return twilio_error(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
        c.sid = "SM" + std::to_string(next_sid++);
        return {201,
                {{"account_sid", sid},
                 {"api_version", "2010-04-01"},
                 {"body", c.body},
                 {"direction", "outbound-api"},
                 {"error_code", nullptr},
                 {"error_message", nullptr},
                 {"from", c.from},
                 {"to", c.to},
                 {"price", nullptr},
                 {"sid", c.sid},
                 {"status", "queued"},
                 {"uri", std::string(api_prefix) + sid + "/Messages/" + c.sid + ".json"}}};
    }

    fake_response handle(http_request const& req) {
        call c{.at = std::chrono::steady_clock::now()};
        auto const content_type = req.header("Content-Type").value_or("");
        if (iequals_prefix(content_type, "application/x-www-form-urlencoded")) {
            auto form = parse_form(req.body);
            c.to = std::move(form["To"]);
            c.from = std::move(form["From"]);
            c.body = std::move(form["Body"]);
        }
        auto const path = req.path();
        auto const authorization = req.header("Authorization").value_or("");
        bool const authenticated = authorization.size() > 6 && iequals_prefix(authorization, "Basic ") &&
                                   authorization.substr(6) == base64(sid + ":" + token);
        bool const messages = path == std::string(api_prefix) + sid + std::string(messages_suffix);

        std::lock_guard lock(mutex);
        answer a;
        if (!authenticated)
            a = twilio_error(401, 20003, "Authenticate");
        else if (!messages)
            a = twilio_error(404, 20404, "The requested resource " + std::string(path) + " was not found");
        else if (req.method != "POST")
            a = twilio_error(405, 20004, "Method not allowed");
        else if (!scripts.empty()) {
            a = scripted_error(scripts.front());
            scripts.pop_front();
        } else {
            a = create_message(c);
        }
        c.status = a.status;
        log.add(std::move(c));
        return {.status = a.status,
                .headers = {{"Server", "fake-twilio"}, {"Content-Type", "application/json"}},
                .body = a.body.dump()};
    }
};

fake_sms::fake_sms(std::string account_sid, std::string auth_token)
    : impl_(std::make_unique<impl>(std::move(account_sid), std::move(auth_token))) {}

fake_sms::~fake_sms() = default;

std::uint16_t fake_sms::port() const { return impl_->server.port(); }

std::string fake_sms::api_base() const { return impl_->server.base_url(); }

config::sms_config fake_sms::sms_config(std::string from) const {
    config::sms_config cfg;
    cfg.api_base = api_base();
    cfg.account_sid = impl_->sid;
    cfg.auth_token = impl_->token;
    cfg.from = std::move(from);
    return cfg;
}

std::vector<fake_sms::call> fake_sms::calls() const { return impl_->log.all(); }

bool fake_sms::wait_for_calls(std::size_t count, std::chrono::milliseconds timeout) const {
    return impl_->log.wait_for_count(count, timeout);
}

void fake_sms::fail_next_with(int status, int count) {
    std::lock_guard lock(impl_->mutex);
    for (int i = 0; i < count; ++i) impl_->scripts.push_back(status);
}

void fake_sms::reset() {
    std::lock_guard lock(impl_->mutex);
    impl_->scripts.clear();
    impl_->log.clear();
}

}  // namespace signoff::test
