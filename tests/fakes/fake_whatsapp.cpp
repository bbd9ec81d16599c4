#include "fakes/fake_whatsapp.hpp"

#include "fakes/call_log.hpp"
#include "fakes/fake_http_server.hpp"
#include "fakes/json_body.hpp"

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

namespace signoff::test {

namespace {

using json = nlohmann::json;

constexpr std::size_t max_text_units = 4096;  // text.body, counted as UTF-16 code units
constexpr std::size_t max_interactive_body_units = 1024;
constexpr std::size_t max_button_title_units = 20;
constexpr std::size_t max_button_id_units = 256;
constexpr std::size_t max_buttons = 3;
constexpr std::string_view api_version = "/v21.0";

struct answer {
    int status = 200;
    json body;
};

std::string message_for(int code) {
    switch (code) {
        case 4:
            return "(#4) Application request limit reached";
        case 100:
            return "(#100) Invalid parameter";
        case 190:
            return "Invalid OAuth access token.";
        case 80007:
            return "(#80007) Rate limit issues";
        case 130429:
            return "(#130429) Rate limit hit";
        case 131000:
            return "(#131000) Something went wrong";
        case 131026:
            return "(#131026) Message undeliverable";
        case 131047:
            return "(#131047) Re-engagement message";
        case 131056:
            return "(#131056) (Business Account, Consumer Account) pair rate limit hit";
        default:
            return "(#" + std::to_string(code) + ") Scripted failure";
    }
}

answer graph_error(int status, int code, std::string details = "") {
    if (details.empty() && code == 131047)
        details = "More than 24 hours have passed since the recipient last replied to the sender number.";
    json error{{"message", message_for(code)}, {"type", "OAuthException"}, {"code", code}};
    if (code != 190) error["error_data"] = {{"messaging_product", "whatsapp"}, {"details", std::move(details)}};
    error["fbtrace_id"] = "AFakeTraceId";
    return {status, {{"error", std::move(error)}}};
}

answer invalid(std::string details) { return graph_error(400, 100, std::move(details)); }

std::size_t utf16_units(std::string const& s) {
    std::size_t units = 0;
    for (unsigned char c : s) units += ((c & 0xC0) != 0x80) + (c >= 0xF0);
    return units;
}

// A non-empty string of at most `max` UTF-16 units at `key` of `o`.
bool good_string(json const& o, char const* key, std::size_t max) {
    auto const it = o.find(key);
    if (it == o.end() || !it->is_string()) return false;
    auto const& s = it->get_ref<std::string const&>();
    return !s.empty() && utf16_units(s) <= max;
}

std::optional<answer> check_interactive(json const& body) {
    auto const it = body.find("interactive");
    if (it == body.end() || !it->is_object()) return invalid("The parameter interactive is required.");
    auto const& in = *it;
    if (in.value("type", json()) != "button") return invalid("Param interactive['type'] must be button.");
    if (!in.contains("body") || !in["body"].is_object() || !good_string(in["body"], "text", max_interactive_body_units))
        return invalid("Param interactive['body']['text'] must be 1 to 1024 characters long.");
    if (!in.contains("action") || !in["action"].is_object() || !in["action"].contains("buttons") ||
        !in["action"]["buttons"].is_array())
        return invalid("The parameter interactive['action']['buttons'] is required.");
    auto const& buttons = in["action"]["buttons"];
    if (buttons.empty() || buttons.size() > max_buttons)
        return invalid("Param interactive['action']['buttons'] must have 1 to 3 elements.");
    std::set<std::string> ids, titles;
    for (auto const& b : buttons) {
        if (!b.is_object() || b.value("type", json()) != "reply" || !b.contains("reply") || !b["reply"].is_object())
            return invalid("Param interactive['action']['buttons'][]['type'] must be reply.");
        auto const& reply = b["reply"];
        if (!good_string(reply, "id", max_button_id_units))
            return invalid("Param interactive['action']['buttons'][]['reply']['id'] must be 1 to 256 characters long.");
        if (!good_string(reply, "title", max_button_title_units))
            return invalid(
                "Param interactive['action']['buttons'][]['reply']['title'] must be 1 to 20 characters long.");
        if (!ids.insert(reply["id"].get<std::string>()).second) return invalid("Button ids must be unique.");
        if (!titles.insert(reply["title"].get<std::string>()).second) return invalid("Button titles must be unique.");
    }
    return std::nullopt;
}

std::optional<answer> check_message(json const& body) {
    if (!body.is_object()) return invalid("The request body must be a JSON object.");
    if (body.value("messaging_product", json()) != "whatsapp")
        return invalid("The parameter messaging_product is required and must be whatsapp.");
    if (!good_string(body, "to", 64)) return invalid("The parameter to is required.");
    if (auto const r = body.find("recipient_type"); r != body.end() && *r != "individual")
        return invalid("Param recipient_type must be individual.");
    if (auto const c = body.find("context");
        c != body.end() && (!c->is_object() || !good_string(*c, "message_id", 512)))
        return invalid("Param context['message_id'] must be a message id.");
    auto const type = body.value("type", json());
    if (type == "text") {
        auto const t = body.find("text");
        if (t == body.end() || !t->is_object() || !good_string(*t, "body", max_text_units))
            return invalid("Param text['body'] must be 1 to 4096 characters long.");
        return std::nullopt;
    }
    if (type == "interactive") return check_interactive(body);
    if (type == "image" || type == "video" || type == "document") {
        auto const m = body.find(type.get<std::string>());
        if (m == body.end() || !m->is_object() || (m->contains("id") == m->contains("link")))
            return invalid("Param " + type.get<std::string>() + " must have either id or link.");
        if (m->contains("link") && !(good_string(*m, "link", 2048) && (*m)["link"].get<std::string>().starts_with("http")))
            return invalid("Param " + type.get<std::string>() + "['link'] is not a valid URL.");
        return std::nullopt;
    }
    if (type == "template") {
        auto const t = body.find("template");
        if (t == body.end() || !t->is_object() || !good_string(*t, "name", 512) || !t->contains("language") ||
            !(*t)["language"].is_object() || !good_string((*t)["language"], "code", 16))
            return invalid("Param template['name'] and template['language']['code'] are required.");
        return std::nullopt;
    }
    return invalid("Param type must be one of {text, interactive, template, image, video, document}.");
}

struct script {
    int status;
    int code;
};

}  // namespace

struct fake_whatsapp::impl {
    impl(std::string id, std::string t) : phone_number_id(std::move(id)), token(std::move(t)) {}

    std::string phone_number_id;
    std::string token;

    std::mutex mutex;  // guards the state below; held while a request is decided and logged
    std::deque<script> scripts;
    std::set<std::string> closed_windows;
    std::uint64_t next_message_id = 1;
    std::map<std::string, std::string> media;  // uploaded media id → bytes
    call_log<call> log;
    // NB: last, so it stops, and no handler runs, before the state above is destroyed.
    fake_http_server server{[this](http_request const& req) { return record(req); }};

    // NB: called with `mutex` held.
    answer send(json const& body, std::string& message_id) {
        if (auto e = check_message(body)) return *e;
        auto const to = body["to"].get<std::string>();
        auto const type = body["type"].get<std::string>();
        if (type != "template" && closed_windows.contains(to)) return graph_error(400, 131047);
        if (auto const m = body.find(type); m != body.end() && m->is_object() && m->contains("id"))
            if (!(*m)["id"].is_string() || !media.contains((*m)["id"].get<std::string>()))
                return graph_error(400, 131053, "Media upload error: unknown media id");
        message_id = "wamid." + std::to_string(next_message_id++);
        json sent{{"id", message_id}};
        if (type == "template") sent["message_status"] = "accepted";
        return {200,
                {{"messaging_product", "whatsapp"},
                 {"contacts", {{{"input", to}, {"wa_id", to}}}},
                 {"messages", {std::move(sent)}}}};
    }

    // NB: called with `mutex` held.
    answer upload(http_request const& req, std::vector<form_part>& files) {
        auto const type = req.header("Content-Type");
        auto parts = type ? parse_form(*type, req.body) : std::nullopt;
        if (!parts) return invalid("The request must be multipart/form-data.");
        auto const* product = find_part(*parts, "messaging_product");
        auto const* mime = find_part(*parts, "type");
        auto const* file = find_part(*parts, "file");
        for (auto const& p : *parts)
            if (p.filename) files.push_back(p);
        if (!product || product->value != "whatsapp") return invalid("The parameter messaging_product is required.");
        if (!file || !file->filename || file->value.empty()) return invalid("The parameter file is required.");
        if (!mime || mime->value.empty()) return invalid("The parameter type is required.");
        auto id = std::to_string(900000000000000 + next_message_id++);
        media[id] = file->value;
        return {200, {{"id", id}}};
    }

    answer handle(http_request const& req, json const& body, bool body_ok, std::string_view path,
                  std::string& message_id, std::vector<form_part>& files) {
        if (req.header("Authorization").value_or("") != "Bearer " + token) return graph_error(401, 190);
        if (req.method == "POST" && path == std::string(api_version) + "/" + phone_number_id + "/media") {
            if (!scripts.empty()) {
                auto const s = scripts.front();
                scripts.pop_front();
                return graph_error(s.status, s.code);
            }
            return upload(req, files);
        }
        auto const expected = std::string(api_version) + "/" + phone_number_id + "/messages";
        if (path != expected) {
            auto e = graph_error(400, 100, "Unsupported request: " + std::string(path));
            e.body["error"]["message"] = "Unsupported " + req.method + " request.";
            return e;
        }
        if (req.method != "POST") return graph_error(400, 100, "Only POST is supported.");
        if (!scripts.empty()) {
            auto const s = scripts.front();
            scripts.pop_front();
            return graph_error(s.status, s.code);
        }
        if (!body_ok) return invalid("The request body must be a JSON object.");
        return send(body, message_id);
    }

    fake_response record(http_request const& req) {
        auto const arrived = std::chrono::steady_clock::now();
        auto const path = req.path();
        auto [body, body_ok] = read_json_body(req.body);
        if (auto type = req.header("Content-Type"); type && type->starts_with("multipart/")) {
            body = json::object();  // an upload: its text fields are recorded as the body
            for (auto const& part : parse_form(*type, req.body).value_or(std::vector<form_part>{}))
                if (!part.filename) body[part.name] = part.value;
        }

        std::lock_guard lock(mutex);
        std::string message_id;
        std::vector<form_part> files;
        auto const a = handle(req, body, body_ok, path, message_id, files);
        log.add({.path = std::string(path), .body = body, .at = arrived, .status = a.status, .message_id = message_id,
                 .files = std::move(files)});
        fake_response res{.status = a.status,
                          .headers = {{"Server", "fake-whatsapp"}, {"Content-Type", "application/json"}},
                          .body = a.body.dump()};
        if (a.status == 401)
            res.headers.emplace_back("WWW-Authenticate", R"(OAuth "Facebook Platform" "invalid_token")");
        return res;
    }
};

fake_whatsapp::fake_whatsapp(std::string phone_number_id, std::string token)
    : impl_(std::make_unique<impl>(std::move(phone_number_id), std::move(token))) {}

fake_whatsapp::~fake_whatsapp() = default;

std::uint16_t fake_whatsapp::port() const { return impl_->server.port(); }

std::string fake_whatsapp::api_base() const { return impl_->server.base_url() + std::string(api_version); }

std::string const& fake_whatsapp::phone_number_id() const { return impl_->phone_number_id; }

std::string const& fake_whatsapp::token() const { return impl_->token; }

std::optional<std::string> fake_whatsapp::uploaded(std::string const& media_id) const {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->media.find(media_id);
    if (it == impl_->media.end()) return std::nullopt;
    return it->second;
}

std::vector<fake_whatsapp::call> fake_whatsapp::calls() const { return impl_->log.all(); }

bool fake_whatsapp::wait_for(std::function<bool(std::vector<call> const&)> pred, std::chrono::milliseconds timeout) {
    return impl_->log.wait_for(pred, timeout);
}

bool fake_whatsapp::wait_for_calls(std::size_t count, std::chrono::milliseconds timeout) {
    return impl_->log.wait_for_count(count, timeout);
}

void fake_whatsapp::close_window_for(std::string wa_id) {
    std::lock_guard lock(impl_->mutex);
    impl_->closed_windows.insert(std::move(wa_id));
}

void fake_whatsapp::open_window_for(std::string wa_id) {
    std::lock_guard lock(impl_->mutex);
    impl_->closed_windows.erase(wa_id);
}

void fake_whatsapp::fail_next_with(int http_status, int code, int count) {
    std::lock_guard lock(impl_->mutex);
    for (int i = 0; i < count; ++i) impl_->scripts.push_back({.status = http_status, .code = code});
}

void fake_whatsapp::reset() {
    std::lock_guard lock(impl_->mutex);
    impl_->scripts.clear();
    impl_->closed_windows.clear();
    impl_->log.clear();
}

}  // namespace signoff::test
