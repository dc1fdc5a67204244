#include "sqlite_schema.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace ferry::plugins::sqlite {

namespace fs = std::filesystem;

namespace {

// ---- migrations ------------------------------------------------------------------------------
// kMigrations[i] brings the schema from version i to version i + 1. To change the schema, append
// one function here; never edit one that has shipped.

void createInitialSchema(Connection& db) {
  // A rowid table rather than WITHOUT ROWID: values are whole serialized groups, often larger
  // than the page size that WITHOUT ROWID tables are designed for.
  db.exec("CREATE TABLE groups (key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL)",
          "creating the schema (version 1)");
}

struct Migration {
  const char* what;
  void (*apply)(Connection&);
};

const Migration kMigrations[] = {
    {"initial schema: table groups(key BLOB, value BLOB)", &createInitialSchema},
};

// ---- path checks -----------------------------------------------------------------------------

std::string errnoText(int err) { return std::strerror(err); }

[[noreturn]] void refuse(const std::string& path, const std::string& problem) {
  throw sdk::ioError("sqlite database " + path + ": " + problem);
}

}  // namespace

int knownSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

void checkDatabasePath(const std::string& path) {
  std::error_code ec;
  fs::path file(path);
  fs::path dir = file.parent_path();
  if (dir.empty()) dir = ".";
  auto dir_status = fs::status(dir, ec);
  if (!fs::exists(dir_status)) {
    refuse(path, "directory " + dir.string() + " does not exist");
  }
  if (!fs::is_directory(dir_status)) refuse(path, dir.string() + " is not a directory");
  // SQLite creates <path>-wal and <path>-shm next to the database, so the directory itself
  // must be writable even when the file already exists.
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    refuse(path, "directory " + dir.string() + " is not writable (" + errnoText(errno) + ")");
  }

  auto status = fs::status(file, ec);
  if (!fs::exists(status)) return;  // SQLite creates it
  if (fs::is_directory(status)) refuse(path, "is a directory, not a database file");
  if (!fs::is_regular_file(status)) refuse(path, "is not a regular file");
  if (::access(file.c_str(), R_OK | W_OK) != 0) {
    refuse(path, "is not readable and writable (" + errnoText(errno) + ")");
  }
  // An existing file that SQLite does not recognise is someone else's: refuse it before SQLite
  // gets a chance to touch it. (An empty file is a new database to SQLite, and has nothing to
  // lose.)
  std::ifstream in(file, std::ios::binary);
  if (!in) refuse(path, "cannot be read (" + errnoText(errno) + ")");
  static constexpr char kMagic[] = "SQLite format 3";  // 16 bytes with its NUL
  char header[sizeof(kMagic)] = {};
  in.read(header, sizeof(header));
  if (in.gcount() == 0) return;
  if (in.gcount() != static_cast<std::streamsize>(sizeof(header)) ||
      std::memcmp(header, kMagic, sizeof(header)) != 0) {
    refuse(path,
           "is not an SQLite database (it does not start with the SQLite header); "
           "refusing to touch it");
  }
}

int inspectSchema(Connection& db) {
  // Only reads: nothing is written until the file is known to be a Ferry database (or new).
  int64_t app_id = db.queryInt("PRAGMA application_id", "reading the application id");
  int64_t version = db.queryInt("PRAGMA user_version", "reading the schema version");
  int64_t objects = db.queryInt("SELECT count(*) FROM sqlite_master", "reading the list of tables");
  if (app_id != 0 && app_id != kApplicationId) {
    refuse(db.path(), "is an SQLite database of another application (application_id " +
                          std::to_string(app_id) + "), not a Ferry store; refusing to touch it");
  }
  if (app_id != kApplicationId && (version != 0 || objects != 0)) {
    refuse(db.path(),
           "is an SQLite database but not a Ferry store (it has content but not Ferry's "
           "application_id); refusing to touch it");
  }
  if (version < 0) {
    refuse(db.path(),
           "has an invalid schema version " + std::to_string(version) + "; refusing to touch it");
  }
  if (version > knownSchemaVersion()) {
    refuse(db.path(), "has schema version " + std::to_string(version) +
                          ", newer than this sqlite plugin knows (up to " +
                          std::to_string(knownSchemaVersion()) +
                          "); it was written by a newer Ferry: run that version or use another "
                          "file");
  }
  if (version == 0 && objects != 0) {
    refuse(db.path(), "is marked as a Ferry store but has no schema version; refusing to touch it");
  }
  return static_cast<int>(version);
}

void migrateSchema(Connection& db, int from, const sdk::Host& host) {
  const int to = knownSchemaVersion();
  if (from >= to) return;
  db.exec("BEGIN IMMEDIATE", "starting the schema migration");
  try {
    // Another process may have migrated between inspectSchema and the write lock.
    int current = inspectSchema(db);
    for (int v = current; v < to; ++v) {
      kMigrations[v].apply(db);
      host.info("sqlite database " + db.path() + ": schema migrated to version " +
                std::to_string(v + 1) + " (" + kMigrations[v].what + ")");
    }
    // PRAGMA takes no bound parameters; both values are integers formatted here.
    db.exec(("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str(),
            "setting the application id");
    db.exec(("PRAGMA user_version = " + std::to_string(to)).c_str(), "setting the schema version");
    db.exec("COMMIT", "committing the schema migration");
  } catch (...) {
    if (db.inTransaction()) sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace ferry::plugins::sqlite
