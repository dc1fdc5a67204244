// The `file` storage plugin (storage-file.so) through the real plugin host: what it saves and
// when, how it refuses damaged files without touching them, and its config and directory checks.
// The generic storage contract (put/remove/scan/wipe...) is the contract suite's job.
#include <ferry/testkit/unprivileged.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

#include "file_test_support.h"
#include "snapshot_format.h"

namespace ferry::plugins::file {
namespace {

using namespace testing;  // NOLINT: the helpers of file_test_support.h
using Ops = std::vector<StoragePluginInstance::Op>;

std::map<std::string, std::string> scanAll(StoragePluginInstance& storage) {
  std::map<std::string, std::string> out;
  auto status = storage.scan([&](std::string_view key, std::string_view value) {
    out.emplace(key, value);
    return true;
  });
  EXPECT_TRUE(status.ok()) << status.message;
  return out;
}

std::map<std::string, std::string> fileEntries(const std::string& path) {
  Entries entries = decodeSnapshot(readBytes(path));
  return {entries.begin(), entries.end()};
}

// Polls until pred() holds, for at most 10 s; never a timing assertion on its own.
template <typename Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 1000; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

class FileStorageTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path_ = dir_.file("ferry.snap");
  FilePlugin plugin_;
};

TEST_F(FileStorageTest, MissingFileStartsEmptyAndIntervalZeroSavesEveryWrite) {
  auto storage = plugin_.open(path_, "0s");
  EXPECT_TRUE(scanAll(*storage).empty());
  EXPECT_FALSE(exists(path_));  // nothing is written before the first change

  ASSERT_TRUE(storage->write({putOp("g1", "v1"), putOp("g2", "v2")}).ok());
  EXPECT_EQ(fileEntries(path_), (std::map<std::string, std::string>{{"g1", "v1"}, {"g2", "v2"}}));
  ASSERT_TRUE(storage->write({removeOp("g1"), putOp("g2", "v2b")}).ok());
  EXPECT_EQ(fileEntries(path_), (std::map<std::string, std::string>{{"g2", "v2b"}}));
  ASSERT_TRUE(storage->wipe().ok());
  EXPECT_TRUE(fileEntries(path_).empty());

  struct stat st {};
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // pushed data is nobody else's business
  EXPECT_EQ(dir_.names(),
            (std::set<std::string>{"ferry.snap", "ferry.snap.lock"}));  // no temp file
}

TEST_F(FileStorageTest, ReopenAfterDestroyRestoresBinaryKeysAndValues) {
  const std::map<std::string, std::string> entries = {
      {std::string("job\xFF\0x", 5), std::string("\0\x01\x02", 3)},
      {"", "empty key"},
      {"empty value", ""},
      {"large", std::string(3 << 20, 'L')},
  };
  {
    auto storage = plugin_.open(path_, "0");
    Ops ops;
    for (const auto& [key, value] : entries) ops.push_back(putOp(key, value));
    ASSERT_TRUE(storage->write(ops).ok());
  }
  auto reopened = plugin_.open(path_, "0s");
  EXPECT_EQ(scanAll(*reopened), entries);
}

TEST_F(FileStorageTest, LongIntervalSavesOnlyOnFlushOrDestroy) {
  {
    auto storage = plugin_.open(path_, "1h");
    ASSERT_TRUE(storage->write({putOp("a", "1")}).ok());
    // An hour is far away: 300 ms later the change is still only in memory.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_FALSE(exists(path_));
    ASSERT_TRUE(storage->flush().ok());
    EXPECT_EQ(fileEntries(path_), (std::map<std::string, std::string>{{"a", "1"}}));

    ASSERT_TRUE(storage->write({putOp("b", "2")}).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(fileEntries(path_), (std::map<std::string, std::string>{{"a", "1"}}));
    std::string before = readBytes(path_);
    ASSERT_TRUE(storage->flush().ok());
    ASSERT_TRUE(storage->flush().ok());  // nothing changed: no second save needed
    EXPECT_EQ(fileEntries(path_), (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
    EXPECT_NE(readBytes(path_), before);

    ASSERT_TRUE(storage->wipe().ok());  // a wipe is a change like any other
  }                                     // destroyed without flush: the destructor saves
  EXPECT_TRUE(fileEntries(path_).empty());
}

TEST_F(FileStorageTest, ShortIntervalSavesInTheBackground) {
  auto storage = plugin_.open(path_, "50ms");
  ASSERT_TRUE(storage->write({putOp("a", "1")}).ok());
  EXPECT_TRUE(eventually([&] { return exists(path_); }));
  EXPECT_EQ(fileEntries(path_), (std::map<std::string, std::string>{{"a", "1"}}));
  ASSERT_TRUE(storage->write({putOp("b", "2")}).ok());
  EXPECT_TRUE(eventually([&] { return fileEntries(path_).size() == 2; }));
  EXPECT_EQ(dir_.names(), (std::set<std::string>{"ferry.snap", "ferry.snap.lock"}));
}

// A save cut short by kill -9 leaves its temporary file; the next start removes it (and only
// files with exactly that name pattern).
TEST_F(FileStorageTest, TemporaryFilesOfInterruptedSavesAreRemovedAtStart) {
  writeBytes(path_, encodeSnapshot({{"g", "v"}}));
  writeBytes(dir_.file("ferry.snap.tmp-Ab3dEf"), "half a snapshot");
  writeBytes(dir_.file("ferry.snap.tmp-Ab3dEfX"), "not ours");
  writeBytes(dir_.file("other.snap.tmp-Ab3dEf"), "not ours");
  auto storage = plugin_.open(path_, "0s");
  EXPECT_EQ(dir_.names(),
            (std::set<std::string>{"ferry.snap", "ferry.snap.lock", "ferry.snap.tmp-Ab3dEfX",
                                   "other.snap.tmp-Ab3dEf"}));
  EXPECT_EQ(scanAll(*storage).size(), 1u);
}

// Writes `bytes` as the snapshot, then checks that create refuses it with `problem` in the
// message, names the file, and leaves the file exactly as it was.
void expectRefused(FilePlugin& plugin, TempDir& dir, const std::string& path,
                   const std::string& bytes, const std::string& problem) {
  writeBytes(path, bytes);
  std::string error = plugin.openError({{"path", path}, {"interval", "0s"}});
  EXPECT_NE(error.find("cannot load the snapshot \"" + path + "\": " + problem), std::string::npos)
      << error;
  EXPECT_NE(error.find("The file was not modified"), std::string::npos) << error;
  EXPECT_EQ(readBytes(path), bytes);
  EXPECT_EQ(dir.names(), std::set<std::string>{"ferry.snap"});
}

TEST_F(FileStorageTest, DamagedFilesAreRefusedAndLeftUntouched) {
  const std::string good = encodeSnapshot({{"g1", "v1"}, {"g2", std::string(1000, 'x')}});
  SCOPED_TRACE("empty");
  expectRefused(plugin_, dir_, path_, "", "the file is empty (0 bytes)");
  for (size_t size : {size_t{5}, size_t{30}, size_t{36}, size_t{500}, good.size() - 1}) {
    SCOPED_TRACE(size);
    expectRefused(plugin_, dir_, path_, good.substr(0, size), "truncated: ");
  }
  std::string flipped = good;
  flipped[600] ^= 0x01;
  expectRefused(plugin_, dir_, path_, flipped, "corrupt: checksum mismatch");
  expectRefused(plugin_, dir_, path_, "garbage-not-a-snapshot\n",
                "not a Ferry snapshot (it does not start with \"FERRYSNP\")");
  std::string newer = good;
  newer[8] = 7;
  expectRefused(plugin_, dir_, path_, newer, "unsupported format version 7");
  expectRefused(plugin_, dir_, path_, good + "tail", "4 bytes after the end of the snapshot");
}

TEST_F(FileStorageTest, PushgatewayFilePointsToTheImportCommand) {
  expectRefused(plugin_, dir_, path_, kPushgatewayFileStart,
                "not a Ferry snapshot: it looks like a Pushgateway persistence file (Go gob)");
  std::string error = plugin_.openError({{"path", path_}});
  EXPECT_NE(error.find("ferry import-pushgateway " + path_), std::string::npos) << error;
}

TEST_F(FileStorageTest, DirectoryInPlaceOfTheFileIsRefused) {
  std::filesystem::create_directory(path_);  // unreadable as a file, even for root
  std::string error = plugin_.openError({{"path", path_}});
  EXPECT_NE(error.find("cannot read the snapshot \"" + path_ + "\": " + path_ +
                       " is not a regular file; the file was not modified"),
            std::string::npos)
      << error;
}

// Root reads any file: the check runs as an unprivileged user.
TEST_F(FileStorageTest, FileWithoutReadPermissionIsRefused) {
  writeBytes(path_, encodeSnapshot({}));
  ASSERT_EQ(chmod(path_.c_str(), 0), 0);
  std::string failure = ferry::testkit::runUnprivileged(
      [&]() -> std::string {
        std::string error = plugin_.openError({{"path", path_}});
        if (error.find("open " + path_ + ": Permission denied") != std::string::npos) return "";
        return "expected \"open " + path_ + ": Permission denied\", got: " + error;
      },
      {dir_.path().string()});
  EXPECT_EQ(failure, "");
}

TEST_F(FileStorageTest, MissingOrReadOnlyDirectoryFailsAtCreate) {
  const std::string missing = dir_.file("no/such/dir/f.snap");
  std::string error = plugin_.openError({{"path", missing}});
  EXPECT_NE(error.find("the snapshot \"" + missing +
                       "\" could not be saved: cannot create a file "
                       "in " +
                       dir_.file("no/such/dir") + ": No such file or directory"),
            std::string::npos)
      << error;
  // /sys refuses new files even to root.
  error = plugin_.openError({{"path", "/sys/ferry-test.snap"}});
  EXPECT_NE(error.find("cannot create a file in /sys: Permission denied"), std::string::npos)
      << error;
  EXPECT_FALSE(exists("/sys/ferry-test.snap"));
}

TEST_F(FileStorageTest, ConfigIsChecked) {
  EXPECT_NE(plugin_.openError(nlohmann::json::object()).find("missing required key \"path\""),
            std::string::npos);
  EXPECT_NE(plugin_.openError({{"path", ""}}).find("\"path\" must name the snapshot file"),
            std::string::npos);
  EXPECT_NE(plugin_.openError({{"path", path_}, {"interval", "5 minutes"}})
                .find("bad value for key \"interval\": \"5 minutes\": time: unknown unit "
                      "\" minutes\" in duration \"5 minutes\""),
            std::string::npos);
  EXPECT_NE(plugin_.openError({{"path", path_}, {"interval", "-1s"}})
                .find("\"interval\" must not be negative, got \"-1s\""),
            std::string::npos);
  EXPECT_NE(plugin_.openError({{"path", path_}, {"interval", 5}}).find("bad value for key"),
            std::string::npos);
  EXPECT_NE(plugin_.openError({{"path", path_}, {"fsync", false}}).find("unknown key \"fsync\""),
            std::string::npos);
  EXPECT_EQ(plugin_.openError({{"path", path_}}), "");  // interval defaults to 5m
  EXPECT_FALSE(exists(path_));
}

// RLIMIT_FSIZE makes write() fail with EFBIG, even for root: a save that cannot complete.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &saved_);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() { setrlimit(RLIMIT_FSIZE, &saved_); }

 private:
  rlimit saved_{};
};

// A write or wipe that cannot be saved fails whole: the old snapshot stays, and so do the
// entries in memory (the host drops the change too; a later save must not store it).
TEST_F(FileStorageTest, FailedSaveReportsIoErrorAndKeepsTheStoreAsItWas) {
  auto storage = plugin_.open(path_, "0s");
  ASSERT_TRUE(storage->write({putOp("small", "1"), putOp("other", "2")}).ok());
  const std::string before = readBytes(path_);
  const std::map<std::string, std::string> entries = {{"other", "2"}, {"small", "1"}};
  {
    FileSizeLimit limit(4096);
    auto status = storage->write(
        {putOp("big", std::string(100000, 'b')), putOp("small", "changed"), removeOp("other")});
    EXPECT_EQ(status.status, FERRY_ERR_IO);
    EXPECT_NE(status.message.find("cannot save the snapshot \"" + path_ + "\": write "),
              std::string::npos)
        << status.message;
    EXPECT_NE(status.message.find("File too large (the previous snapshot is unchanged)"),
              std::string::npos)
        << status.message;
    EXPECT_EQ(readBytes(path_), before);
    EXPECT_EQ(dir_.names(), (std::set<std::string>{"ferry.snap", "ferry.snap.lock"}));
    EXPECT_EQ(scanAll(*storage), entries);
  }
  {
    FileSizeLimit limit(1);  // not even an empty snapshot fits
    EXPECT_EQ(storage->wipe().status, FERRY_ERR_IO);
    EXPECT_EQ(readBytes(path_), before);
    EXPECT_EQ(scanAll(*storage), entries);
  }
  ASSERT_TRUE(storage->flush().ok());
  EXPECT_EQ(fileEntries(path_), entries);
  ASSERT_TRUE(storage->write({putOp("big", "fits now")}).ok());
  EXPECT_EQ(fileEntries(path_).count("big"), 1u);
}

}  // namespace
}  // namespace ferry::plugins::file
