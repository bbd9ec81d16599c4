#pragma once
// WAL checkpoints on a thread of their own. Left to SQLite, the writer copies the WAL back into
// the database inside the COMMIT that crosses 1,000 frames: on a big store that stalls every
// job of that batch for the copy and two fsyncs. Here the writer's commit only notes the WAL's
// size; a second connection copies the frames back (a PASSIVE checkpoint, which never blocks
// the writer), and the writer checkpoints itself once the WAL outgrows `inline_frames` (as
// soon as a background copy running then is done), so the file stays bounded even when the
// background copy cannot keep up. Under a steady stream of commits only the writer's own
// checkpoint lets the WAL start again from its beginning; it then has little left to copy.
#include "store/sqlite.hpp"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace signoff::store {

struct checkpoint_stats {
    std::uint64_t background = 0;  // checkpoints the thread ran
    std::uint64_t inline_ = 0;     // checkpoints the writer had to run itself
};

class checkpointer {
public:
    static constexpr int background_frames = 1000;  // SQLite's own autocheckpoint threshold
    // 8 MiB of 4 KiB pages. A larger WAL let the big store's full-speed load commit about a
    // tenth faster but raised the p99 at 2,000 updates/s by half (15 ms at 8,000 frames, 10 at 2,000).
    static constexpr int inline_frames = 2000;

    checkpointer(std::string const& path, std::string const& synchronous);
    ~checkpointer();  // stops the thread; the attached connection must have stopped committing
    checkpointer(checkpointer const&) = delete;
    checkpointer& operator=(checkpointer const&) = delete;

    // Replaces `writer_db`'s automatic checkpoints with this one's.
    void attach(sqlite::database& writer_db);
    checkpoint_stats stats() const;

private:
    static int on_wal_commit(void* self, sqlite3* db, char const* name, int frames);
    void run();

    sqlite::database db_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool wanted_ = false;
    bool stopping_ = false;
    checkpoint_stats stats_;
    std::thread thread_;
};

}  // namespace signoff::store
