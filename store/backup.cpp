#include "store/backup.hpp"

#include "store/sqlite.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <system_error>
#include <thread>

namespace signoff::store {

namespace {
// The whole database in one step: the store runs in WAL mode, so the step's read snapshot never
// blocks the server's writer, and one step cannot be restarted by writes the way small steps are
// (under steady load those could restart forever).
constexpr int all_pages = -1;
constexpr std::chrono::milliseconds busy_pause{20};

struct backup_closer {
    void operator()(sqlite3_backup* b) const { sqlite3_backup_finish(b); }
};
}  // namespace

backup_report backup(std::string const& source_path, std::string const& destination_path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(source_path, ec)) throw store_error("no database at " + source_path);
    if (fs::exists(destination_path, ec) && fs::equivalent(source_path, destination_path, ec))
        throw store_error("the backup would overwrite the database itself");

    auto const partial = destination_path + ".partial";
    fs::remove(partial, ec);
    backup_report report;
    {
        sqlite::database source(source_path, {.read_only = true, .synchronous = "normal"});
        // database::open creates the file 0600, and SQLite gives any journal the same mode.
        sqlite::database copy(partial, {.read_only = false, .synchronous = "full"});
        std::unique_ptr<sqlite3_backup, backup_closer> b(
            sqlite3_backup_init(copy.handle(), "main", source.handle(), "main"));
        if (!b) copy.fail(sqlite3_errcode(copy.handle()), "sqlite3_backup_init");
        for (;;) {
            int rc = sqlite3_backup_step(b.get(), all_pages);
            if (rc == SQLITE_DONE) break;
            if (rc == SQLITE_OK) continue;
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
                std::this_thread::sleep_for(busy_pause);
                continue;
            }
            b.reset();
            fs::remove(partial, ec);
            copy.fail(rc, "sqlite3_backup_step");
        }
        report.pages = sqlite3_backup_pagecount(b.get());
        b.reset();
        // The copy stands alone: one file, no -wal beside it.
        copy.exec("PRAGMA journal_mode = DELETE");
        auto version = copy.prepare("PRAGMA user_version");
        report.schema = version.step() ? static_cast<int>(version.column_int(0)) : 0;
    }
    ::chmod(partial.c_str(), S_IRUSR | S_IWUSR);
    fs::rename(partial, destination_path, ec);
    if (ec) throw store_error("cannot move the backup to " + destination_path + ": " + ec.message());
    return report;
}

}  // namespace signoff::store
