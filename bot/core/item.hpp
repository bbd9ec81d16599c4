#pragma once
// The domain model: items, their revisions and approval steps, as plain values.
// JSON here is the REST API's shape (SPEC §5).

#include "bot/core/time.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace signoff {

namespace item_status {
inline constexpr char const* pending = "pending";
inline constexpr char const* approved = "approved";
inline constexpr char const* published = "published";
inline constexpr char const* rejected = "rejected";
inline constexpr char const* changes_requested = "changes_requested";
inline constexpr char const* withdrawn = "withdrawn";
inline constexpr char const* open = "open";
inline constexpr char const* acknowledged = "acknowledged";
inline constexpr char const* resolved = "resolved";
}  // namespace item_status

namespace step_status {
inline constexpr char const* waiting = "waiting";  // a later step of the chain
inline constexpr char const* pending = "pending";  // the step the chain waits for now
inline constexpr char const* approved = "approved";
inline constexpr char const* rejected = "rejected";
inline constexpr char const* changes_requested = "changes_requested";
inline constexpr char const* skipped = "skipped";
inline constexpr char const* superseded = "superseded";  // its revision was replaced
}  // namespace step_status

bool is_draft_kind(std::string const& kind);     // "draft"
bool is_response_kind(std::string const& kind);  // "complaint", "query", "feedback"
bool is_known_kind(std::string const& kind);
bool is_open_status(std::string const& status);  // waits for an approver or responder

struct step {
    int revision = 1;
    int position = 0;                      // 0-based order in the chain
    std::string spec;                      // from the tier: "@head", "@fallback", a role or person id
    std::string person;                    // who must act
    std::optional<std::string> for_person; // whom they stand in for (the head while away)
    std::string status = step_status::waiting;
    std::optional<std::string> decided_by;
    std::optional<millis> decided_at;
    std::optional<std::string> note;       // a decision's note, or why the step was skipped
};

struct revision {
    int number = 1;
    std::string title;
    std::string body;
    nlohmann::json media = nlohmann::json::array();
    std::optional<std::string> note;
    nlohmann::json checks = nlohmann::json::array();
    std::string submitted_by;
    millis created_at = 0;
};

struct item {
    std::int64_t id = 0;
    std::string kind;
    std::string status;
    std::string title;
    std::string body;
    std::vector<std::string> platforms;
    std::optional<std::string> topic;
    std::string role;
    std::optional<std::string> region;
    std::string tier = "general";
    bool urgent = false;
    nlohmann::json media = nlohmann::json::array();
    nlohmann::json source;  // null for drafts
    std::optional<std::string> external_ref;
    int revision = 1;
    std::optional<std::string> assignee;
    std::optional<std::string> assignee_for;  // complaints: whom the assignee stands in for
    millis due = 0;
    bool due_given = false;  // the submitter fixed `due`; a new revision keeps it
    std::optional<millis> interim_due;
    nlohmann::json published = nlohmann::json::object();  // platform → url
    nlohmann::json checks = nlohmann::json::array();      // of the current revision
    std::string submitted_by;                             // API key name
    int escalation_level = 0;
    std::optional<millis> publish_at;       // drafts: the planned publication time
    std::optional<millis> publication_due;  // approved drafts: when publishers are reminded, unless published
    millis created_at = 0;
    millis updated_at = 0;
};

// One item's course, as the SLA report counts it (store/reports.hpp reads it, bot/engine counts it).
struct item_timeline {
    std::int64_t id = 0;
    std::string kind;
    std::string role;
    millis created = 0;
    millis due = 0;                         // as submitted (the "submitted" event), else the current due
    std::optional<millis> handled;          // first approved / rejected / changes_requested / replied event
    std::optional<std::string> handled_by;
    int escalations = 0;                    // "escalated" events
};

// The API object; `steps` of the current revision, and with `detail` also revisions and events.
nlohmann::json to_json(item const& i, std::vector<step> const& steps);
nlohmann::json to_json(step const& s);
nlohmann::json to_json(revision const& r);

// The columns kept inside items.doc (everything not indexed), and back.
nlohmann::json item_doc(item const& i);
void apply_item_doc(item& i, nlohmann::json const& doc);

}  // namespace signoff
