// Every query on a request's, the dispatcher's or the scheduler's path uses an index (SPEC §9).
// Rather than a second copy of the store's SQL, the test runs the server's own parts in this
// process (the router with the REST API and the Telegram webhook, the outbox dispatcher against
// a fake Bot API, the scheduler) through a working day, records the text of every statement any
// SQLite connection runs meanwhile, and asks SQLite for the plan of each.

#include "adapters/telegram.hpp"
#include "bot/api/routes.hpp"
#include "bot/outbox/callback_channel.hpp"
#include "bot/outbox/dispatcher.hpp"
#include "bot/scheduler/scheduler.hpp"
#include "bot/webhooks/webhooks.hpp"
#include "config/load.hpp"
#include "fakes/fake_telegram.hpp"
#include "fakes/recording_server.hpp"
#include "store/items.hpp"
#include "store/schema.hpp"
#include "support/temp_dir.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <atomic>
#include <ctime>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

using namespace signoff;
namespace net = boost::asio;

namespace {

// Records the SQL text of every statement run on any connection opened while it lives
// (sqlite3_auto_extension installs a trace on each new connection), while `recording` is set.
class sql_recorder {
public:
    sql_recorder() {
        instance_ = this;
        sqlite3_auto_extension(reinterpret_cast<void (*)()>(&install));
    }
    ~sql_recorder() {
        sqlite3_cancel_auto_extension(reinterpret_cast<void (*)()>(&install));
        instance_ = nullptr;
    }
    std::atomic<bool> recording{true};

    std::vector<std::string> statements() const {
        std::lock_guard lock(mutex_);
        return {seen_.begin(), seen_.end()};
    }

private:
    static int install(sqlite3* db, char const**, sqlite3_api_routines const*) {
        sqlite3_trace_v2(db, SQLITE_TRACE_STMT, &on_statement, nullptr);
        return SQLITE_OK;
    }
    static int on_statement(unsigned, void*, void* stmt, void* text) {
        auto* self = instance_;
        // Statements run by a trigger report "-- trigger name" as their text; the trigger's
        // statement itself has no table to scan here.
        if (!self || !self->recording || std::string_view(static_cast<char const*>(text)).starts_with("--")) return 0;
        std::lock_guard lock(self->mutex_);
        self->seen_.insert(sqlite3_sql(static_cast<sqlite3_stmt*>(stmt)));
        return 0;
    }
    static inline sql_recorder* instance_ = nullptr;
    mutable std::mutex mutex_;
    std::set<std::string> seen_;
};

struct full_scan {
    std::string sql;
    std::string plan_line;
};

// SQLite's plan for `sql`, one line per step. Prepared afresh each time (not through the
// connection's statement cache): a plan is fixed when it is prepared, and the test changes the
// schema between looks.
std::vector<std::string> plan_of(sqlite::database& db, std::string const& sql) {
    auto text = "EXPLAIN QUERY PLAN " + sql;
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db.handle(), text.c_str(), -1, &raw, nullptr) != SQLITE_OK)
        throw std::runtime_error(std::string("cannot explain: ") + sqlite3_errmsg(db.handle()) + " in " + sql);
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(raw, &sqlite3_finalize);
    std::vector<std::string> lines;
    while (sqlite3_step(stmt.get()) == SQLITE_ROW)
        lines.emplace_back(reinterpret_cast<char const*>(sqlite3_column_text(stmt.get(), 3)));
    return lines;
}

// The statements whose plan reads the whole of items, events, steps or outbox: a "SCAN" of the
// table itself, or of one of its full indexes from end to end. Two scans read only what they
// need: of a partial index (it holds just the open items, or the queued messages), and of a
// statement with no condition but a LIMIT (the newest items, the tip of the audit chain), which
// stops after LIMIT rows.
std::vector<full_scan> full_scans(sqlite::database& db, std::vector<std::string> const& statements) {
    static std::regex const scan(R"(^SCAN (items|events|steps|outbox)\b(?: USING (?:COVERING )?INDEX (\w+))?)");
    static std::regex const bounded(R"(^SELECT (?:(?!\bWHERE\b).)* (?:WHERE 1 = 1 )?ORDER BY [^?]* LIMIT (?:\?|\d+)$)");
    std::set<std::string> partial;
    for (auto s = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'"); s.step();)
        partial.insert(s.column_text(0));
    std::vector<full_scan> out;
    for (auto const& sql : statements) {
        if (!(sql.starts_with("SELECT") || sql.starts_with("UPDATE") || sql.starts_with("DELETE") ||
              sql.starts_with("INSERT")))
            continue;
        std::vector<std::string> lines;
        for (auto const& line : plan_of(db, sql)) lines.push_back(line);
        bool sorted_anew = std::any_of(lines.begin(), lines.end(),
                                       [](auto const& l) { return l.find("TEMP B-TREE") != std::string::npos; });
        bool stops_at_limit = std::regex_match(sql, bounded) && !sorted_anew;
        for (auto const& line : lines) {
            std::smatch m;
            if (std::regex_search(line, m, scan) && !partial.contains(m[2].str()) && !stops_at_limit)
                out.push_back({sql, line});
        }
    }
    return out;
}

// The recorded INSERTs and UPDATEs whose program builds a temporary table each time it runs
// (an IN list of three or more constants in a partial index's WHERE does: SQLite tests it through
// one, for the old and the new row of every index it guards).
std::vector<std::string> writes_building_tables(sqlite::database& db, std::vector<std::string> const& statements) {
    std::vector<std::string> out;
    for (auto const& sql : statements) {
        if (!(sql.starts_with("INSERT") || sql.starts_with("UPDATE"))) continue;
        auto program = db.prepare("EXPLAIN " + sql);
        bool builds = false;
        while (program.step()) builds = builds || program.column_text(1) == "OpenEphemeral";
        if (builds && std::find(out.begin(), out.end(), sql) == out.end()) out.push_back(sql);
    }
    return out;
}

std::string describe(std::vector<full_scan> const& scans) {
    std::string out;
    for (auto const& s : scans) out += s.plan_line + "  <-  " + s.sql + "\n";
    return out;
}

constexpr char const* secret = "plan-test-secret";
constexpr char const* admin_key = "demo-prdesk-key";  // config/demo.json's prdesk key (submit, read, admin)
constexpr std::int64_t ddg_std = 100000004;
constexpr std::int64_t ddg_ca = 100000006;
constexpr std::int64_t stranger = 999999999;

// HH:MM a minute ago in UTC: the digest is then due, and the scheduler sends it on its next pass.
std::string a_minute_ago() {
    std::time_t t = std::time(nullptr) - 60;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[6];
    std::strftime(text, sizeof text, "%H:%M", &tm);
    return text;
}

config::config test_config(std::string const& db_path, std::string const& telegram_base, std::string const& callback) {
    auto cfg = nlohmann::json::parse(test::read_file(std::string(SIGNOFF_SOURCE_DIR) + "/config/demo.json"));
    cfg["store"]["path"] = db_path;
    cfg["timezone"] = "UTC";
    cfg["timers"] = {{"tick_seconds", 0.05}, {"first_retry_seconds", 0.1}};
    cfg["sla"]["urgent_minutes"] = 0.005;  // urgent items escalate within the test
    cfg["sla"]["digest_at"] = a_minute_ago();
    cfg["channels"]["telegram"] = {{"bot_token", "123456:TEST-TOKEN"}, {"secret_token", secret},
                                   {"api_base", telegram_base}};
    cfg["api"]["callback"] = {{"url", callback}, {"secret", "callback-secret"}};
    auto loaded = config::load_text(cfg.dump());
    if (!loaded.value) throw std::runtime_error("test config: " + config::format(loaded.problems.front()));
    return std::move(*loaded.value);
}

// The server's parts wired as bot/serve.cpp wires them, minus the listener: requests go to the
// router directly.
struct in_process_server {
    explicit in_process_server(std::string const& db_path)
        : cfg(test_config(db_path, telegram.api_base(), agency.url("/hooks/signoff"))),
          writer(cfg.store.path, cfg.store.synchronous),
          readers(cfg.store.path),
          creatives(cfg.store.path + ".media", "", ""),
          application{cfg, writer, readers, clk, metrics::global(), creatives, bulk.get_executor()} {
        add_api_routes(routes, application);
        add_telegram_webhook(routes, application);
        channels.add(telegram::make_channel(cfg.channels.telegram));
        channels.add(outbox::make_callback_channel(cfg.api));
        dispatcher_options options;
        options.retry.first_delay = 100;
        dispatcher.emplace(ioc, application, channels, options);
        writer.on_commit([this] { dispatcher->wake(); });
        dispatcher->start();
        timers.emplace(ioc, application);
        timers->start();
        for (int i = 0; i < 2; ++i) threads.emplace_back([this] { ioc.run(); });
    }
    ~in_process_server() {
        timers->stop();
        dispatcher->stop();
        // Deliveries in flight end within their timeout; the test needs none of them.
        for (int i = 0; i < 100 && !ioc.stopped(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        ioc.stop();
        for (auto& t : threads) t.join();
        writer.on_commit(nullptr);
        bulk.join();
    }

    http_response call(std::string method, std::string target, std::string body = {}, header_list headers = {}) {
        http_request req{.method = std::move(method), .target = std::move(target), .headers = std::move(headers),
                         .body = std::move(body), .remote = "127.0.0.1"};
        req.headers.emplace_back("Content-Type", "application/json");
        return net::co_spawn(ioc, routes.route(req), net::use_future).get();
    }
    http_response api(std::string method, std::string target, nlohmann::json const& body = nullptr,
                      header_list headers = {}) {
        headers.emplace_back("Authorization", std::string("Bearer ") + admin_key);
        return call(std::move(method), std::move(target), body.is_null() ? "" : body.dump(), std::move(headers));
    }
    // 2xx, or the answer's status and body to show in the failure.
    std::string answered(std::string method, std::string target, nlohmann::json const& body = nullptr,
                         header_list headers = {}) {
        auto r = api(std::move(method), std::move(target), body, std::move(headers));
        return r.status / 100 == 2 ? "2xx" : std::to_string(r.status) + " " + r.body;
    }
    std::int64_t submit(nlohmann::json const& body, header_list headers = {}) {
        auto r = api("POST", "/api/v1/items", body, std::move(headers));
        if (r.status != 201) throw std::runtime_error("submit: " + r.body);
        return nlohmann::json::parse(r.body).at("id").get<std::int64_t>();
    }
    int update(nlohmann::json message_or_callback) {
        message_or_callback["update_id"] = next_update++;
        return call("POST", "/webhook/telegram", message_or_callback.dump(),
                    {{"X-Telegram-Bot-Api-Secret-Token", secret}})
            .status;
    }
    int text(std::int64_t from, std::string const& words, std::optional<std::int64_t> reply_to = std::nullopt) {
        nlohmann::json chat = {{"id", from}, {"type", "private"}, {"first_name", "Tester"}};
        nlohmann::json message = {{"message_id", next_update}, {"from", {{"id", from}, {"is_bot", false},
                                  {"first_name", "Tester"}}}, {"chat", chat}, {"date", 1790000000}, {"text", words}};
        if (reply_to)
            message["reply_to_message"] = {{"message_id", *reply_to}, {"chat", chat}, {"date", 1790000000},
                                           {"from", {{"id", 123456}, {"is_bot", true}, {"first_name", "signoff"}}},
                                           {"text", "…"}};
        return update({{"message", message}});
    }
    int press(std::int64_t from, std::string const& data, std::int64_t message_id) {
        nlohmann::json chat = {{"id", from}, {"type", "private"}, {"first_name", "Tester"}};
        return update({{"callback_query",
                        {{"id", "cb" + std::to_string(next_update)},
                         {"from", {{"id", from}, {"is_bot", false}, {"first_name", "Tester"}}},
                         {"message", {{"message_id", message_id}, {"chat", chat}, {"date", 1790000000},
                                      {"text", "card"}}},
                         {"chat_instance", "1"},
                         {"data", data}}}});
    }

    test::fake_telegram telegram;
    test::recording_server agency;
    config::config cfg;
    store::writer writer;
    store::reader_pool readers;
    system_clock clk;
    net::thread_pool bulk{1};
    media::library creatives;
    app application;
    router routes;
    channels::channel_set channels;
    net::io_context ioc;
    std::optional<outbox_dispatcher> dispatcher;
    std::optional<scheduler> timers;
    std::vector<std::thread> threads;
    std::int64_t next_update = 700000;
};

// Waits (not recording: the test's own look-ups are no server path) until nothing is queued.
void wait_settled(sql_recorder& recorder, std::string const& db_path) {
    recorder.recording = false;
    sqlite::database db(db_path, {.read_only = true});
    for (int i = 0; i < 500; ++i) {
        auto s = db.prepare("SELECT COUNT(*) FROM outbox WHERE status = 'queued'");
        if (s.step() && s.column_int(0) == 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    recorder.recording = true;
}

std::int64_t card_message(sql_recorder& recorder, std::string const& db_path, std::int64_t item,
                          std::string const& person) {
    recorder.recording = false;
    sqlite::database db(db_path, {.read_only = true});
    auto s = db.prepare("SELECT platform_message_id FROM outbox WHERE item_id = ? AND recipient = ? AND "
                        "purpose = 'item_card' AND status = 'sent' ORDER BY id DESC LIMIT 1");
    s.bind(item, person);
    REQUIRE(s.step());
    auto message_id = s.column_optional_text(0);
    REQUIRE(message_id);  // the card went as itself, not as a line of a list
    std::int64_t id = std::stoll(*message_id);
    recorder.recording = true;
    return id;
}

nlohmann::json draft(std::string title, nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json body = {{"kind", "draft"}, {"title", std::move(title)}, {"body", "Standards make products safer."},
                           {"platforms", {"x", "weibo"}}, {"topic", "standards"}};
    body.update(extra);
    return body;
}

}  // namespace

TEST_CASE("Every query the server runs for requests, deliveries and timers reads an index, not a whole table",
          "[store][plans]") {
    test::temp_dir tmp;
    auto db_path = (tmp.path() / "signoff.db").string();
    sql_recorder recorder;
    recorder.recording = false;  // not the migrations at start
    {
        in_process_server server(db_path);
        recorder.recording = true;
        auto soon = rfc3339(server.clk.now() + ms_per_hour);  // within remind_before_hours: a reminder fires

        // The agency and the PR desk submit; an Idempotency-Key is replayed.
        // Each card is let go before the next: more than three waiting for one chat would go as
        // one list (SPEC §6), and the quote-replies and button presses below need the cards.
        auto first = server.submit(draft("World Standards Day"), {{"Idempotency-Key", "agency-1"}});
        CHECK(server.submit(draft("World Standards Day"), {{"Idempotency-Key", "agency-1"}}) == first);
        wait_settled(recorder, db_path);
        auto by_button = server.submit(draft("Consumer week", {{"due", soon}}));
        wait_settled(recorder, db_path);
        auto to_reject = server.submit(draft("Too long a post"));
        wait_settled(recorder, db_path);
        auto to_change = server.submit(draft("A poster", {{"tier", "sensitive"}}));
        wait_settled(recorder, db_path);
        auto urgent = server.submit(draft("Flood warning", {{"urgent", true}}));
        auto complaint = server.submit({{"kind", "complaint"}, {"body", "No answer for a month."},
                                        {"topic", "grievances"},
                                        {"source", {{"platform", "x"}, {"author", "@citizen"},
                                                    {"url", "https://x.example/status/1"},
                                                    {"received_at", "2026-11-20T08:00:00Z"}}}});
        wait_settled(recorder, db_path);

        // The heads answer in chat: text, buttons, quote-replies; strangers write too.
        CHECK(server.text(ddg_std, "pending") == 200);
        CHECK(server.text(ddg_std, "show " + std::to_string(first)) == 200);
        CHECK(server.text(ddg_std, "history " + std::to_string(first)) == 200);
        CHECK(server.text(ddg_std, "approve " + std::to_string(first)) == 200);
        CHECK(server.press(ddg_std, "a:" + std::to_string(by_button) + ":1",
                           card_message(recorder, db_path, by_button, "ddg-std")) == 200);
        CHECK(server.text(ddg_std, "reject " + std::to_string(to_reject)) == 200);  // asks why
        wait_settled(recorder, db_path);
        CHECK(server.text(ddg_std, "far too long", card_message(recorder, db_path, to_reject, "ddg-std")) == 200);
        CHECK(server.text(ddg_std, "ok", card_message(recorder, db_path, to_change, "ddg-std")) == 200);
        CHECK(server.text(stranger, "hello?") == 200);
        CHECK(server.text(ddg_ca, "interim " + std::to_string(complaint) + " we are looking into it") == 200);
        CHECK(server.text(ddg_ca, "help") == 200);
        CHECK(server.text(ddg_ca, "away") == 200);
        CHECK(server.text(ddg_ca, "back") == 200);
        CHECK(server.text(ddg_std, "assign " + std::to_string(urgent) + " dh-std") == 200);
        wait_settled(recorder, db_path);

        // The PR desk's tools: revisions, decisions, publication, availability, lists, the trail.
        auto sid = std::to_string(to_change);
        CHECK(server.answered("POST", "/api/v1/items/" + sid + "/decisions",
                         {{"action", "changes"}, {"person", "dh-std"}, {"text", "brighter"}}) == "2xx");
        CHECK(server.answered("POST", "/api/v1/items/" + sid + "/revisions",
                         {{"title", "A brighter poster"}, {"body", "Standards make products safer!"}}) == "2xx");
        CHECK(server.answered("POST", "/api/v1/items/" + std::to_string(complaint) + "/decisions",
                         {{"action", "reply"}, {"person", "ddg-ca"}, {"text", "Your licence was issued."}}) == "2xx");
        for (auto platform : {"x", "weibo"})
            CHECK(server.answered("POST", "/api/v1/items/" + std::to_string(first) + "/published",
                             {{"platform", platform}, {"url", "https://x.example/status/2"}}) == "2xx");
        CHECK(server.answered("POST", "/api/v1/items/" + std::to_string(urgent) + "/withdraw", {{"reason", "over"}}) == "2xx");
        CHECK(server.answered("PUT", "/api/v1/people/ddg-ca/availability", {{"away", true}}) == "2xx");
        for (auto query : {"", "?status=pending", "?kind=complaint", "?assignee=ddg-std", "?role=standardisation",
                           "?overdue=true", "?after=3&limit=2", "?status=pending&role=standardisation"})
            CHECK(server.answered("GET", std::string("/api/v1/items") + query) == "2xx");
        CHECK(server.answered("GET", "/api/v1/items/" + sid) == "2xx");
        CHECK(server.answered("GET", "/api/v1/audit?after=2&limit=5") == "2xx");
        CHECK(server.answered("GET", "/api/v1/audit", nullptr, {{"Accept", "application/x-ndjson"}}) == "2xx");
        for (auto path : {"/healthz", "/readyz", "/metrics"}) CHECK(server.call("GET", path).status == 200);
        wait_settled(recorder, db_path);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a few scheduler passes
    }
    recorder.recording = false;
    auto statements = recorder.statements();
    sqlite::database db(db_path, {});

    // The day above did reach the queries that matter, with rows in the tables.
    auto ran = [&](std::string_view fragment) {
        return std::any_of(statements.begin(), statements.end(),
                           [&](auto const& s) { return s.find(fragment) != std::string::npos; });
    };
    CHECK(ran("FROM items WHERE assignee = ?"));        // pending
    CHECK(ran("FROM outbox WHERE item_id = ?"));        // the cards to edit after a decision
    CHECK(ran("FROM outbox WHERE status = 'queued'"));  // the dispatcher
    CHECK(ran("FROM items INDEXED BY items_with_timers WHERE " + std::string(store::open_status_sql)));
    CHECK(ran("DELETE FROM inbound_keys"));             // retention, on the scheduler's pass

    auto scans = full_scans(db, statements);
    INFO(statements.size() << " statements recorded; full scans:\n" << describe(scans));
    CHECK(scans.empty());

    auto building = writes_building_tables(db, statements);
    INFO("writes that build a temporary table each time:\n" << Catch::Detail::stringify(building));
    CHECK(building.empty());
    {
        sqlite::transaction tx(db);  // the check can fail: with the status set as an IN list, it does
        db.exec("DROP INDEX items_open_by_role; CREATE INDEX items_open_by_role ON items (role, due_ms) "
                "WHERE status IN ('pending', 'open', 'acknowledged')");
        auto with_in_list = writes_building_tables(db, statements);
        REQUIRE_FALSE(with_in_list.empty());
        for (auto const& sql : with_in_list) CHECK_THAT(sql, Catch::Contains("items"));
    }

    // The check can fail: without the indexes the server relies on, the same statements scan.
    {
        sqlite::transaction tx(db);  // rolled back: the store keeps its indexes
        db.exec("DROP INDEX outbox_by_item; DROP INDEX outbox_sent_cards_by_item");
        auto without = full_scans(db, statements);
        INFO("without the outbox's indexes by item:\n" << describe(without));
        REQUIRE_FALSE(without.empty());
        for (auto const& s : without) {
            CHECK_THAT(s.plan_line, Catch::StartsWith("SCAN outbox"));
            CHECK_THAT(s.sql, Catch::Contains("item_id = ?"));
        }
    }
    {
        sqlite::transaction tx(db);
        db.exec("DROP INDEX events_by_item");
        auto without = full_scans(db, statements);
        INFO("without events_by_item:\n" << describe(without));
        REQUIRE_FALSE(without.empty());
        for (auto const& s : without) {
            CHECK_THAT(s.plan_line, Catch::StartsWith("SCAN events"));
            CHECK_THAT(s.sql, Catch::Contains("FROM events WHERE item_id = ?"));
        }
    }
}
