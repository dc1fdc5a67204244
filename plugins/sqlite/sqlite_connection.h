// Thin RAII wrappers over one sqlite3 connection and its prepared statements. Every failure
// becomes a ferry::sdk::Error whose message names the database file, what was being done and
// SQLite's own explanation, so a message in Ferry's log is enough to find the problem.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace ferry::plugins::sqlite {

class Connection {
 public:
  // Opens `path` with sqlite3_open_v2 `flags`; throws an I/O error naming the path.
  Connection(std::string path, int flags);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }

  // Runs SQL that returns no rows (several statements allowed).
  void exec(const char* sql, std::string_view doing);
  // The first column of the first row of `sql` as an integer (e.g. PRAGMA user_version).
  int64_t queryInt(const char* sql, std::string_view doing);
  // The first column of the first row of `sql` as text.
  std::string queryText(const char* sql, std::string_view doing);
  // True while a transaction is open (SQLite may roll one back by itself after an I/O error).
  bool inTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

  // Throws FERRY_ERR_IO: "sqlite database <path>: <doing>: <SQLite message>[: <errno text>]".
  [[noreturn]] void fail(std::string_view doing) const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// A prepared statement, reused across calls (reset after each use).
class Statement {
 public:
  Statement(Connection& conn, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds bytes for the duration of the next step; an empty span is an empty BLOB, not NULL.
  void bindBlob(int index, std::string_view bytes, std::string_view doing);
  // True for a row, false when done; throws on any error.
  bool step(std::string_view doing);
  // Ends the statement's current execution (and so the read transaction it may hold) and
  // clears its bindings. Never throws.
  void reset() noexcept;
  // Column values of the current row; the bytes are valid until the next step or reset.
  std::string_view blobColumn(int column) const;
  int64_t intColumn(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string textColumn(int column) const;

 private:
  Connection& conn_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when leaving scope, so an exception (or a scan stopped early) never leaves
// a transaction open behind it.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement& statement) : statement_(statement) {}
  ~ResetOnExit() { statement_.reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Statement& statement_;
};

}  // namespace ferry::plugins::sqlite
