// The storage contract, part 1: the fixture and the key-value semantics every backend shares.
#include "ferry/testkit/storage_contract.h"

#include <cstddef>
#include <cstdlib>
#include <cstring>

#include "contract_support.h"
#include "kit_common.h"

namespace ferry::testkit {

namespace detail {
int storageContractDurabilityAnchor();
int storageContractScaleAnchor();
int storageContractFeedAnchor();
// Referencing the other test files' anchors keeps their tests in the link as well.
int storageContractLinkAnchor() {
  return storageContractDurabilityAnchor() + storageContractScaleAnchor() +
         storageContractFeedAnchor();
}
}  // namespace detail

void PrintTo(const StorageBackend& backend, std::ostream* os) {
  // Short on purpose: ctest's test names include it. The path shows up in load errors.
  *os << backend.name << (backend.durable ? " (durable)" : " (not durable)");
}

std::string backendName(const ::testing::TestParamInfo<StorageBackend>& info) {
  std::string name = info.param.name.empty() ? "unnamed" : info.param.name;
  for (char& c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!ok) c = '_';
  }
  return name;
}

std::string jsonString(const std::string& s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::function<std::string(const std::string&)> pathConfig(std::string file_name,
                                                          std::string extra_members) {
  return [file_name, extra_members](const std::string& dir) {
    std::string json = "{\"path\": " + jsonString(dir + "/" + file_name);
    if (!extra_members.empty()) json += ", " + extra_members;
    return json + "}";
  };
}

void StorageContract::SetUp() {
  ASSERT_TRUE(backend().config) << "StorageBackend::config is empty";
  try {
    library_ = &PluginLibrary::loadStorage(backend().library_path);
  } catch (const LoadError& e) {
    FAIL() << e.what();
  }
  dir_ = support::makeTempDir(backendName(::testing::TestParamInfo<StorageBackend>(GetParam(), 0)));
}

void StorageContract::TearDown() {
  if (!dir_.empty() && !std::getenv("FERRY_TESTKIT_KEEP")) support::removeTree(dir_);
}

std::vector<StorageBackend> durableOnly(std::vector<StorageBackend> backends) {
  std::vector<StorageBackend> durable;
  for (auto& backend : backends) {
    if (backend.durable) durable.push_back(std::move(backend));
  }
  return durable;
}

std::vector<StorageBackend> inDirectoryOnly(std::vector<StorageBackend> backends) {
  std::vector<StorageBackend> in_files;
  for (auto& backend : backends) {
    if (backend.durable && backend.stored_in_dir) in_files.push_back(std::move(backend));
  }
  return in_files;
}

std::vector<StorageBackend> sharedOnly(std::vector<StorageBackend> backends) {
  std::vector<StorageBackend> shared;
  for (auto& backend : backends) {
    try {
      if (PluginLibrary::loadStorage(backend.library_path).sharedStorage()) {
        shared.push_back(std::move(backend));
      }
    } catch (const LoadError&) {  // StorageContract::SetUp fails for it, with why
    }
  }
  return shared;
}

void DirectoryStorageContract::SetUp() {
  ASSERT_TRUE(backend().durable && backend().stored_in_dir)
      << "DirectoryStorageContract runs only for durable backends kept in files "
         "(StorageBackend::durable, stored_in_dir); "
         "instantiate the contract with FERRY_INSTANTIATE_STORAGE_CONTRACT";
  StorageContract::SetUp();
}

void SharedStorageContract::SetUp() {
  StorageContract::SetUp();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(library().sharedStorage())
      << "SharedStorageContract runs only for plugins that declare FERRY_STORAGE_SHARED; "
         "instantiate the contract with FERRY_INSTANTIATE_STORAGE_CONTRACT";
}

void DurableStorageContract::SetUp() {
  ASSERT_TRUE(backend().durable)
      << "DurableStorageContract runs only for backends declared durable "
         "(StorageBackend::durable); "
         "instantiate the contract with FERRY_INSTANTIATE_STORAGE_CONTRACT";
  StorageContract::SetUp();
}

std::unique_ptr<StorageDriver> StorageContract::open() { return openIn(dir_); }

std::unique_ptr<StorageDriver> StorageContract::openIn(const std::string& dir) {
  std::string config = backend().config(dir);
  CallResult error;
  auto store = StorageDriver::open(*library_, config, &error);
  if (!store) ADD_FAILURE() << "create failed with config " << config << ": " << error.describe();
  return store;
}

namespace {

using support::sameContents;
using Op = StorageOp;

TEST_P(StorageContract, DescriptorNamesTheBackend) {
  const ferry_plugin_descriptor& d = library().descriptor();
  EXPECT_EQ(d.kind, FERRY_KIND_STORAGE);
  EXPECT_EQ(std::string(d.name), backend().name);
  EXPECT_GT(std::strlen(d.version), 0u) << "descriptor version is empty";
}

// What the backend is declared to be agrees with the plugin, and a durable backend runs the
// durable cases: a volatile plugin (Ferry never calls its write) cannot keep anything, and a
// durable backend instantiated without DurableStorageContract would pass without ever being
// killed or reopened damaged.
TEST_P(StorageContract, DurabilityDeclarationHolds) {
  bool is_volatile = (library().storageFlags() & FERRY_STORAGE_VOLATILE) != 0;
  EXPECT_FALSE(backend().durable && is_volatile)
      << "the backend is declared durable, but the plugin declares FERRY_STORAGE_VOLATILE";
  if (!backend().durable) return;
  const ::testing::TestInfo& self = *::testing::UnitTest::GetInstance()->current_test_info();
  std::string suite = self.test_suite_name();
  std::string durable_suite =
      suite.substr(0, suite.size() - std::strlen("StorageContract")) + "DurableStorageContract";
  bool instantiated = false;
  const auto& unit = *::testing::UnitTest::GetInstance();
  for (int i = 0; i < unit.total_test_suite_count() && !instantiated; ++i) {
    const ::testing::TestSuite& candidate = *unit.GetTestSuite(i);
    if (durable_suite != candidate.name()) continue;
    for (int j = 0; j < candidate.total_test_count() && !instantiated; ++j) {
      const char* param = candidate.GetTestInfo(j)->value_param();
      instantiated = param && self.value_param() && std::string(param) == self.value_param();
    }
  }
  EXPECT_TRUE(instantiated) << "the backend is declared durable but " << durable_suite
                            << " has no case for it: instantiate the contract with "
                               "FERRY_INSTANTIATE_STORAGE_CONTRACT";
}

TEST_P(StorageContract, NewStoreIsEmpty) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(sameContents(store->scanAll(), {}));
}

TEST_P(StorageContract, PutThenScan) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->write({Op::put("job/a", "one"), Op::put("job/b", "two")}).ok());
  ASSERT_TRUE(store->write({Op::put("job/c", "three")}).ok());
  EXPECT_TRUE(
      sameContents(store->scanAll(), {{"job/a", "one"}, {"job/b", "two"}, {"job/c", "three"}}));
}

TEST_P(StorageContract, PutReplaces) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->write({Op::put("k", "a much longer first value")}).ok());
  ASSERT_TRUE(store->write({Op::put("k", "short")}).ok());
  EXPECT_TRUE(sameContents(store->scanAll(), {{"k", "short"}}));
  ASSERT_TRUE(store->write({Op::put("k", "and a longer one again")}).ok());
  EXPECT_TRUE(sameContents(store->scanAll(), {{"k", "and a longer one again"}}));
}

TEST_P(StorageContract, RemoveDeletesOnlyThatKey) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->write({Op::put("a", "1"), Op::put("b", "2"), Op::put("ab", "3")}).ok());
  CallResult removed = store->write({Op::remove("a")});
  ASSERT_TRUE(removed.ok()) << removed.describe();
  EXPECT_TRUE(sameContents(store->scanAll(), {{"b", "2"}, {"ab", "3"}}));
}

TEST_P(StorageContract, RemoveOfAbsentKeyIsFine) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  CallResult empty = store->write({Op::remove("never-written")});
  EXPECT_TRUE(empty.ok()) << empty.describe();
  ASSERT_TRUE(store->write({Op::put("x", "1")}).ok());
  CallResult twice = store->write({Op::remove("x"), Op::remove("x"), Op::remove("y")});
  EXPECT_TRUE(twice.ok()) << twice.describe();
  EXPECT_TRUE(sameContents(store->scanAll(), {}));
}

TEST_P(StorageContract, EmptyBatchIsFine) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->write({Op::put("x", "1")}).ok());
  CallResult result = store->writeRaw(nullptr, 0);
  EXPECT_TRUE(result.ok()) << result.describe();
  EXPECT_TRUE(sameContents(store->scanAll(), {{"x", "1"}}));
}

TEST_P(StorageContract, BatchIsAppliedInOrder) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  CallResult result = store->write({Op::put("k", "first"), Op::remove("k"), Op::put("k", "last"),
                                    Op::put("gone", "x"), Op::remove("gone"), Op::put("twice", "1"),
                                    Op::put("twice", "2")});
  ASSERT_TRUE(result.ok()) << result.describe();
  EXPECT_TRUE(sameContents(store->scanAll(), {{"k", "last"}, {"twice", "2"}}));
  ASSERT_TRUE(store->write({Op::remove("k"), Op::put("k", "again"), Op::remove("twice")}).ok());
  EXPECT_TRUE(sameContents(store->scanAll(), {{"k", "again"}}));
}

TEST_P(StorageContract, ScanStopsEarly) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  std::vector<Op> ops;
  for (int i = 0; i < 50; ++i) ops.push_back(Op::put("key" + std::to_string(i), "v"));
  ASSERT_TRUE(store->write(ops).ok());
  int calls = 0;
  CallResult result = store->scan([&](std::string_view, std::string_view) {
    ++calls;
    return calls < 3;
  });
  EXPECT_TRUE(result.ok()) << "stopping a scan early is not an error: " << result.describe();
  EXPECT_EQ(calls, 3) << "the callback returned non-zero on call 3, the scan went on";
  EXPECT_EQ(store->scanAll().entries.size(), 50u) << "an early stop must not change the store";
}

TEST_P(StorageContract, WipeRemovesEverything) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->write({Op::put("a", "1"), Op::put("b", "2")}).ok());
  CallResult wiped = store->wipe();
  ASSERT_TRUE(wiped.ok()) << wiped.describe();
  EXPECT_TRUE(sameContents(store->scanAll(), {}));
  CallResult again = store->wipe();
  EXPECT_TRUE(again.ok()) << "wiping an empty store: " << again.describe();
  ASSERT_TRUE(store->write({Op::put("a", "after")}).ok());
  EXPECT_TRUE(sameContents(store->scanAll(), {{"a", "after"}}));
}

TEST_P(StorageContract, FlushKeepsContents) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  CallResult empty = store->flush();
  EXPECT_TRUE(empty.ok()) << "flush of an empty store: " << empty.describe();
  ASSERT_TRUE(store->write({Op::put("a", "1"), Op::put("b", "2")}).ok());
  CallResult flushed = store->flush();
  EXPECT_TRUE(flushed.ok()) << flushed.describe();
  EXPECT_TRUE(store->flush().ok()) << "a second flush with nothing new";
  EXPECT_TRUE(sameContents(store->scanAll(), {{"a", "1"}, {"b", "2"}}));
}

TEST_P(StorageContract, EmptyValueIsKept) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->write({Op::put("empty", ""), Op::put("full", "x")}).ok());
  EXPECT_TRUE(sameContents(store->scanAll(), {{"empty", ""}, {"full", "x"}}));
  ASSERT_TRUE(store->write({Op::put("full", "")}).ok());
  EXPECT_TRUE(sameContents(store->scanAll(), {{"empty", ""}, {"full", ""}}));
}

TEST_P(StorageContract, KeysAndValuesAreBinarySafe) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  StorageMap expected;
  std::vector<Op> ops;
  // Every single-byte key, NUL and 0xFF included, each with a value of all 256 byte values.
  for (int b = 0; b < 256; ++b) {
    std::string key(1, static_cast<char>(b));
    std::string value = std::string(1, static_cast<char>(b)) + support::allBytes();
    expected[key] = value;
    ops.push_back(Op::put(key, value));
  }
  // Keys that differ only after a NUL, or by a trailing NUL, stay distinct.
  for (std::string key : {std::string("a\0b", 3), std::string("a\0c", 3), std::string("a\0", 2),
                          std::string("a"), std::string("\xff\xff", 2), support::allBytes()}) {
    expected[key] = "value of " + key + std::string("\0\xff", 2);
    ops.push_back(Op::put(key, expected[key]));
  }
  ASSERT_TRUE(store->write(ops).ok());
  EXPECT_TRUE(sameContents(store->scanAll(), expected));
  ASSERT_TRUE(store->write({Op::remove(std::string("a\0", 2))}).ok());
  expected.erase(std::string("a\0", 2));
  EXPECT_TRUE(sameContents(store->scanAll(), expected));
}

TEST_P(StorageContract, UnknownConfigKeyIsRefused) {
  std::string config = backend().config(dir());
  size_t brace = config.find('{');
  ASSERT_NE(brace, std::string::npos) << "config is not a JSON object: " << config;
  size_t next = config.find_first_not_of(" \t\r\n", brace + 1);
  bool empty_object = next != std::string::npos && config[next] == '}';
  config.insert(brace + 1,
                std::string("\"ferry_testkit_no_such_key\": 1") + (empty_object ? "" : ", "));
  CallResult error;
  auto store = StorageDriver::open(library(), config, &error);
  EXPECT_EQ(store, nullptr) << "create accepted an unknown key: " << config;
  EXPECT_NE(error.message.find("ferry_testkit_no_such_key"), std::string::npos)
      << "the message should name the unknown key, got: " << error.describe();
}

// With declared keys (ABI 1.2) a config that leaves out a required key or gives a key a value
// of another type is refused, naming the key, before the plugin is created (as Ferry does).
TEST_P(StorageContract, DeclaredConfigKeysAreEnforced) {
  if (!library().configKeys()) {
    GTEST_SKIP() << "the plugin does not declare its config keys (it checks its config itself)";
  }
  for (const auto& [config, expected] :
       common::configsThatDoNotFit(*library().configKeys(), backend().config(dir()))) {
    CallResult error;
    EXPECT_EQ(StorageDriver::open(library(), config, &error), nullptr) << "accepted " << config;
    EXPECT_NE(error.message.find(expected), std::string::npos)
        << config << ": the message should say " << expected << ", got: " << error.describe();
  }
}

TEST_P(StorageContract, MalformedConfigIsRefused) {
  for (std::string config : {"not json", "[1, 2]", "{\"path\": ", "\"a string\""}) {
    CallResult error;
    auto store = StorageDriver::open(library(), config, &error);
    EXPECT_EQ(store, nullptr) << "create accepted config " << config;
    EXPECT_FALSE(error.message.empty()) << "no message for config " << config;
  }
}

}  // namespace
}  // namespace ferry::testkit
