// The storage contract: the GoogleTest suites every Ferry storage plugin must pass.
//
// A plugin author instantiates them once per backend:
//
//   #include <ferry/testkit/storage_contract.h>
//   FERRY_INSTANTIATE_STORAGE_CONTRACT(MyStore,
//       ferry::testkit::StorageBackend{"mystore", "/path/storage-mystore.so",
//           ferry::testkit::pathConfig("db"), /*durable=*/true});
//
// and links the executable with ferry_storage_kit and GTest::gtest_main. That instantiates
// StorageContract (every backend); for a backend declared durable, DurableStorageContract (what
// only a durable store can do: survive the death of its process, refuse a second writer); for a
// durable backend that keeps its store in files under its directory (stored_in_dir),
// DirectoryStorageContract (refuse directories and files it cannot use, garbage, truncation);
// and for a plugin that declares FERRY_STORAGE_SHARED, SharedStorageContract (several instances
// on one store: snapshots, the change feed, write_if, leases). A backend runs no case that does
// not apply to it, so none is skipped.
// Every test runs in a fresh temporary directory, passed to StorageBackend::config to build the
// plugin's config.
#pragma once

#include <ferry/testkit/plugin_loader.h>
#include <ferry/testkit/storage_driver.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

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
  // backend is reopened and must show exactly what was written, and passes
  // DurableStorageContract too. A non-durable backend must reopen empty. A plugin that declares
  // FERRY_STORAGE_VOLATILE cannot be durable.
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

// The backends of `backends` that are declared durable: DurableStorageContract's parameters.
std::vector<StorageBackend> durableOnly(std::vector<StorageBackend> backends);
// The durable backends of `backends` that keep their store in files (stored_in_dir):
// DirectoryStorageContract's parameters.
std::vector<StorageBackend> inDirectoryOnly(std::vector<StorageBackend> backends);
// The backends of `backends` whose plugin declares FERRY_STORAGE_SHARED (the plugin is loaded
// to read its flags; one that does not load is left to StorageContract, which fails for it):
// SharedStorageContract's parameters.
std::vector<StorageBackend> sharedOnly(std::vector<StorageBackend> backends);

// Every storage backend's cases.
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

// The cases only a durable backend (StorageBackend::durable) must pass. Instantiated by
// FERRY_INSTANTIATE_STORAGE_CONTRACT for durable backends only; a backend instantiated here
// directly that is not declared durable fails.
class DurableStorageContract : public StorageContract {
 protected:
  void SetUp() override;
};

// The cases of a durable store kept in files under its directory (StorageBackend::stored_in_dir):
// directories it cannot use, damaged files. Instantiated by FERRY_INSTANTIATE_STORAGE_CONTRACT
// for those backends only.
class DirectoryStorageContract : public StorageContract {
 protected:
  void SetUp() override;
};

// The cases of a shared store (the plugin declares FERRY_STORAGE_SHARED, ABI 1.2). Instantiated
// by FERRY_INSTANTIATE_STORAGE_CONTRACT for those backends only; a backend instantiated here
// directly whose plugin is not shared fails.
class SharedStorageContract : public StorageContract {
 protected:
  void SetUp() override;
};

namespace detail {
// Defined next to the tests: referencing it from every file that includes this header makes
// the linker keep the tests when the kit is linked as a static library.
int storageContractLinkAnchor();
[[maybe_unused]] static const int kStorageContractLinkAnchor = storageContractLinkAnchor();
}  // namespace detail

}  // namespace ferry::testkit

// Instantiates the storage contract for one or more StorageBackend values under `prefix`:
// StorageContract for each, DurableStorageContract for each declared durable,
// DirectoryStorageContract for each durable one kept in files, SharedStorageContract for each
// whose plugin declares FERRY_STORAGE_SHARED. Test names are PREFIX/StorageContract.CASE/NAME,
// PREFIX/DurableStorageContract.CASE/NAME and so on. Use it at namespace scope; it brings the
// suite names into that scope (gtest builds identifiers from them, so they cannot be qualified).
#define FERRY_INSTANTIATE_STORAGE_CONTRACT(prefix, ...)                                      \
  using ::ferry::testkit::StorageContract;                                                   \
  using ::ferry::testkit::DurableStorageContract;                                            \
  using ::ferry::testkit::DirectoryStorageContract;                                          \
  using ::ferry::testkit::SharedStorageContract;                                             \
  INSTANTIATE_TEST_SUITE_P(                                                                  \
      prefix, StorageContract,                                                               \
      ::testing::ValuesIn(std::vector<::ferry::testkit::StorageBackend>{__VA_ARGS__}),       \
      ::ferry::testkit::backendName);                                                        \
  INSTANTIATE_TEST_SUITE_P(prefix, DurableStorageContract,                                   \
                           ::testing::ValuesIn(::ferry::testkit::durableOnly(                \
                               std::vector<::ferry::testkit::StorageBackend>{__VA_ARGS__})), \
                           ::ferry::testkit::backendName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, DirectoryStorageContract,                                 \
                           ::testing::ValuesIn(::ferry::testkit::inDirectoryOnly(            \
                               std::vector<::ferry::testkit::StorageBackend>{__VA_ARGS__})), \
                           ::ferry::testkit::backendName);                                   \
  INSTANTIATE_TEST_SUITE_P(prefix, SharedStorageContract,                                    \
                           ::testing::ValuesIn(::ferry::testkit::sharedOnly(                 \
                               std::vector<::ferry::testkit::StorageBackend>{__VA_ARGS__})), \
                           ::ferry::testkit::backendName)
