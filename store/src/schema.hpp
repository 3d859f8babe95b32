#pragma once

#include <SQLiteCpp/Database.h>

#include <string>

namespace billwatch::store::detail {

// Brings the database to the newest schema, one numbered patch at a time, each in its own
// transaction; PRAGMA user_version records how far it got. Throws StoreError for a
// database newer than this program.
// `target` stops earlier, for tests that need a database as an older release left it.
void migrate(SQLite::Database& db, const std::string& path, int target = -1);

int newest_schema_version();

}  // namespace billwatch::store::detail
