// signoff_bench_store: writes a store that holds a year of a busy office's use (SPEC §9), the
// way the server writes it: every item is submitted with actions::submit, decided through the
// chat core (chat::handle_event, "approve 42" typed or the card's button pressed, as a webhook
// delivers them), revised, escalated, published, and every message it queues is delivered as
// the dispatcher records it (store::due_messages, store::mark_sent). Audit events come only from
// those paths (store::append_event, inside them); the generator writes no row itself.
// People also ask for their lists and look at items, and the PR desk records who is away, which
// is where the rest of the messages and events come from, spread over the year so that the totals come out
// as asked. Retention runs at the end as the server's scheduler would have (store::prune).
//
//   signoff_bench_store --config FILE --db FILE [--items 100000] [--events 1000000]
//                       [--outbox 1000000] [--open 20000]
//
// The newest --open items stay pending, due in the coming weeks (the scheduler has nothing to
// catch up on at start); the rest are closed. Writes with synchronous off, in transactions of
// a few hundred items; prints what it wrote.

#include "bot/actions/actions.hpp"
#include "bot/chat/conversation.hpp"
#include "config/load.hpp"
#include "store/audit.hpp"
#include "store/outbox.hpp"
#include "store/retention.hpp"
#include "store/schema.hpp"

#include <array>
#include <chrono>
#include <iostream>
#include <random>
#include <set>
#include <string>

using namespace signoff;

namespace {

constexpr millis day = 24 * ms_per_hour;
constexpr millis year = 365 * day;
constexpr int items_per_transaction = 1000;

struct options {
    std::string config_path;
    std::string db_path;
    std::int64_t items = 100'000;
    std::int64_t events = 1'000'000;
    std::int64_t outbox = 1'000'000;
    std::int64_t open = 20'000;
};

std::int64_t count_of(sqlite::database& db, std::string_view sql) {
    auto s = db.prepare(sql);
    return s.step() ? s.column_int(0) : 0;
}

class generator {
public:
    generator(config::config const& cfg, sqlite::database& db, options const& o, millis now)
        : cfg_(cfg), db_(db), o_(o), now_(now), start_(now - year), tip_(store::load_chain_tip(db)) {
        for (auto const& p : cfg.people)
            if (p.telegram) people_.push_back(&p);
        for (auto const& r : cfg.roles)
            for (auto const& t : r.topics) topics_.push_back(t);
    }

    void run() {
        auto began = std::chrono::steady_clock::now();
        for (std::int64_t i = 0; i < o_.items; i += items_per_transaction) {
            sqlite::transaction tx(db_);
            store::write_tx wtx{db_, tip_};
            for (std::int64_t j = i; j < std::min(o_.items, i + items_per_transaction); ++j) one_item(wtx, j);
            tx.commit();
            if ((i / items_per_transaction) % 20 == 0)
                std::cerr << "bench_store: " << i + items_per_transaction << " items, " << tip_.last_id
                          << " events, " << outbox_rows_ << " outbox rows, "
                          << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                              began)
                                 .count()
                          << " s\n";
        }
        {  // what is still short at the end, at the end of the year
            sqlite::transaction tx(db_);
            store::write_tx wtx{db_, tip_};
            keep_up(wtx, o_.items, now_ - ms_per_hour);
            tx.commit();
        }
        // As the scheduler would have, on every pass of the year.
        store::retention_cutoffs cutoffs{
            .outbox_before = now_ - static_cast<millis>(cfg_.store.outbox_retention_days * day),
            .inbound_before = now_ - static_cast<millis>(cfg_.store.inbound_retention_days * day)};
        for (;;) {
            sqlite::transaction tx(db_);
            auto p = store::prune(db_, cutoffs, 50'000);
            tx.commit();
            pruned_ += p.total();
            if (p.total() == 0) break;
        }
    }

    std::int64_t pruned() const { return pruned_; }

private:
    // Item j's life: submitted at its time of the year, then decided within hours (or left open).
    void one_item(store::write_tx& tx, std::int64_t j) {
        millis t = start_ + (year * j) / o_.items;
        bool open = j >= o_.items - o_.open;
        bool draft = open || pick(100) < 75;
        submission s;
        s.kind = draft ? "draft" : std::array{"complaint", "query", "feedback"}[pick(3)];
        s.topic = topics_[pick(static_cast<int>(topics_.size()))];
        s.title = draft ? "Post " + std::to_string(j) + ": " + titles[pick(titles.size())] : "";
        s.body = bodies[pick(bodies.size())];
        if (draft) s.platforms = {"x", "weibo"};
        else
            s.source = {{"platform", "x"}, {"author", "@citizen" + std::to_string(pick(5000))},
                        {"url", "https://x.example/status/" + std::to_string(j)},
                        {"received_at", rfc3339(t - 10 * ms_per_minute)}};
        if (draft && !open && pick(10) == 0) s.tier = "sensitive";
        if (open) s.due = now_ + 7 * day + pick(50) * day;  // planned weeks ahead, as the calendar is
        s.external_ref = "agency-" + std::to_string(j);
        auto ctx = context(t, "api");
        ctx.recorded_by = "agency";
        auto submitted = actions::submit(tx, ctx, s, "agency");
        auto id = submitted.at("id").get<std::int64_t>();
        deliver(tx, t + 2 * ms_per_second);
        if (!open) {
            if (draft) decide_draft(tx, id, t);
            else answer_complaint(tx, id, t);
        }
        keep_up(tx, j + 1, std::min(t + 8 * ms_per_hour, now_ - ms_per_minute));  // nothing dated after now
    }

    void decide_draft(store::write_tx& tx, std::int64_t id, millis t) {
        if (pick(10) == 0) {  // not answered in a day: the fallback gets it
            auto ctx = context(t + day, "scheduler");
            actions::escalate(tx, ctx, id, 1, "due");
            deliver(tx, t + day + 2 * ms_per_second);
            t += day;
        }
        if (pick(2) == 0) {  // nearly due: the scheduler reminds whoever it waits for
            actions::remind(tx, context(t + 22 * ms_per_hour, "scheduler"), id, "reminder");
            deliver(tx, t + 22 * ms_per_hour + 2 * ms_per_second);
        }
        // Changes asked, a new revision, then the decision on it; up to three rounds.
        for (int round = pick(3) == 0 ? 1 + pick(3) : 0; round > 0; --round) {
            say(tx, holder(id), "changes " + std::to_string(id) + " a shorter caption please", t + ms_per_hour);
            auto ctx = context(t + 2 * ms_per_hour, "api");
            ctx.recorded_by = "agency";
            actions::revise(tx, ctx, id, {{"body", bodies[pick(bodies.size())]}, {"note", "shorter"}}, "agency");
            deliver(tx, t + 2 * ms_per_hour + 2 * ms_per_second);
            t += 2 * ms_per_hour;
        }
        // Every step of the chain, by whoever it waits for: typed, or the card's button.
        for (int step = 0; step < 4; ++step) {
            auto it = item_now(id);
            if (it.at("status") != "pending") break;
            auto person = it.at("assignee").get<std::string>();
            t += ms_per_hour;
            if (pick(2) == 0) say(tx, person, "approve " + std::to_string(id), t);
            else press(tx, person, id, it.at("revision").get<int>(), t);
        }
        auto it = item_now(id);
        if (it.at("status") == "approved")
            for (auto platform : {"x", "weibo"}) {
                actions::publish(tx, context(t + ms_per_hour, "api"), id,
                                 {platform, "https://" + std::string(platform) + ".example/status/" +
                                                std::to_string(id)});
            }
    }

    void answer_complaint(store::write_tx& tx, std::int64_t id, millis t) {
        auto person = holder(id);
        say(tx, person, "interim " + std::to_string(id) + " we are looking into it", t + ms_per_hour);
        say(tx, person, "reply " + std::to_string(id) + " it is done; thank you for writing", t + 5 * ms_per_hour);
    }

    // Keeps the year's events and messages on course for the totals asked: people ask for their
    // lists and look at items in chat (an answer each, no event), and the PR desk records who is
    // away and back (an event each, no message). Only people without open items go away, so
    // nothing is handed on.
    void keep_up(store::write_tx& tx, std::int64_t items_done, millis t) {
        auto due_events = o_.events * items_done / o_.items;
        auto due_outbox = o_.outbox * items_done / o_.items;
        while (tip_.last_id < due_events) {
            auto const* p = idle_people()[pick(static_cast<int>(idle_people().size()))];
            bool away = !away_.contains(p->id);
            auto ctx = context(t, "api");
            ctx.recorded_by = "prdesk";
            actions::set_availability(tx, ctx, p->id, {.away = away});
            if (away) away_.insert(p->id);
            else away_.erase(p->id);
        }
        while (outbox_rows_ < due_outbox) {
            auto const* p = people_[pick(static_cast<int>(people_.size()))];
            say(tx, p->id, pick(2) == 0 ? "pending" : "show " + std::to_string(1 + pick(static_cast<int>(items_done))),
                t);
        }
    }

    std::vector<config::person const*> const& idle_people() {
        if (idle_.empty())
            for (auto const* p : people_) {
                bool heads = false;
                for (auto const& r : cfg_.roles) heads = heads || r.head == p->id;
                if (!heads) idle_.push_back(p);
            }
        return idle_;
    }

    void say(store::write_tx& tx, std::string const& person, std::string text, millis t) {
        auto const* p = cfg_.find_person(person);
        auto chat = std::to_string(*p->telegram);
        chat::inbound_message m{.channel = "telegram", .dedupe_key = std::to_string(++update_id_), .sender = chat,
                                .chat = chat, .message_id = std::to_string(update_id_), .text = std::move(text)};
        chat::handle_event(tx, cfg_, t, m);
        deliver(tx, t + ms_per_second);
    }

    void press(store::write_tx& tx, std::string const& person, std::int64_t id, int revision, millis t) {
        auto const* p = cfg_.find_person(person);
        auto chat = std::to_string(*p->telegram);
        auto card = store::last_card_sent(tx.db, id, person);
        chat::button_press b{.channel = "telegram", .dedupe_key = std::to_string(++update_id_), .sender = chat,
                             .chat = chat, .callback_id = "cb" + std::to_string(update_id_),
                             .message_id = card ? card->platform_message_id : std::nullopt,
                             .data = "a:" + std::to_string(id) + ":" + std::to_string(revision)};
        chat::handle_event(tx, cfg_, t, b);
        deliver(tx, t + ms_per_second);
    }

    // What the dispatcher does with each due row when the platform answers 200.
    void deliver(store::write_tx& tx, millis at) {
        for (;;) {
            auto due = store::due_messages(tx.db, at, 256);
            if (due.empty()) return;
            for (auto const& m : due) {
                store::mark_sent(tx, m.id, 1, std::to_string(++platform_message_id_), at);
                ++outbox_rows_;
            }
        }
    }

    std::string holder(std::int64_t id) { return item_now(id).at("assignee").get<std::string>(); }
    nlohmann::json item_now(std::int64_t id) { return actions::item_json(db_, id, false); }

    actions::context context(millis t, std::string channel) const {
        return {.cfg = cfg_, .now = t, .recorded_by = std::nullopt, .channel = std::move(channel)};
    }

    int pick(std::size_t n) { return static_cast<int>(rng_() % n); }

    static constexpr std::array<char const*, 6> titles = {"World Standards Day", "Consumer rights week",
                                                           "Hallmarking camp", "New standard for helmets",
                                                           "Laboratory open day", "Public consultation"};
    static constexpr std::array<char const*, 4> bodies = {
        "Standards make products safer. Join us on 14 October for talks, a quiz and a visit to the laboratory.",
        "Check the hallmark before you buy gold jewellery: the BIS mark, the purity grade and the HUID.",
        "Draft standard open for comments until the end of the month; send yours through the portal.",
        "We have received your message and will look into it. 我们已收到您的留言。 हम इसे देख रहे हैं।"};

    config::config const& cfg_;
    sqlite::database& db_;
    options const& o_;
    millis now_;
    millis start_;
    store::chain_tip tip_;
    std::vector<config::person const*> people_;
    std::vector<config::person const*> idle_;
    std::vector<std::string> topics_;
    std::set<std::string> away_;
    std::mt19937_64 rng_{20261202};
    std::int64_t update_id_ = 0;
    std::int64_t platform_message_id_ = 1000;
    std::int64_t outbox_rows_ = 0;
    std::int64_t pruned_ = 0;
};

bool parse(int argc, char** argv, options& o) {
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--config") o.config_path = value;
        else if (flag == "--db") o.db_path = value;
        else if (flag == "--items") o.items = std::stoll(value);
        else if (flag == "--events") o.events = std::stoll(value);
        else if (flag == "--outbox") o.outbox = std::stoll(value);
        else if (flag == "--open") o.open = std::stoll(value);
        else return false;
    }
    return argc % 2 == 1 && !o.config_path.empty() && !o.db_path.empty() && o.items > 0 && o.open <= o.items;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    if (!parse(argc, argv, o)) {
        std::cerr << "usage: signoff_bench_store --config FILE --db FILE [--items N] [--events N] [--outbox N] "
                     "[--open N]\n";
        return 2;
    }
    auto loaded = config::load_file(o.config_path);
    if (!loaded.value) {
        for (auto const& p : loaded.problems) std::cerr << config::format(p) << "\n";
        return 1;
    }
    try {
        auto began = std::chrono::steady_clock::now();
        sqlite::database db(o.db_path, {.synchronous = "off"});
        store::migrate(db);
        millis now = system_clock().now();
        generator g(*loaded.value, db, o, now);
        g.run();
        auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
        std::cout << "bench_store: " << count_of(db, "SELECT COUNT(*) FROM items") << " items ("
                  << count_of(db, "SELECT COUNT(*) FROM items WHERE status IN ('pending', 'open', 'acknowledged')")
                  << " open), " << count_of(db, "SELECT COUNT(*) FROM events") << " audit events, "
                  << count_of(db, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") << " delivered outbox rows ("
                  << count_of(db, "SELECT COUNT(*) FROM outbox") << " in all), "
                  << count_of(db, "SELECT COUNT(*) FROM inbound_keys") << " dedupe keys kept (" << g.pruned()
                  << " rows past retention deleted), in " << std::llround(seconds) << " s\n";
        return 0;
    } catch (std::exception const& e) {
        std::cerr << "signoff_bench_store: " << e.what() << "\n";
        return 1;
    }
}
