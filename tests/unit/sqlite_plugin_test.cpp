// The sqlite storage plugin through the plugin host, as Ferry uses it. The generic storage
// contract (tests/plugins) covers put/replace/remove/scan/wipe for every backend; this file
// covers what is SQLite's own: the checks before opening a file, the schema version, WAL and
// checkpoints, locking, and a Store that survives a reopen.
#include <ferry/testkit/unprivileged.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "core/plugin_host/plugin_registry.h"
#include "core/store/exposition.h"
#include "core/store/store.h"
#include "plugins/text/text_parser.h"

namespace ferry::core {
namespace {

namespace fs = std::filesystem;
using plugin_host::PluginError;
using plugin_host::StoragePluginInstance;
using Entries = std::map<std::string, std::string>;

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Runs SQL on a database with the plain sqlite3 API, as another program would.
void runSql(const fs::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

int64_t queryInt(const fs::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  int64_t value = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    value = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

class SqlitePlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ferry-sqlite-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = dir_ / "ferry.db";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string config(const fs::path& path, const std::string& extra = "") {
    return R"({"path": ")" + path.string() + "\"" + extra + "}";
  }
  std::unique_ptr<StoragePluginInstance> open(const std::string& extra = "") {
    return std::make_unique<StoragePluginInstance>(registry_.require(FERRY_KIND_STORAGE, "sqlite"),
                                                   config(db_, extra));
  }
  // The message of the PluginError that creating an instance with `config_json` throws.
  std::string openError(const std::string& config_json) {
    try {
      StoragePluginInstance storage(registry_.require(FERRY_KIND_STORAGE, "sqlite"), config_json);
    } catch (const PluginError& e) {
      return e.what();
    }
    return "(opened)";
  }
  static Entries scanAll(StoragePluginInstance& storage) {
    Entries entries;
    auto status = storage.scan([&](std::string_view k, std::string_view v) {
      entries.emplace(k, v);
      return true;
    });
    EXPECT_TRUE(status.ok()) << status.message;
    return entries;
  }

  plugin_host::PluginRegistry registry_{FERRY_TEST_PLUGIN_DIR};
  fs::path dir_;
  fs::path db_;
};

TEST_F(SqlitePlugin, NewDatabaseCarriesSchemaVersionApplicationIdAndWal) {
  open();
  EXPECT_EQ(queryInt(db_, "PRAGMA user_version"), 1);
  EXPECT_EQ(queryInt(db_, "PRAGMA application_id"), 0x46525259);
  // Byte 18 of the header is 2 once a database is in WAL mode.
  EXPECT_EQ(readFile(db_).at(18), 2);
}

TEST_F(SqlitePlugin, NewerSchemaVersionIsRefusedAndLeftAlone) {
  open();
  runSql(db_, "PRAGMA user_version = 99");
  std::string before = readFile(db_);
  std::string error = openError(config(db_));
  EXPECT_NE(error.find(db_.string() + ": has schema version 99, newer than this sqlite plugin "
                                      "knows (up to 1)"),
            std::string::npos)
      << error;
  EXPECT_EQ(readFile(db_), before);
}

TEST_F(SqlitePlugin, FileThatIsNotSqliteIsRefusedAndLeftByteIdentical) {
  static const char kGarbage[] = "not a database\n\0\xff\x01 and more than the SQLite header";
  std::string garbage(kGarbage, sizeof(kGarbage) - 1);
  std::ofstream(db_, std::ios::binary) << garbage;
  std::string error = openError(config(db_));
  EXPECT_NE(error.find(db_.string() + ": is not an SQLite database"), std::string::npos) << error;
  EXPECT_EQ(readFile(db_), garbage);
  EXPECT_FALSE(fs::exists(db_.string() + "-wal"));
  // Shorter than the header is refused too.
  std::ofstream(db_, std::ios::binary | std::ios::trunc) << "SQLite";
  error = openError(config(db_));
  EXPECT_NE(error.find("is not an SQLite database"), std::string::npos) << error;
  EXPECT_EQ(readFile(db_), "SQLite");
}

TEST_F(SqlitePlugin, AnotherApplicationsDatabaseIsRefusedAndLeftAlone) {
  runSql(db_, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
  std::string before = readFile(db_);
  std::string error = openError(config(db_));
  EXPECT_NE(error.find("is an SQLite database but not a Ferry store"), std::string::npos) << error;
  EXPECT_EQ(readFile(db_), before);
  EXPECT_EQ(queryInt(db_, "PRAGMA user_version"), 0);

  runSql(db_, "PRAGMA application_id = 1234");
  before = readFile(db_);
  error = openError(config(db_));
  EXPECT_NE(error.find("is an SQLite database of another application (application_id 1234)"),
            std::string::npos)
      << error;
  EXPECT_EQ(readFile(db_), before);
}

TEST_F(SqlitePlugin, MissingDirectoryIsRefusedAndNotCreated) {
  fs::path missing = dir_ / "no" / "such" / "dir";
  std::string error = openError(config(missing / "ferry.db"));
  EXPECT_NE(error.find("directory " + missing.string() + " does not exist"), std::string::npos)
      << error;
  EXPECT_NE(error.find("refused to start"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(dir_ / "no"));
}

TEST_F(SqlitePlugin, DirectoryAsPathIsRefused) {
  std::string error = openError(config(dir_));
  EXPECT_NE(error.find(dir_.string() + ": is a directory, not a database file"), std::string::npos)
      << error;
}

// Root may write anywhere: the check runs as an unprivileged user.
TEST_F(SqlitePlugin, UnwritableDirectoryIsRefused) {
  fs::path locked = dir_ / "locked";
  fs::create_directories(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::others_read |
                              fs::perms::others_exec);
  auto library = registry_.require(FERRY_KIND_STORAGE, "sqlite");
  std::string failure = testkit::runUnprivileged(
      [&]() -> std::string {
        try {
          StoragePluginInstance storage(library, config(locked / "ferry.db"));
        } catch (const PluginError& e) {
          std::string error = e.what();
          if (error.find("directory " + locked.string() + " is not writable") !=
              std::string::npos) {
            return "";
          }
          return "expected \"directory " + locked.string() + " is not writable\", got: " + error;
        }
        return "opened a database in " + locked.string() + ", which is read-only";
      },
      {dir_.string()});
  fs::permissions(locked, fs::perms::owner_all);
  EXPECT_EQ(failure, "");
  EXPECT_FALSE(fs::exists(locked / "ferry.db"));
}

TEST_F(SqlitePlugin, BadConfigIsRefusedWithTheKey) {
  EXPECT_NE(openError("{}").find("missing required key \"path\""), std::string::npos);
  EXPECT_NE(openError(config(db_, R"(, "synchronus": "full")")).find("unknown key \"synchronus\""),
            std::string::npos);
  std::string error = openError(config(db_, R"(, "synchronous": "off")"));
  EXPECT_NE(error.find("bad value for key \"synchronous\": \"off\": expected \"full\" or "
                       "\"normal\""),
            std::string::npos)
      << error;
  error = openError(config(db_, R"(, "busy_timeout": "5 seconds")"));
  EXPECT_NE(error.find("bad value for key \"busy_timeout\": \"5 seconds\": time: unknown unit"),
            std::string::npos)
      << error;
  error = openError(config(db_, R"(, "busy_timeout": -5)"));
  EXPECT_NE(error.find("bad value for key \"busy_timeout\": -5"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(db_)) << "a refused config must not create the database";
  EXPECT_NO_THROW(open(R"(, "synchronous": "normal", "busy_timeout": "1m30s")"));
  EXPECT_NO_THROW(open(R"(, "busy_timeout": 250)"));
}

TEST_F(SqlitePlugin, BatchAppliesPutsAndRemovesInOrder) {
  auto storage = open();
  auto status = storage->write({{FERRY_STORAGE_PUT, "a", "1"},
                                {FERRY_STORAGE_REMOVE, "a", ""},
                                {FERRY_STORAGE_REMOVE, "b", ""},
                                {FERRY_STORAGE_PUT, "b", "2"},
                                {FERRY_STORAGE_PUT, "c", "3"},
                                {FERRY_STORAGE_PUT, "c", "4"},
                                {FERRY_STORAGE_REMOVE, "absent", ""}});
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(scanAll(*storage), (Entries{{"b", "2"}, {"c", "4"}}));
}

TEST_F(SqlitePlugin, BinaryKeysAndValuesSurviveAReopen) {
  std::string every_byte;
  for (int i = 0; i < 256; ++i) every_byte += static_cast<char>(i);
  Entries written = {{std::string("k\0ey", 4), std::string("\0\0\0", 3)},
                     {every_byte, every_byte + every_byte},
                     {"empty value", ""},
                     {"", "empty key"},
                     {std::string(1, '\0'), std::string(100000, '\xff')}};
  {
    auto storage = open();
    std::vector<StoragePluginInstance::Op> ops;
    for (const auto& [k, v] : written) ops.push_back({FERRY_STORAGE_PUT, k, v});
    ASSERT_TRUE(storage->write(ops).ok());
    EXPECT_EQ(scanAll(*storage), written);
  }
  EXPECT_EQ(scanAll(*open()), written);
}

TEST_F(SqlitePlugin, ReopenAfterDestroySeesEveryBatch) {
  Entries expected;
  {
    auto storage = open();
    for (int batch = 0; batch < 20; ++batch) {
      std::vector<StoragePluginInstance::Op> ops;
      for (int i = 0; i < 50; ++i) {
        std::string key = "group-" + std::to_string(batch * 50 + i);
        std::string value = "value-" + std::to_string(batch) + "-" + std::to_string(i);
        ops.push_back({FERRY_STORAGE_PUT, key, value});
        expected[key] = value;
      }
      ops.push_back({FERRY_STORAGE_REMOVE, "group-" + std::to_string(batch), ""});
      expected.erase("group-" + std::to_string(batch));
      ASSERT_TRUE(storage->write(ops).ok());
    }
  }
  auto reopened = open();
  EXPECT_EQ(scanAll(*reopened), expected);
  EXPECT_EQ(queryInt(db_, "SELECT count(*) FROM groups"), static_cast<int64_t>(expected.size()));
}

TEST_F(SqlitePlugin, FlushTruncatesTheWalEvenAfterAScanStoppedEarly) {
  auto storage = open();
  ASSERT_TRUE(storage->write({{FERRY_STORAGE_PUT, "a", "1"}, {FERRY_STORAGE_PUT, "b", "2"}}).ok());
  EXPECT_GT(fs::file_size(db_.string() + "-wal"), 0u);
  int seen = 0;
  ASSERT_TRUE(storage
                  ->scan([&](std::string_view, std::string_view) {
                    ++seen;
                    return false;
                  })
                  .ok());
  EXPECT_EQ(seen, 1);
  // A scan left open would hold a read snapshot and keep the checkpoint from truncating.
  auto status = storage->flush();
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(fs::file_size(db_.string() + "-wal"), 0u);
  EXPECT_EQ(queryInt(db_, "SELECT count(*) FROM groups"), 2);
}

TEST_F(SqlitePlugin, WipeRemovesEverythingDurably) {
  {
    auto storage = open();
    ASSERT_TRUE(storage->write({{FERRY_STORAGE_PUT, "a", "1"}}).ok());
    ASSERT_TRUE(storage->wipe().ok());
    ASSERT_TRUE(storage->write({{FERRY_STORAGE_PUT, "b", "2"}}).ok());
  }
  EXPECT_EQ(scanAll(*open()), (Entries{{"b", "2"}}));
}

TEST_F(SqlitePlugin, WriteDuringAScanCompletesAndTheScanKeepsItsSnapshot) {
  auto storage = open();
  ASSERT_TRUE(storage->write({{FERRY_STORAGE_PUT, "a", "1"}, {FERRY_STORAGE_PUT, "b", "2"}}).ok());
  plugin_host::CallStatus write_status;
  Entries seen;
  ASSERT_TRUE(storage
                  ->scan([&](std::string_view k, std::string_view v) {
                    if (seen.empty()) {
                      // From another thread, as the core's writer would; it must not wait for
                      // the reader (the busy timeout would turn a wait into a failure).
                      std::thread writer([&] {
                        write_status = storage->write(
                            {{FERRY_STORAGE_PUT, "c", "3"}, {FERRY_STORAGE_REMOVE, "a", ""}});
                      });
                      writer.join();
                    }
                    seen.emplace(k, v);
                    return true;
                  })
                  .ok());
  EXPECT_TRUE(write_status.ok()) << write_status.message;
  EXPECT_EQ(seen, (Entries{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(scanAll(*storage), (Entries{{"b", "2"}, {"c", "3"}}));
}

TEST_F(SqlitePlugin, WriteFailsCleanlyWhileAnotherProcessHoldsTheLockThenRecovers) {
  auto storage = open(R"(, "busy_timeout": "50ms")");
  ASSERT_TRUE(storage->write({{FERRY_STORAGE_PUT, "a", "1"}}).ok());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto status = storage->write({{FERRY_STORAGE_PUT, "b", "2"}});
  EXPECT_EQ(status.status, FERRY_ERR_IO);
  EXPECT_NE(status.message.find(db_.string() + ": write: starting a transaction: database is "
                                               "locked"),
            std::string::npos)
      << status.message;
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  status = storage->write({{FERRY_STORAGE_PUT, "c", "3"}});
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(scanAll(*storage), (Entries{{"a", "1"}, {"c", "3"}}));
}

// ---- a Store on top of the plugin ---------------------------------------------------------

std::vector<store::pb::MetricFamily> parse(const std::string& text) {
  std::vector<store::pb::MetricFamily> families;
  auto error = plugins::text::parseText(text, families);
  EXPECT_FALSE(error) << error->message;
  return families;
}

TEST_F(SqlitePlugin, StoreStateSurvivesDestroyAndReopen) {
  std::string before;
  {
    auto storage = open();
    store::Store store(storage.get(), {});
    ASSERT_TRUE(store
                    .push({{"job", "p"}, {"instance", "i1"}},
                          parse("# HELP persist_me Persisted.\n# TYPE persist_me gauge\n"
                                "persist_me{a=\"b\"} 42\n"),
                          true)
                    .ok());
    ASSERT_TRUE(store
                    .push({{"job", "p"}, {"instance", "i1"}},
                          parse("# TYPE other_total counter\nother_total 7\n"), false)
                    .ok());
    ASSERT_TRUE(store.push({{"job", "p2"}, {"el", ""}}, parse("empty_lbl 1\n"), false).ok());
    ASSERT_TRUE(store
                    .push({{"job", "b64"}, {"path", "/a/b"}},
                          parse("h_bucket{le=\"1\"} 1\n"
                                "h_bucket{le=\"+Inf\"} 2\n"
                                "h_sum 3\nh_count 2\n"),
                          false)
                    .ok());
    ASSERT_TRUE(store.push({{"job", "gone"}}, parse("x 1\n"), false).ok());
    ASSERT_TRUE(store.remove({{"job", "gone"}}).ok());
    // A push the consistency check refuses still records its failure time durably.
    EXPECT_FALSE(store
                     .push({{"job", "p2"}, {"el", ""}},
                           parse("# TYPE persist_me counter\npersist_me 1\n"), false)
                     .ok());
    before = store::Exposition(store).render(expo::Format::kText, {}).join();
    store.flush();
  }
  EXPECT_NE(before.find("push_failure_time_seconds{el=\"\",instance=\"\",job=\"p2\"} 1"),
            std::string::npos)
      << before;
  auto storage = open();
  store::Store reloaded(storage.get(), {});
  reloaded.load();
  EXPECT_EQ(reloaded.groupCount(), 3u);
  EXPECT_EQ(store::Exposition(reloaded).render(expo::Format::kText, {}).join(), before);
}

}  // namespace
}  // namespace ferry::core
