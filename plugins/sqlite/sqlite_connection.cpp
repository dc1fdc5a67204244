#include "sqlite_connection.h"

#include <cstring>
#include <ferry/sdk.hpp>
#include <utility>

namespace ferry::plugins::sqlite {

namespace {

std::string describe(sqlite3* db, int rc) {
  std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  // SQLite's "disk I/O error" or "unable to open database file" says little on its own; the
  // operating system's reason (permission denied, no space left...) says what to fix.
  int sys = db ? sqlite3_system_errno(db) : 0;
  if (sys != 0) message += std::string(" (") + std::strerror(sys) + ")";
  return message;
}

// sqlite3_bind_blob binds NULL for a null pointer, even with size 0; an empty key or value must
// stay an empty BLOB.
const char kEmpty[1] = {0};

}  // namespace

Connection::Connection(std::string path, int flags) : path_(std::move(path)) {
  int rc = sqlite3_open_v2(path_.c_str(), &db_, flags | SQLITE_OPEN_EXRESCODE, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "sqlite database " + path_ + ": cannot open: " + describe(db_, rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw sdk::ioError(message);
  }
}

Connection::~Connection() { sqlite3_close_v2(db_); }

void Connection::fail(std::string_view doing) const {
  throw sdk::ioError("sqlite database " + path_ + ": " + std::string(doing) + ": " +
                     describe(db_, sqlite3_errcode(db_)));
}

void Connection::exec(const char* sql, std::string_view doing) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(doing);
}

int64_t Connection::queryInt(const char* sql, std::string_view doing) {
  Statement statement(*this, sql);
  if (!statement.step(doing)) {
    throw sdk::ioError("sqlite database " + path_ + ": " + std::string(doing) + ": no result");
  }
  return statement.intColumn(0);
}

std::string Connection::queryText(const char* sql, std::string_view doing) {
  Statement statement(*this, sql);
  if (!statement.step(doing)) {
    throw sdk::ioError("sqlite database " + path_ + ": " + std::string(doing) + ": no result");
  }
  return statement.textColumn(0);
}

Statement::Statement(Connection& conn, const char* sql) : conn_(conn) {
  if (sqlite3_prepare_v3(conn_.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) !=
      SQLITE_OK) {
    conn_.fail(std::string("cannot prepare \"") + sql + "\"");
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::bindBlob(int index, std::string_view bytes, std::string_view doing) {
  const char* data = bytes.empty() ? kEmpty : bytes.data();
  if (sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_STATIC) != SQLITE_OK) {
    conn_.fail(doing);
  }
}

bool Statement::step(std::string_view doing) {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  conn_.fail(doing);
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string_view Statement::blobColumn(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  // A zero-length BLOB comes back as a null pointer.
  if (!data || size <= 0) return {};
  return std::string_view(static_cast<const char*>(data), static_cast<size_t>(size));
}

std::string Statement::textColumn(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  return text ? std::string(reinterpret_cast<const char*>(text)) : std::string();
}

}  // namespace ferry::plugins::sqlite
