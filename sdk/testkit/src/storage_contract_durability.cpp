// The storage contract, part 2: what survives a restart, (DurableStorageContract) what only a
// durable store does: survive the death of its process, refuse a second writer, and
// (DirectoryStorageContract) refuse directories and files it cannot use.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "contract_support.h"
#include "ferry/testkit/storage_contract.h"
#include "ferry/testkit/unprivileged.h"

namespace ferry::testkit {
namespace detail {
int storageContractDurabilityAnchor() { return 0; }
}  // namespace detail

// A test program of backends that are not durable instantiates no durable cases.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DurableStorageContract);
// Nor one of backends kept in a server (Redis) directory cases.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DirectoryStorageContract);

namespace {

using support::sameContents;
using Op = StorageOp;

// What a reopened store must show: everything for a durable backend, nothing otherwise.
StorageMap afterReopen(const StorageBackend& backend, const StorageMap& written) {
  return backend.durable ? written : StorageMap{};
}

// Expects create with `config` to fail with a message, and never to crash.
void expectCreateFails(const PluginLibrary& library, const std::string& config,
                       const std::string& why) {
  CallResult error;
  auto store = StorageDriver::open(library, config, &error);
  EXPECT_EQ(store, nullptr) << "create succeeded although " << why << "; config " << config;
  if (!store) {
    EXPECT_FALSE(error.message.empty())
        << "create failed without a message although " << why << "; config " << config;
  }
}

TEST_P(StorageContract, ReopenSeesExactlyWhatWasWritten) {
  StorageMap written;
  {
    auto store = open();
    ASSERT_NE(store, nullptr);
    std::vector<Op> ops;
    for (int i = 0; i < 100; ++i) {
      std::string key = "group/" + std::to_string(i) + std::string("\0\xff", 2);
      written[key] = support::patternValue(100 + i * 37, i);
      ops.push_back(Op::put(key, written[key]));
    }
    ASSERT_TRUE(store->write(ops).ok());
    ASSERT_TRUE(
        store
            ->write({Op::put("group/7" + std::string("\0\xff", 2), "replaced"),
                     Op::remove("group/8" + std::string("\0\xff", 2)), Op::put("empty", "")})
            .ok());
    written["group/7" + std::string("\0\xff", 2)] = "replaced";
    written.erase("group/8" + std::string("\0\xff", 2));
    written["empty"] = "";
    // No flush: a durable backend makes each write durable before it returns.
  }
  {
    auto store = open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(sameContents(store->scanAll(), afterReopen(backend(), written)))
        << "after destroy without flush";
    ASSERT_TRUE(store->write({Op::put("after-reopen", "1")}).ok());
    written["after-reopen"] = "1";
    ASSERT_TRUE(store->flush().ok());
  }
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(sameContents(store->scanAll(), afterReopen(backend(), written)))
      << "after flush and destroy";
}

TEST_P(StorageContract, WipeSurvivesReopen) {
  {
    auto store = open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->write({Op::put("a", "1"), Op::put("b", "2")}).ok());
    ASSERT_TRUE(store->wipe().ok());
    ASSERT_TRUE(store->write({Op::put("c", "3")}).ok());
  }
  {
    auto store = open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(sameContents(store->scanAll(), afterReopen(backend(), {{"c", "3"}})));
    ASSERT_TRUE(store->wipe().ok());
  }
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(sameContents(store->scanAll(), {})) << "a wipe as the last call before destroy";
}

// kill -9 after an acknowledged write: the child process writes and exits at once, with no
// destroy, no flush and no static destructors.
TEST_P(DurableStorageContract, WriteSurvivesProcessDeath) {
  std::string config = backend().config(dir());
  fflush(nullptr);
  pid_t child = fork();
  ASSERT_GE(child, 0) << "fork failed";
  if (child == 0) {
    auto store = StorageDriver::open(library(), config);
    if (!store) _exit(2);
    if (!store->write({Op::put("acked", "before the crash"), Op::put("gone", "x")}).ok()) _exit(3);
    if (!store->write({Op::remove("gone"), Op::put("last", std::string(100000, 'z'))}).ok()) {
      _exit(4);
    }
    (void)store.release();  // never destroyed: the process just dies
    _exit(0);
  }
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 1200 && done == 0; ++i) {  // at most about 60 s
    done = waitpid(child, &status, WNOHANG);
    if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (done == 0) {
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    FAIL() << "the writing child process did not finish within 60 s";
  }
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the writing child failed (exit 2: create, 3/4: write), status " << status;
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(sameContents(store->scanAll(),
                           {{"acked", "before the crash"}, {"last", std::string(100000, 'z')}}));
}

TEST_P(DirectoryStorageContract, CreateFailsWhenTheParentIsAFile) {
  std::string file = dir() + "/not-a-directory";
  support::writeFile(file, "x");
  expectCreateFails(library(), backend().config(file), "the store's directory is a file");
}

TEST_P(DirectoryStorageContract, CreateFailsInAMissingDirectory) {
  expectCreateFails(library(), backend().config(dir() + "/missing/deeper"),
                    "the store's directory does not exist");
}

// Root ignores permission bits: the check runs as an unprivileged user (runUnprivileged), who
// can create a store in a directory of its own but not in a read-only one.
TEST_P(DirectoryStorageContract, CreateFailsInAnUnwritableDirectory) {
  std::string ro = dir() + "/read-only";
  ASSERT_EQ(mkdir(ro.c_str(), 0555), 0);
  ASSERT_EQ(chmod(ro.c_str(), 0555), 0);
  std::string writable = dir() + "/writable";
  std::string failure = runUnprivileged(
      [&]() -> std::string {
        if (mkdir(writable.c_str(), 0755) != 0) return "cannot make " + writable;
        CallResult error;
        if (!StorageDriver::open(library(), backend().config(writable), &error)) {
          return "create failed in a writable directory: " + error.describe();
        }
        if (access(ro.c_str(), W_OK) == 0) return ro + " is writable: the check cannot fail";
        std::string config = backend().config(ro);
        if (StorageDriver::open(library(), config, &error)) {
          return "create succeeded although the store's directory is read-only; config " + config;
        }
        if (error.message.empty()) {
          return "create failed without a message although the store's directory is read-only; "
                 "config " +
                 config;
        }
        return "";
      },
      {dir()});
  EXPECT_EQ(failure, "");
}

// The files a store keeps in its directory, learnt by writing one entry in `probe_dir`.
std::vector<std::string> probeFiles(const std::string& probe_dir,
                                    std::unique_ptr<StorageDriver> store) {
  if (!store) return {};
  EXPECT_TRUE(store->write({Op::put("probe", support::patternValue(5000, 1))}).ok());
  EXPECT_TRUE(store->flush().ok());
  store.reset();
  return support::regularFiles(probe_dir);
}

// Two writers on one store would overwrite each other's acknowledged writes: while one instance
// is open, a second on the same config is refused; once the first is gone, it opens. A shared
// store (FERRY_STORAGE_SHARED) is the exception by design: its instances commit with write_if.
TEST_P(DurableStorageContract, SecondInstanceOnTheSameStoreIsRefused) {
  auto first = open();
  ASSERT_NE(first, nullptr);
  ASSERT_TRUE(first->write({Op::put("k", "first")}).ok());
  if (library().sharedStorage()) {
    // A shared store is opened by several instances at once (one per replica): the second
    // opens, sees what the first wrote, and its writes reach the first.
    auto second = open();
    ASSERT_NE(second, nullptr) << "a shared store refused a second instance";
    EXPECT_TRUE(sameContents(second->scanAll(), StorageMap{{"k", "first"}}));
    ASSERT_TRUE(second->write({Op::put("k", "second")}).ok());
    EXPECT_TRUE(sameContents(first->scanAll(), StorageMap{{"k", "second"}}));
    return;
  }
  expectCreateFails(library(), backend().config(dir()), "another instance has the store open");
  EXPECT_TRUE(sameContents(first->scanAll(), StorageMap{{"k", "first"}}))
      << "the refused instance changed the store";
  first.reset();
  auto again = open();
  ASSERT_NE(again, nullptr) << "the store stays locked after its instance was destroyed";
  EXPECT_TRUE(sameContents(again->scanAll(), StorageMap{{"k", "first"}}));
}

TEST_P(DirectoryStorageContract, CreateFailsWhenTheStoreIsADirectory) {
  std::string probe = dir() + "/probe";
  ASSERT_EQ(mkdir(probe.c_str(), 0755), 0);
  auto files = probeFiles(probe, openIn(probe));
  ASSERT_FALSE(files.empty()) << "the backend is declared stored_in_dir but keeps no files in "
                                 "its directory";
  std::string target = dir() + "/target";
  ASSERT_EQ(mkdir(target.c_str(), 0755), 0);
  for (const auto& name : files) ASSERT_EQ(mkdir((target + "/" + name).c_str(), 0755), 0);
  expectCreateFails(library(), backend().config(target), "the store's files are directories");
}

// A store whose files hold garbage must not open as an empty store (Pushgateway's silent
// data loss, spec §6): create fails, or at least scan reports an error. A failed create
// leaves the file as it was.
TEST_P(DirectoryStorageContract, GarbageStoreIsNotSilentlyEmpty) {
  std::string probe = dir() + "/probe";
  ASSERT_EQ(mkdir(probe.c_str(), 0755), 0);
  auto files = probeFiles(probe, openIn(probe));
  ASSERT_FALSE(files.empty()) << "the backend is declared stored_in_dir but keeps no files in "
                                 "its directory";
  std::string target = dir() + "/target";
  ASSERT_EQ(mkdir(target.c_str(), 0755), 0);
  std::string garbage = "this is not a Ferry store\n" + support::patternValue(4000, 99);
  for (const auto& name : files) support::writeFile(target + "/" + name, garbage);
  CallResult error;
  auto store = StorageDriver::open(library(), backend().config(target), &error);
  if (!store) {
    EXPECT_FALSE(error.message.empty()) << "create refused the garbage store without a message";
    for (const auto& name : files) {
      EXPECT_EQ(support::readFile(target + "/" + name), garbage)
          << name << " was changed by a create that failed";
    }
    return;
  }
  ScanResult scan = store->scanAll();
  EXPECT_FALSE(scan.call.ok()) << "a store of garbage files (" << files.size()
                               << " files) opened and scanned as " << scan.entries.size()
                               << " entries without any error";
}

// A store cut short (a crash or a full disk while some other tool copied it) must not lose
// entries silently: create fails, scan fails, or every entry is still there.
TEST_P(DirectoryStorageContract, TruncatedStoreIsNotSilentlyShort) {
  StorageMap written;
  {
    auto store = open();
    ASSERT_NE(store, nullptr);
    std::vector<Op> ops;
    for (int i = 0; i < 200; ++i) {
      written["k" + std::to_string(i)] = support::patternValue(2000, i);
      ops.push_back(Op::put("k" + std::to_string(i), written["k" + std::to_string(i)]));
    }
    ASSERT_TRUE(store->write(ops).ok());
    ASSERT_TRUE(store->flush().ok());
  }
  std::string largest;
  size_t largest_size = 0;
  for (const auto& name : support::regularFiles(dir())) {
    size_t size = support::readFile(dir() + "/" + name).size();
    if (size > largest_size) largest = name, largest_size = size;
  }
  ASSERT_FALSE(largest.empty()) << "the backend is declared stored_in_dir but keeps no files "
                                   "in its directory";
  std::string cut = support::readFile(dir() + "/" + largest).substr(0, largest_size / 2);
  support::writeFile(dir() + "/" + largest, cut);
  CallResult error;
  auto store = StorageDriver::open(library(), backend().config(dir()), &error);
  if (!store) {
    EXPECT_FALSE(error.message.empty()) << "create refused the truncated store without a message";
    EXPECT_EQ(support::readFile(dir() + "/" + largest), cut)
        << largest << " was changed by a create that failed";
    return;
  }
  ScanResult scan = store->scanAll();
  if (!scan.call.ok()) return;
  EXPECT_TRUE(sameContents(scan, written))
      << largest << " cut from " << largest_size << " to " << cut.size()
      << " bytes opened and scanned without an error";
}

}  // namespace
}  // namespace ferry::testkit
