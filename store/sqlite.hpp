#pragma once
// A thin RAII layer over the SQLite C API: database, statement (cached by SQL text),
// transaction. All move-only. Errors throw store_error with the extended code and SQL text.

#include "bot/core/api_error.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

namespace signoff::sqlite {

class database;

// A prepared statement, reset (bindings cleared) when the `statement` handle goes away, so a
// cached statement is always clean for its next user.
class statement {
public:
    statement(database& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
    statement(statement&& other) noexcept : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}
    statement& operator=(statement&&) = delete;
    ~statement();

    template <class... Args>
    statement& bind(Args&&... args) {
        int index = 1;
        (bind_one(index++, std::forward<Args>(args)), ...);
        return *this;
    }
    template <class T>
    statement& bind_at(int index, T const& value) {  // 1-based
        bind_one(index, value);
        return *this;
    }
    bool step();  // true while a row is available
    void run();   // steps once; for statements without rows

    std::int64_t column_int(int col) const;
    double column_double(int col) const;
    std::string column_text(int col) const;
    std::optional<std::string> column_optional_text(int col) const;
    std::optional<std::int64_t> column_optional_int(int col) const;
    bool column_is_null(int col) const;

private:
    void bind_one(int index, std::int64_t value);
    void bind_one(int index, int value) { bind_one(index, static_cast<std::int64_t>(value)); }
    void bind_one(int index, bool value) { bind_one(index, static_cast<std::int64_t>(value)); }
    void bind_one(int index, double value);
    void bind_one(int index, std::string_view value);
    void bind_one(int index, std::string const& value) { bind_one(index, std::string_view{value}); }
    void bind_one(int index, char const* value) { bind_one(index, std::string_view{value}); }
    void bind_one(int index, std::nullptr_t);
    template <class T>
    void bind_one(int index, std::optional<T> const& value) {
        if (value) bind_one(index, *value);
        else bind_one(index, nullptr);
    }
    [[noreturn]] void fail(int rc) const;

    database* db_;
    sqlite3_stmt* stmt_;
};

struct open_options {
    bool read_only = false;
    std::string synchronous = "full";  // off | normal | full | extra
};

class database {
public:
    database(std::string const& path, open_options const& options);
    database(database&&) noexcept;
    database& operator=(database&&) noexcept;
    ~database();

    // Prepared once per SQL text and kept for the connection's life.
    statement prepare(std::string_view sql);
    void exec(std::string_view sql);  // one or more statements, no parameters, not cached
    std::int64_t last_insert_rowid() const;
    int changes() const;
    sqlite3* handle() const { return db_.get(); }
    [[noreturn]] void fail(int rc, std::string_view sql) const;

private:
    struct closer {
        void operator()(sqlite3* db) const;
    };
    struct finalizer {
        void operator()(sqlite3_stmt* s) const;
    };
    std::unique_ptr<sqlite3, closer> db_;
    std::map<std::string, std::unique_ptr<sqlite3_stmt, finalizer>, std::less<>> cache_;
};

// BEGIN IMMEDIATE on construction; rolls back in its destructor unless commit() was called.
class transaction {
public:
    explicit transaction(database& db);
    transaction(transaction const&) = delete;
    transaction& operator=(transaction const&) = delete;
    ~transaction();
    void commit();

private:
    database& db_;
    bool done_ = false;
};

}  // namespace signoff::sqlite
