#pragma once
// The schema as an ordered ladder of migrations; its length is the schema version
// (PRAGMA user_version). Never edit a shipped step: append a new one.

#include "store/sqlite.hpp"

namespace signoff::store {

int schema_version();  // the version this binary writes

// Applies every missing step, each in its own transaction with its user_version.
// Throws store_error for a database newer than this binary.
void migrate(sqlite::database& db);

}  // namespace signoff::store
