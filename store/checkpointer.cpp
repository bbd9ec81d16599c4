#include "store/checkpointer.hpp"

#include <sqlite3.h>

#include <chrono>

namespace signoff::store {

namespace {
// At most this often: each checkpoint ends in an fsync of the database file, and on a busy
// store a checkpoint per commit would spend more on those than on copying pages.
constexpr std::chrono::milliseconds pause_between{50};
}  // namespace

checkpointer::checkpointer(std::string const& path, std::string const& synchronous)
    : db_(path, sqlite::open_options{.read_only = false, .synchronous = synchronous}) {
    thread_ = std::thread([this] { run(); });
}

checkpointer::~checkpointer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void checkpointer::attach(sqlite::database& writer_db) { sqlite3_wal_hook(writer_db.handle(), on_wal_commit, this); }

checkpoint_stats checkpointer::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

// Runs on the writer's thread after each commit, with the number of frames now in the WAL.
int checkpointer::on_wal_commit(void* self, sqlite3* db, char const* name, int frames) {
    auto& c = *static_cast<checkpointer*>(self);
    if (frames >= inline_frames) {
        // The background copy is behind: finish it here, so the next transaction can start the
        // WAL again from its beginning. Busy (the thread is mid-copy) is fine: the next commit retries.
        if (sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) == SQLITE_OK) {
            std::lock_guard lock(c.mutex_);
            ++c.stats_.inline_;
        }
    } else if (frames >= background_frames) {
        bool notify = false;
        {
            std::lock_guard lock(c.mutex_);
            notify = !c.wanted_;
            c.wanted_ = true;
        }
        if (notify) c.wake_.notify_one();
    }
    return SQLITE_OK;
}

void checkpointer::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || wanted_; });
        if (stopping_) return;
        wanted_ = false;
        lock.unlock();
        int const rc = sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        lock.lock();
        if (rc == SQLITE_OK) ++stats_.background;
        wake_.wait_for(lock, pause_between, [this] { return stopping_; });
    }
}

}  // namespace signoff::store
