// What the plugin checks before it lets SQLite write anything, and the versioned schema.
//
// A Ferry database is marked with PRAGMA application_id = kApplicationId and carries its schema
// version in PRAGMA user_version. Migrations only go forward; each is one function in the table
// in sqlite_schema.cpp, and they run in one transaction at start.
#pragma once

#include <cstdint>
#include <ferry/sdk.hpp>
#include <string>

#include "sqlite_connection.h"

namespace ferry::plugins::sqlite {

// "FRRY": marks a database file as Ferry's, so another application's database is never migrated.
constexpr int64_t kApplicationId = 0x46525259;

// The newest schema version this plugin knows (the number of migrations).
int knownSchemaVersion();

// Checks `path` before SQLite opens it: its directory exists and is writable, it is not a
// directory, and an existing non-empty file starts with the SQLite header. Throws sdk::ioError
// naming the path and the problem; never modifies anything.
void checkDatabasePath(const std::string& path);

// Reads the schema version of an open database without writing. Throws sdk::ioError for a file
// that is another application's database or has a version newer than knownSchemaVersion().
// Returns 0 for a new (empty) database.
int inspectSchema(Connection& db);

// Brings the schema from `from` to knownSchemaVersion() in one transaction.
void migrateSchema(Connection& db, int from, const sdk::Host& host);

}  // namespace ferry::plugins::sqlite
