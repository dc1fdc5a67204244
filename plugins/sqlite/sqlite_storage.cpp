// The `sqlite` storage plugin: write-through storage of serialized groups in an SQLite database
// in WAL mode. Every write(batch) is one transaction that is durable when it returns (with
// synchronous=FULL, the default), and the core answers pushes only after that, so an
// acknowledged push survives kill -9 and, with "full", a power loss.
//
// Two connections: the writer (write, wipe, flush: one thread, per the ABI) and a reader for
// scan, which may run at the same time. In WAL mode a reader sees the last committed snapshot
// and neither blocks the other. Opening loads nothing but the schema version, so a large store
// opens as fast as a small one; the core reads everything back with one scan.
#include <ferry/sdk.hpp>
#include <ferry/store_lock.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "sqlite_connection.h"
#include "sqlite_options.h"
#include "sqlite_schema.h"

namespace ferry::plugins::sqlite {

class SqliteStorage : public sdk::StoragePlugin {
 public:
  static inline const sdk::ConfigKeys kConfigKeys = {
      {"path", sdk::kString, sdk::required("ferry.db"),
       "The database file. Its directory must exist and be writable; a relative path is "
       "relative to the directory Ferry starts in."},
      {"synchronous",
       sdk::kString,
       "full",
       "full: the log is fsynced at every commit, so an acknowledged push survives a power "
       "loss; normal: only at checkpoints (a crash or kill -9 of Ferry still loses nothing).",
       {"full", "normal"}},
      {"busy_timeout", sdk::kDuration | sdk::kUint, "5s",
       "How long a write waits for the database's lock while another program holds it: a "
       "duration, or milliseconds."},
  };

  SqliteStorage(const sdk::Host& host, sdk::Config& config)
      : host_(host), options_(parseOptions(config)) {
    checkDatabasePath(options_.path);
    lock_ = std::make_unique<sdk::StoreLock>(options_.path);
    writer_ = std::make_unique<Connection>(
        options_.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
    // checkDatabasePath saw a writable file, but SQLite silently falls back to read-only when
    // it cannot open for writing; a store that cannot be written must fail now, not at the
    // first push.
    if (sqlite3_db_readonly(writer_->get(), "main") == 1) {
      throw sdk::ioError("sqlite database " + options_.path +
                         ": opened read-only; the file must be writable");
    }
    sqlite3_busy_timeout(writer_->get(), options_.busy_timeout_ms);
    int version = inspectSchema(*writer_);
    // Only now, with the file known to be ours (or new), does anything get written to it.
    std::string mode = writer_->queryText("PRAGMA journal_mode = WAL", "switching to WAL mode");
    if (mode != "wal") {
      throw sdk::ioError("sqlite database " + options_.path +
                         ": cannot switch to WAL mode (journal mode stays \"" + mode + "\")");
    }
    writer_->exec(
        options_.synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
        "setting synchronous");
    migrateSchema(*writer_, version, host_);

    begin_ = std::make_unique<Statement>(*writer_, "BEGIN IMMEDIATE");
    commit_ = std::make_unique<Statement>(*writer_, "COMMIT");
    upsert_ = std::make_unique<Statement>(*writer_,
                                          "INSERT INTO groups (key, value) VALUES (?1, ?2) "
                                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    remove_ = std::make_unique<Statement>(*writer_, "DELETE FROM groups WHERE key = ?1");
    wipe_ = std::make_unique<Statement>(*writer_, "DELETE FROM groups");
    checkpoint_ = std::make_unique<Statement>(*writer_, "PRAGMA wal_checkpoint(TRUNCATE)");

    reader_ =
        std::make_unique<Connection>(options_.path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
    sqlite3_busy_timeout(reader_->get(), options_.busy_timeout_ms);
    select_ = std::make_unique<Statement>(*reader_, "SELECT key, value FROM groups");
    host_.info("sqlite database " + options_.path + " opened (schema version " +
               std::to_string(knownSchemaVersion()) + ", synchronous " +
               (options_.synchronous_full ? "full" : "normal") + ")");
  }

  void write(const std::vector<sdk::StorageOp>& ops) override {
    if (ops.empty()) return;
    std::lock_guard lock(write_mu_);
    inTransaction("write", [&] {
      for (const auto& op : ops) {
        if (op.kind == FERRY_STORAGE_PUT) {
          ResetOnExit reset(*upsert_);
          upsert_->bindBlob(1, op.key, "write: binding a key");
          upsert_->bindBlob(2, op.value, "write: binding a value");
          upsert_->step("write: storing a group");
        } else if (op.kind == FERRY_STORAGE_REMOVE) {
          ResetOnExit reset(*remove_);
          remove_->bindBlob(1, op.key, "write: binding a key");
          remove_->step("write: removing a group");
        } else {
          throw sdk::invalidInput("write: unknown storage operation " +
                                  std::to_string(static_cast<int>(op.kind)));
        }
      }
    });
  }

  void scan(const std::function<bool(std::string_view, std::string_view)>& fn) override {
    std::lock_guard lock(read_mu_);
    // The reset ends the read transaction even when fn stops early or throws; an open one
    // would keep every later checkpoint from truncating the WAL.
    ResetOnExit reset(*select_);
    while (select_->step("scan")) {
      if (!fn(select_->blobColumn(0), select_->blobColumn(1))) break;
    }
  }

  void wipe() override {
    std::lock_guard lock(write_mu_);
    inTransaction("wipe", [&] {
      ResetOnExit reset(*wipe_);
      wipe_->step("wipe: deleting every group");
    });
  }

  // Moves the WAL into the database file and truncates it (clean shutdown). Commits are
  // already durable; this keeps the WAL from growing and leaves one self-contained file.
  void flush() override {
    std::lock_guard lock(write_mu_);
    ResetOnExit reset(*checkpoint_);
    if (checkpoint_->step("flush: checkpointing the WAL") && checkpoint_->intColumn(0) != 0) {
      // A scan still reads an older snapshot; the next checkpoint finishes the job.
      host_.debug("sqlite database " + options_.path +
                  ": checkpoint could not complete while a scan was running");
    }
  }

 private:
  // Runs fn inside BEGIN IMMEDIATE ... COMMIT; rolls back and rethrows if anything fails, so a
  // failed batch leaves nothing behind and the next one starts clean.
  template <typename Fn>
  void inTransaction(const char* what, Fn&& fn) {
    {
      ResetOnExit reset(*begin_);
      begin_->step(std::string(what) + ": starting a transaction");
    }
    try {
      fn();
      ResetOnExit reset(*commit_);
      commit_->step(std::string(what) + ": committing");
    } catch (...) {
      // SQLite may already have rolled back by itself (e.g. after an I/O error).
      if (writer_->inTransaction()) {
        sqlite3_exec(writer_->get(), "ROLLBACK", nullptr, nullptr, nullptr);
      }
      throw;
    }
  }

  sdk::Host host_;
  Options options_;
  // Declared first so it is released last, after the connections have closed.
  std::unique_ptr<sdk::StoreLock> lock_;

  // Declaration order matters: members are destroyed in reverse, so every statement is
  // finalized before its connection closes (closing the last connection checkpoints the WAL).

  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;
  std::unique_ptr<Statement> begin_, commit_, upsert_, remove_, wipe_, checkpoint_;

  std::mutex read_mu_;
  std::unique_ptr<Connection> reader_;
  std::unique_ptr<Statement> select_;
};

}  // namespace ferry::plugins::sqlite

FERRY_PLUGIN(ferry::plugins::sqlite::SqliteStorage, "sqlite", "1.0.0",
             "SQLite storage in WAL mode: every acknowledged push is durable before it is "
             "answered")
