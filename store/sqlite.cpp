#include "store/sqlite.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

namespace signoff::sqlite {

namespace {
constexpr std::chrono::milliseconds busy_timeout{5000};
constexpr mode_t owner_only = S_IRUSR | S_IWUSR;

// The store holds complaint texts and phone numbers: the file is created readable by its owner
// only, and an older file is made so. SQLite gives the -wal and -shm files the database file's
// permissions; those left from before are corrected too.
void restrict_to_owner(std::string const& path) {
    if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return;
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, owner_only);
    if (fd < 0) return;  // sqlite3_open_v2 reports why the file cannot be opened
    ::fchmod(fd, owner_only);
    ::close(fd);
    for (char const* suffix : {"-wal", "-shm"}) ::chmod((path + suffix).c_str(), owner_only);
}
}  // namespace

statement::~statement() {
    if (stmt_) {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
}

void statement::fail(int rc) const { db_->fail(rc, sqlite3_sql(stmt_)); }

void statement::bind_one(int index, std::int64_t value) {
    if (int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) fail(rc);
}
void statement::bind_one(int index, double value) {
    if (int rc = sqlite3_bind_double(stmt_, index, value); rc != SQLITE_OK) fail(rc);
}
void statement::bind_one(int index, std::string_view value) {
    if (int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        rc != SQLITE_OK)
        fail(rc);
}
void statement::bind_one(int index, std::nullptr_t) {
    if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) fail(rc);
}

bool statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(rc);
}

void statement::run() {
    while (step()) {
    }
}

std::int64_t statement::column_int(int col) const { return sqlite3_column_int64(stmt_, col); }
double statement::column_double(int col) const { return sqlite3_column_double(stmt_, col); }
bool statement::column_is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::string statement::column_text(int col) const {
    auto const* text = reinterpret_cast<char const*>(sqlite3_column_text(stmt_, col));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string{};
}
std::optional<std::string> statement::column_optional_text(int col) const {
    if (column_is_null(col)) return std::nullopt;
    return column_text(col);
}
std::optional<std::int64_t> statement::column_optional_int(int col) const {
    if (column_is_null(col)) return std::nullopt;
    return column_int(col);
}

void database::closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void database::finalizer::operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }

database::database(std::string const& path, open_options const& options) {
    if (!options.read_only) restrict_to_owner(path);
    sqlite3* raw = nullptr;
    int flags = options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;  // each connection has one owner at a time
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) {
        std::string message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
        throw store_error("cannot open database " + path + ": " + message);
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, static_cast<int>(busy_timeout.count()));
    if (!options.read_only) {
        exec("PRAGMA journal_mode = WAL");
        // Savepoints (one per write job) keep their undo pages in memory, released with each
        // job: left to SQLite's default they spill to a temporary file past 64 KiB, and a busy
        // batch then costs thousands of pwrite(2)s a second that no commit needs.
        exec("PRAGMA temp_store = MEMORY");
    }
    exec("PRAGMA synchronous = " + options.synchronous);
    exec("PRAGMA foreign_keys = ON");
}

database::database(database&&) noexcept = default;
database& database::operator=(database&&) noexcept = default;
database::~database() {
    cache_.clear();  // statements must be finalised before the connection closes
}

void database::fail(int rc, std::string_view sql) const {
    std::string message = db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc);
    throw store_error("sqlite error " + std::to_string(rc) + " (" + message + ") in: " + std::string(sql));
}

statement database::prepare(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
        sqlite3_stmt* raw = nullptr;
        int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &raw, nullptr);
        if (rc != SQLITE_OK) fail(rc, sql);
        it = cache_.emplace(std::string(sql), std::unique_ptr<sqlite3_stmt, finalizer>(raw)).first;
    }
    return statement(*this, it->second.get());
}

void database::exec(std::string_view sql) {
    std::string text(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw store_error("sqlite error " + std::to_string(rc) + " (" + message + ") in: " + text);
    }
}

std::int64_t database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
int database::changes() const { return sqlite3_changes(db_.get()); }

transaction::transaction(database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

transaction::~transaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {
            // A failed rollback leaves SQLite to roll back when the connection closes.
        }
    }
}

void transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace signoff::sqlite
