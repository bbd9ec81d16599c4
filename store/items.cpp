#include "store/items.hpp"

#include <array>
#include <variant>

namespace signoff::store {

namespace {

constexpr std::string_view item_columns =
    "id, kind, status, role, assignee, revision, urgent, due_ms, interim_due_ms, external_ref, submitted_by, doc, "
    "created_ms, updated_ms, publish_ms, publication_due_ms";

constexpr std::string_view insert_item_sql =
    "INSERT INTO items (kind, status, role, assignee, revision, urgent, due_ms, interim_due_ms, external_ref, "
    "submitted_by, doc, created_ms, updated_ms, escalation_level, publish_ms, publication_due_ms) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
// The columns update_item may change, as SELECTed by select_updatable_sql.
struct updatable_column {
    std::string_view name;
    bool text;
};
constexpr std::array<updatable_column, 11> updatable_columns = {{{"status", true},
                                                                 {"role", true},
                                                                 {"assignee", true},
                                                                 {"revision", false},
                                                                 {"urgent", false},
                                                                 {"due_ms", false},
                                                                 {"interim_due_ms", false},
                                                                 {"doc", true},
                                                                 {"escalation_level", false},
                                                                 {"publish_ms", false},
                                                                 {"publication_due_ms", false}}};
constexpr std::string_view select_updatable_sql =
    "SELECT status, role, assignee, revision, urgent, due_ms, interim_due_ms, doc, escalation_level, publish_ms, "
    "publication_due_ms FROM items WHERE id = ?";
using column_value = std::variant<std::nullptr_t, std::int64_t, std::string>;
constexpr std::string_view insert_revision_sql =
    "INSERT INTO revisions (item_id, number, title, body, media, note, checks, submitted_by, created_ms) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view select_revisions_sql =
    "SELECT number, title, body, media, note, checks, submitted_by, created_ms FROM revisions WHERE item_id = ? "
    "ORDER BY number";
constexpr std::string_view insert_step_sql =
    "INSERT INTO steps (item_id, revision, position, spec, person, for_person, status, decided_by, decided_ms, note) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view update_step_sql =
    "UPDATE steps SET person = ?, for_person = ?, status = ?, decided_by = ?, decided_ms = ?, note = ? "
    "WHERE item_id = ? AND revision = ? AND position = ?";
constexpr std::string_view select_steps_sql =
    "SELECT revision, position, spec, person, for_person, status, decided_by, decided_ms, note FROM steps "
    "WHERE item_id = ? AND revision = ? ORDER BY position";
std::string const select_open_for_sql =
    "SELECT id, kind, status, role, assignee, revision, urgent, due_ms, interim_due_ms, external_ref, submitted_by, "
    "doc, created_ms, updated_ms, publish_ms, publication_due_ms FROM items WHERE assignee = ? AND " +
    std::string(open_status_sql) + " ORDER BY due_ms, id LIMIT ?";
std::string const select_open_ids_for_sql =
    "SELECT id FROM items WHERE assignee = ? AND " + std::string(open_status_sql) + " ORDER BY id";

item read_item(sqlite::statement& s) {
    item i;
    i.id = s.column_int(0);
    i.kind = s.column_text(1);
    i.status = s.column_text(2);
    i.role = s.column_text(3);
    i.assignee = s.column_optional_text(4);
    i.revision = static_cast<int>(s.column_int(5));
    i.urgent = s.column_int(6) != 0;
    i.due = s.column_int(7);
    i.interim_due = s.column_optional_int(8);
    i.external_ref = s.column_optional_text(9);
    i.submitted_by = s.column_text(10);
    apply_item_doc(i, nlohmann::json::parse(s.column_text(11)));
    i.created_at = s.column_int(12);
    i.updated_at = s.column_int(13);
    i.publish_at = s.column_optional_int(14);
    i.publication_due = s.column_optional_int(15);
    return i;
}

step read_step(sqlite::statement& s) {
    step st;
    st.revision = static_cast<int>(s.column_int(0));
    st.position = static_cast<int>(s.column_int(1));
    st.spec = s.column_text(2);
    st.person = s.column_text(3);
    st.for_person = s.column_optional_text(4);
    st.status = s.column_text(5);
    st.decided_by = s.column_optional_text(6);
    st.decided_at = s.column_optional_int(7);
    st.note = s.column_optional_text(8);
    return st;
}

// Only an approved draft waits to be reported published; any other status clears the reminder.
std::optional<millis> publication_due_of(item const& i) {
    return i.status == item_status::approved ? i.publication_due : std::nullopt;
}

}  // namespace

std::int64_t insert_item(sqlite::database& db, item const& i) {
    db.prepare(insert_item_sql)
        .bind(i.kind, i.status, i.role, i.assignee, i.revision, i.urgent, i.due, i.interim_due, i.external_ref,
              i.submitted_by, item_doc(i).dump(), i.created_at, i.updated_at, i.escalation_level, i.publish_at,
              publication_due_of(i))
        .run();
    return db.last_insert_rowid();
}

// Only the columns whose value changes are SET: SQLite rewrites the entries of every index on a
// column an UPDATE names, changed or not, and items has fourteen. An approval changes three or
// four; naming all eleven dirtied a fifth more pages and took twice the time on the year-old store.
void update_item(sqlite::database& db, item const& i) {
    auto optional = [](auto const& v) -> column_value {
        if (v) return static_cast<std::int64_t>(*v);
        return nullptr;
    };
    std::array<column_value, updatable_columns.size()> const next = {
        i.status,
        i.role,
        i.assignee ? column_value(*i.assignee) : column_value(nullptr),
        std::int64_t{i.revision},
        std::int64_t{i.urgent},
        std::int64_t{i.due},
        optional(i.interim_due),
        item_doc(i).dump(),
        std::int64_t{i.escalation_level},
        optional(i.publish_at),
        optional(publication_due_of(i))};
    std::string sql = "UPDATE items SET updated_ms = ?";
    std::vector<std::size_t> changed;
    {
        auto current = db.prepare(select_updatable_sql);
        current.bind(i.id);
        if (!current.step()) return;  // no such item: nothing to update, as before
        for (std::size_t c = 0; c < updatable_columns.size(); ++c) {
            int const col = static_cast<int>(c);
            column_value now = nullptr;
            if (!current.column_is_null(col))
                now = updatable_columns[c].text ? column_value(current.column_text(col)) : current.column_int(col);
            if (now == next[c]) continue;
            changed.push_back(c);
            sql += ", ";
            sql += updatable_columns[c].name;
            sql += " = ?";
        }
    }
    sql += " WHERE id = ?";
    auto update = db.prepare(sql);
    int index = 1;
    update.bind_at(index++, i.updated_at);
    for (auto c : changed) std::visit([&](auto const& v) { update.bind_at(index++, v); }, next[c]);
    update.bind_at(index, i.id);
    update.run();
}

std::vector<item> planned_between(sqlite::database& db, millis from, millis to, int limit) {
    auto s = db.prepare("SELECT " + std::string(item_columns) +
                        " FROM items WHERE publish_ms IS NOT NULL AND publish_ms >= ? AND publish_ms < ? "
                        "ORDER BY publish_ms, id LIMIT ?");
    s.bind(from, to, static_cast<std::int64_t>(limit));
    std::vector<item> out;
    while (s.step()) out.push_back(read_item(s));
    return out;
}

std::optional<item> find_item(sqlite::database& db, std::int64_t id) {
    auto s = db.prepare("SELECT " + std::string(item_columns) + " FROM items WHERE id = ?");
    s.bind(id);
    if (!s.step()) return std::nullopt;
    return read_item(s);
}

void insert_revision(sqlite::database& db, std::int64_t item_id, revision const& r) {
    db.prepare(insert_revision_sql)
        .bind(item_id, r.number, r.title, r.body, r.media.dump(), r.note, r.checks.dump(), r.submitted_by, r.created_at)
        .run();
}

std::vector<revision> revisions_of(sqlite::database& db, std::int64_t item_id) {
    std::vector<revision> out;
    auto s = db.prepare(select_revisions_sql);
    s.bind(item_id);
    while (s.step()) {
        revision r;
        r.number = static_cast<int>(s.column_int(0));
        r.title = s.column_text(1);
        r.body = s.column_text(2);
        r.media = nlohmann::json::parse(s.column_text(3));
        r.note = s.column_optional_text(4);
        r.checks = nlohmann::json::parse(s.column_text(5));
        r.submitted_by = s.column_text(6);
        r.created_at = s.column_int(7);
        out.push_back(std::move(r));
    }
    return out;
}

void insert_step(sqlite::database& db, std::int64_t item_id, step const& st) {
    db.prepare(insert_step_sql)
        .bind(item_id, st.revision, st.position, st.spec, st.person, st.for_person, st.status, st.decided_by,
              st.decided_at, st.note)
        .run();
}

void update_step(sqlite::database& db, std::int64_t item_id, step const& st) {
    db.prepare(update_step_sql)
        .bind(st.person, st.for_person, st.status, st.decided_by, st.decided_at, st.note, item_id, st.revision,
              st.position)
        .run();
}

std::vector<step> steps_of(sqlite::database& db, std::int64_t item_id, int revision) {
    std::vector<step> out;
    auto s = db.prepare(select_steps_sql);
    s.bind(item_id, revision);
    while (s.step()) out.push_back(read_step(s));
    return out;
}

std::vector<item> list_items(sqlite::database& db, item_filter const& f) {
    // The filter combinations are few and bounded; the SQL text is built from fixed pieces,
    // so statement caching still applies per combination.
    std::string sql = "SELECT " + std::string(item_columns) + " FROM items WHERE 1 = 1";
    if (f.status) sql += " AND status = ?";
    if (f.kind) sql += " AND kind = ?";
    if (f.assignee) sql += " AND assignee = ?";
    if (f.role) sql += " AND role = ?";
    if (f.overdue_at) sql += " AND " + std::string(open_status_sql) + " AND due_ms < ?";
    if (f.before_id) sql += " AND id < ?";
    sql += " ORDER BY id DESC LIMIT ?";
    auto s = db.prepare(sql);
    int index = 0;
    auto bind_next = [&](auto const& value) { s.bind_at(++index, value); };
    if (f.status) bind_next(*f.status);
    if (f.kind) bind_next(*f.kind);
    if (f.assignee) bind_next(*f.assignee);
    if (f.role) bind_next(*f.role);
    if (f.overdue_at) bind_next(*f.overdue_at);
    if (f.before_id) bind_next(*f.before_id);
    bind_next(static_cast<std::int64_t>(f.limit));
    std::vector<item> out;
    while (s.step()) out.push_back(read_item(s));
    return out;
}

std::vector<item> open_items_for(sqlite::database& db, std::string const& person, int limit) {
    std::vector<item> out;
    auto s = db.prepare(select_open_for_sql);
    s.bind(person, static_cast<std::int64_t>(limit));
    while (s.step()) out.push_back(read_item(s));
    return out;
}

std::vector<std::int64_t> open_item_ids_for(sqlite::database& db, std::string const& person) {
    std::vector<std::int64_t> out;
    auto s = db.prepare(select_open_ids_for_sql);
    s.bind(person);
    while (s.step()) out.push_back(s.column_int(0));
    return out;
}

}  // namespace signoff::store
