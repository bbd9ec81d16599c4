#include "integration/telegram_fixture.hpp"

#include "store/sqlite.hpp"

#include <thread>

namespace signoff::test {

telegram_world::telegram_world(std::function<void(nlohmann::json&)> const& adjust, std::optional<std::string> bot_token,
                               environment extra_env) {
    extra_env.emplace("TELEGRAM_BOT_TOKEN", bot_token.value_or(telegram.token()));
    extra_env.emplace("TELEGRAM_SECRET_TOKEN", telegram_secret);
    extra_env.emplace("TELEGRAM_API_BASE", telegram.api_base());
    server.emplace(
        [&](nlohmann::json& cfg) {
            for (auto& p : cfg["people"])
                if (p["id"] == "ddg-ca") p["language"] = "zh";
            if (adjust) adjust(cfg);
        },
        extra_env);
}

int telegram_world::post(nlohmann::json const& update) {
    return server->agency
        .request("POST", "/webhook/telegram", update.dump(),
                 {{"Content-Type", "application/json"}, {"X-Telegram-Bot-Api-Secret-Token", telegram_secret}})
        .status;
}

int telegram_world::send_text(std::int64_t from, std::string const& text, std::optional<std::int64_t> reply_to) {
    nlohmann::json user = {{"id", from}, {"is_bot", false}, {"first_name", "Tester"}};
    nlohmann::json chat = {{"id", from}, {"type", "private"}, {"first_name", "Tester"}};
    nlohmann::json message = {{"message_id", next_update % 100000}, {"from", user}, {"chat", chat},
                              {"date", 1790000000}, {"text", text}};
    if (reply_to)
        message["reply_to_message"] = {{"message_id", *reply_to},
                                       {"from", {{"id", 7000000001}, {"is_bot", true}, {"first_name", "signoff"}}},
                                       {"chat", chat},
                                       {"date", 1790000000},
                                       {"text", "…"}};
    return post({{"update_id", next_update++}, {"message", message}});
}

int telegram_world::press(std::int64_t from, std::string const& data, std::int64_t message_id) {
    nlohmann::json chat = {{"id", from}, {"type", "private"}, {"first_name", "Tester"}};
    return post({{"update_id", next_update++},
                 {"callback_query",
                  {{"id", "cb" + std::to_string(next_update)},
                   {"from", {{"id", from}, {"is_bot", false}, {"first_name", "Tester"}}},
                   {"message",
                    {{"message_id", message_id},
                     {"from", {{"id", 7000000001}, {"is_bot", true}, {"first_name", "signoff"}}},
                     {"chat", chat},
                     {"date", 1790000000},
                     {"text", "card"}}},
                   {"chat_instance", "1"},
                   {"data", data}}}});
}

std::vector<fake_telegram::call> telegram_world::messages_to(std::int64_t chat) {
    std::vector<fake_telegram::call> out;
    for (auto const& c : telegram.calls("sendMessage"))
        if (c.status == 200 && c.body.value("chat_id", nlohmann::json()).dump() == std::to_string(chat)) out.push_back(c);
    return out;
}

fake_telegram::call telegram_world::wait_message(std::int64_t chat, std::size_t nth, std::chrono::milliseconds timeout) {
    telegram.wait_for([&](auto const&) { return messages_to(chat).size() >= nth; }, timeout);
    auto all = messages_to(chat);
    if (all.size() < nth)
        throw std::runtime_error("chat " + std::to_string(chat) + " got " + std::to_string(all.size()) +
                                 " messages, expected " + std::to_string(nth) + "; server log:\n" +
                                 server->process->stderr_text());
    return all[nth - 1];
}

std::string telegram_world::last_text_to(std::int64_t chat) {
    auto all = messages_to(chat);
    return all.empty() ? std::string{} : all.back().body.value("text", "");
}

std::int64_t telegram_world::card_message_id(std::int64_t item, std::string const& person, std::string const& purpose,
                                            std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        {
            sqlite::database db(server->db_path, {.read_only = true, .synchronous = "normal"});
            auto s = db.prepare(
                "SELECT platform_message_id FROM outbox WHERE item_id = ? AND recipient = ? AND purpose = ? "
                "AND status = 'sent' ORDER BY id DESC LIMIT 1");
            s.bind(item, person, purpose);
            if (s.step()) return std::stoll(s.column_text(0));
        }
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("no " + purpose + " about #" + std::to_string(item) + " was delivered to " + person);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

nlohmann::json telegram_world::submit(nlohmann::json const& body) {
    auto r = server->agency.post_json("/api/v1/items", body);
    if (r.status != 201) throw std::runtime_error("submit failed: " + r.body);
    return r.json();
}

nlohmann::json telegram_world::item(std::int64_t id) {
    return server->agency.get("/api/v1/items/" + std::to_string(id)).json();
}

}  // namespace signoff::test
