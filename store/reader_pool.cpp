#include "store/reader_pool.hpp"

#include <sqlite3.h>

namespace signoff::store {

reader_pool::lease::lease(reader_pool& p) : pool(p) {
    {
        std::lock_guard lock(pool.mutex_);
        if (!pool.idle_.empty()) {
            db = std::move(pool.idle_.back());
            pool.idle_.pop_back();
        }
    }
    if (!db)
        db = std::make_unique<sqlite::database>(pool.path_,
                                                sqlite::open_options{.read_only = true, .synchronous = "normal"});
}

reader_pool::lease::~lease() {
    std::lock_guard lock(pool.mutex_);
    pool.idle_.push_back(std::move(db));
}

void reader_pool::release_memory() {
    std::lock_guard lock(mutex_);
    for (auto const& db : idle_) sqlite3_db_release_memory(db->handle());
}

}  // namespace signoff::store
