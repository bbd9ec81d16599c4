#include "bot/core/item.hpp"

namespace signoff {

namespace {
template <class T>
nlohmann::json or_null(std::optional<T> const& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}
nlohmann::json time_or_null(std::optional<millis> const& value) {
    return value ? nlohmann::json(rfc3339(*value)) : nlohmann::json(nullptr);
}
}  // namespace

bool is_draft_kind(std::string const& kind) { return kind == "draft"; }
bool is_response_kind(std::string const& kind) {
    return kind == "complaint" || kind == "query" || kind == "feedback";
}
bool is_known_kind(std::string const& kind) { return is_draft_kind(kind) || is_response_kind(kind); }
bool is_open_status(std::string const& status) {
    return status == item_status::pending || status == item_status::open || status == item_status::acknowledged;
}

nlohmann::json to_json(step const& s) {
    return {{"revision", s.revision},     {"position", s.position},         {"spec", s.spec},
            {"person", s.person},         {"for_person", or_null(s.for_person)}, {"status", s.status},
            {"decided_by", or_null(s.decided_by)}, {"decided_at", time_or_null(s.decided_at)}, {"note", or_null(s.note)}};
}

nlohmann::json to_json(revision const& r) {
    return {{"number", r.number}, {"title", r.title},   {"body", r.body},
            {"media", r.media},   {"note", or_null(r.note)}, {"checks", r.checks},
            {"submitted_by", r.submitted_by}, {"created_at", rfc3339(r.created_at)}};
}

nlohmann::json to_json(item const& i, std::vector<step> const& steps) {
    nlohmann::json step_list = nlohmann::json::array();
    for (auto const& s : steps) step_list.push_back(to_json(s));
    return {{"id", i.id},
            {"kind", i.kind},
            {"status", i.status},
            {"title", i.title},
            {"body", i.body},
            {"platforms", i.platforms},
            {"topic", or_null(i.topic)},
            {"role", i.role},
            {"region", or_null(i.region)},
            {"tier", i.tier},
            {"urgent", i.urgent},
            {"media", i.media},
            {"source", i.source},
            {"external_ref", or_null(i.external_ref)},
            {"revision", i.revision},
            {"assignee", or_null(i.assignee)},
            {"steps", std::move(step_list)},
            {"due", rfc3339(i.due)},
            {"interim_due", time_or_null(i.interim_due)},
            {"publish_at", time_or_null(i.publish_at)},
            {"checks", i.checks},
            {"published", i.published},
            {"escalation_level", i.escalation_level},
            {"submitted_by", i.submitted_by},
            {"created_at", rfc3339(i.created_at)},
            {"updated_at", rfc3339(i.updated_at)}};
}

nlohmann::json item_doc(item const& i) {
    return {{"title", i.title},       {"body", i.body},         {"platforms", i.platforms},
            {"topic", or_null(i.topic)}, {"region", or_null(i.region)}, {"tier", i.tier},
            {"media", i.media},       {"source", i.source},     {"published", i.published},
            {"checks", i.checks},     {"due_given", i.due_given}, {"assignee_for", or_null(i.assignee_for)},
            {"escalation_level", i.escalation_level}};
}

void apply_item_doc(item& i, nlohmann::json const& doc) {
    auto opt = [&](char const* key) -> std::optional<std::string> {
        auto it = doc.find(key);
        if (it == doc.end() || it->is_null()) return std::nullopt;
        return it->get<std::string>();
    };
    i.title = doc.value("title", "");
    i.body = doc.value("body", "");
    i.platforms = doc.value("platforms", std::vector<std::string>{});
    i.topic = opt("topic");
    i.region = opt("region");
    i.tier = doc.value("tier", "general");
    i.media = doc.value("media", nlohmann::json::array());
    i.source = doc.contains("source") ? doc["source"] : nlohmann::json(nullptr);
    i.published = doc.value("published", nlohmann::json::object());
    i.checks = doc.value("checks", nlohmann::json::array());
    i.due_given = doc.value("due_given", false);
    i.assignee_for = opt("assignee_for");
    i.escalation_level = doc.value("escalation_level", 0);
}

}  // namespace signoff
