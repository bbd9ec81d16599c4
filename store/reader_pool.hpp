#pragma once
// Read-only connections for queries that change nothing. WAL lets them read the last
// committed state while the writer works. Thread-safe.

#include "store/sqlite.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace signoff::store {

class reader_pool {
public:
    explicit reader_pool(std::string path) : path_(std::move(path)) {}

    // Runs f(database&) on an idle connection (opening one when none is idle).
    template <class F>
    auto with(F&& f) {
        lease l(*this);
        return f(*l.db);
    }

    // Frees the page caches of the connections not in use.
    void release_memory();

private:
    struct lease {
        explicit lease(reader_pool& pool);
        ~lease();
        reader_pool& pool;
        std::unique_ptr<sqlite::database> db;
    };
    std::string path_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<sqlite::database>> idle_;
};

}  // namespace signoff::store
