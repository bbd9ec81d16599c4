#pragma once
// A consistent online copy of the store through SQLite's backup API: the copy is a snapshot
// of one committed state (one read transaction on the WAL store), taken while the server keeps
// writing. The copy is created
// readable by its owner only (0600) and written to a temporary file beside it first, so a
// failed backup never leaves a half-written FILE.

#include <cstdint>
#include <string>

namespace signoff::store {

struct backup_report {
    std::int64_t pages = 0;  // pages copied
    int schema = 0;          // the copy's schema version (PRAGMA user_version)
};

// Throws store_error when the source cannot be read or the copy cannot be written; refuses a
// destination that is the source itself.
backup_report backup(std::string const& source_path, std::string const& destination_path);

}  // namespace signoff::store
