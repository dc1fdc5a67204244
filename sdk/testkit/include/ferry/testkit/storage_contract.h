// The storage contract: the GoogleTest suite every Ferry storage plugin must pass.
//
// A plugin author instantiates it once per backend:
//
//   #include <ferry/testkit/storage_contract.h>
//   INSTANTIATE_TEST_SUITE_P(MyStore, ferry::testkit::StorageContract,
//       ::testing::Values(ferry::testkit::StorageBackend{"mystore", "/path/storage-mystore.so",
//           ferry::testkit::pathConfig("db"), /*durable=*/true}),
//       ferry::testkit::backendName);
//
// and links the executable with ferry_storage_kit and GTest::gtest_main. Every test runs in a
// fresh temporary directory, passed to StorageBackend::config to build the plugin's config.
#pragma once

#include <ferry/testkit/plugin_loader.h>
#include <ferry/testkit/storage_driver.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

namespace ferry::testkit {

struct StorageBackend {
  // The plugin's name as its descriptor gives it (checked).
  std::string name;
  // Absolute path of the plugin's .so.
  std::string library_path;
  // The JSON config for a store kept in directory `dir` (a fresh, empty, writable directory).
  // Called again with the same dir to reopen the store, and with other directories (missing,
  // unwritable, ...) by the tests of stores that cannot be opened.
  std::function<std::string(const std::string& dir)> config;
  // True if every write that returned FERRY_OK survives destroy and process death: such a
  // backend is reopened and must show exactly what was written. A non-durable backend must
  // reopen empty.
  bool durable = false;
  // Where a durable store keeps its data: true if in files under `dir` (the tests of
  // directories that cannot be opened apply), false if in a server (Redis, Postgres) where
  // `dir` only names the store (each test's dir a different one, e.g. as a key prefix).
  bool stored_in_dir = true;
  // Shared stores (FERRY_STORAGE_SHARED) only, and required for them: makes the store of `dir`
  // forget its feed history up to now, as a feed trimmed past a slow replica would (Redis:
  // XTRIM MAXLEN 0). The feed tests use it to check that read_changes reports the gap.
  std::function<void(const std::string& dir)> lose_feed_history = nullptr;
};

// Prints "NAME (durable)" or "NAME (not durable)" in test output instead of the bytes.
void PrintTo(const StorageBackend& backend, std::ostream* os);

// Test name suffix generator for INSTANTIATE_TEST_SUITE_P: the backend's name, with every
// character that gtest does not allow in a name replaced by '_'.
std::string backendName(const ::testing::TestParamInfo<StorageBackend>& info);

// `s` as a JSON string literal, quotes included.
std::string jsonString(const std::string& s);

// A config function for the common case {"path": "<dir>/<file_name>", <extra members>}; e.g.
// pathConfig("ferry.snap", R"("interval": "0s")").
std::function<std::string(const std::string&)> pathConfig(std::string file_name,
                                                          std::string extra_members = "");

class StorageContract : public ::testing::TestWithParam<StorageBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  const StorageBackend& backend() const { return GetParam(); }
  const PluginLibrary& library() const { return *library_; }
  // A fresh directory for this test; removed afterwards unless FERRY_TESTKIT_KEEP is set.
  const std::string& dir() const { return dir_; }
  // Opens the store of dir(); on failure records a test failure and returns nullptr.
  std::unique_ptr<StorageDriver> open();
  // Opens the store of another directory (a test's sub-directory).
  std::unique_ptr<StorageDriver> openIn(const std::string& dir);

 private:
  const PluginLibrary* library_ = nullptr;
  std::string dir_;
};

namespace detail {
// Defined next to the tests: referencing it from every file that includes this header makes
// the linker keep the tests when the kit is linked as a static library.
int storageContractLinkAnchor();
[[maybe_unused]] static const int kStorageContractLinkAnchor = storageContractLinkAnchor();
}  // namespace detail

}  // namespace ferry::testkit
