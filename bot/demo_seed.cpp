#include "bot/demo_seed.hpp"

#include "bot/actions/actions.hpp"
#include "bot/actions/submission.hpp"
#include "bot/core/log.hpp"
#include "bot/engine/transitions.hpp"

namespace signoff {

namespace {

using nlohmann::json;

constexpr char const* seeder = "demo";  // submitted_by: not an API key, so no key may change them

std::vector<json> examples(millis now) {
    auto in_days = [&](int days) { return rfc3339(now + days * 24 * ms_per_hour); };
    return {
        {{"kind", "draft"},
         {"title", "Example: World Standards Day poster"},
         {"body", "BIS celebrates World Standards Day on 14 October. Join the walk at Manak Bhavan at 9 am."},
         {"platforms", {"x", "facebook", "weibo"}},
         {"topic", "standards"},
         {"publish_at", in_days(3)},
         {"external_ref", "demo-seed-1"}},
        {{"kind", "draft"},
         {"title", "Example: Hallmarking awareness video"},
         {"body", "Check the HUID before you buy gold jewellery. Six characters, one piece, one record."},
         {"platforms", {"x", "facebook"}},
         {"topic", "hallmarking"},
         {"tier", "sensitive"},
         {"publish_at", in_days(10)},
         {"external_ref", "demo-seed-2"}},
        {{"kind", "complaint"},
         {"body", "Example: my licence application has had no answer for a month."},
         {"topic", "grievances"},
         {"source", {{"platform", "x"}, {"author", "@citizen"}, {"received_at", rfc3339(now - ms_per_hour)}}},
         {"external_ref", "demo-seed-3"}},
        {{"kind", "draft"},
         {"title", "Example: Consultation on the draft standard for helmets"},
         {"body", "Comments on the draft Indian Standard for protective helmets are open until 30 December."},
         {"platforms", {"x"}},
         {"topic", "consultation"},
         {"publish_at", in_days(20)},
         {"external_ref", "demo-seed-4"}},
    };
}

}  // namespace

int seed_demo_items(app& a) {
    int seeded = 0;
    a.writer.write_sync([&](store::write_tx& tx) {
        auto count = tx.db.prepare("SELECT EXISTS (SELECT 1 FROM items)");
        if (count.step() && count.column_int(0) != 0) return;
        auto const now = a.clk.now();
        actions::context ctx{.cfg = a.cfg, .now = now, .recorded_by = std::string(seeder), .channel = "demo"};
        std::vector<json> items;
        for (auto const& body : examples(now)) items.push_back(actions::submit(tx, ctx, parse_submission(body), seeder));
        // The last one approved by its head, so the queue shows a decided draft waiting to be published.
        auto const& approved = items.back();
        actions::decide(tx, ctx, approved["id"].get<std::int64_t>(),
                        {engine::action::approve, approved["assignee"].get<std::string>(), std::string("Fine to post"), {}});
        seeded = static_cast<int>(items.size());
    });
    if (seeded > 0) log::info("demo.seeded", {{"items", seeded}, {"marked", "external_ref demo-seed-N"}});
    return seeded;
}

}  // namespace signoff
