// The storage contract, part 3: large groups, many keys, and scans running while the single
// writer writes.
#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "contract_support.h"
#include "ferry/testkit/storage_contract.h"

namespace ferry::testkit {
namespace detail {
int storageContractScaleAnchor() { return 0; }
}  // namespace detail

namespace {

using support::sameContents;
using Op = StorageOp;

// About what 100k series of one group serialize to.
constexpr size_t kLargeValueBytes = 8 * 1024 * 1024;
constexpr int kManyKeys = 10000;

TEST_P(StorageContract, LargeValue) {
  const std::string big = support::patternValue(kLargeValueBytes, 42);
  {
    auto store = open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->write({Op::put("big", big), Op::put("small", "s")}).ok());
    EXPECT_TRUE(sameContents(store->scanAll(), {{"big", big}, {"small", "s"}}));
    std::string bigger = big + support::patternValue(1000, 43);
    ASSERT_TRUE(store->write({Op::put("big", bigger)}).ok());
    EXPECT_TRUE(sameContents(store->scanAll(), {{"big", bigger}, {"small", "s"}}));
    ASSERT_TRUE(store->write({Op::put("big", big)}).ok());
  }
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(sameContents(store->scanAll(), backend().durable
                                                 ? StorageMap{{"big", big}, {"small", "s"}}
                                                 : StorageMap{}));
}

TEST_P(StorageContract, ManyKeys) {
  StorageMap expected;
  {
    auto store = open();
    ASSERT_NE(store, nullptr);
    // Batches as the core's group commit makes them under load.
    constexpr int kBatch = 500;
    for (int start = 0; start < kManyKeys; start += kBatch) {
      std::vector<Op> ops;
      for (int i = start; i < start + kBatch; ++i) {
        std::string key =
            "job@base64/" + std::to_string(i) + "/instance/host-" + std::to_string(i % 97);
        expected[key] = support::patternValue(64 + i % 200, i);
        ops.push_back(Op::put(key, expected[key]));
      }
      CallResult result = store->write(ops);
      ASSERT_TRUE(result.ok()) << "batch at " << start << ": " << result.describe();
    }
    ASSERT_TRUE(sameContents(store->scanAll(), expected));
    std::vector<Op> removals;
    for (auto it = expected.begin(); it != expected.end();) {
      if (std::hash<std::string>()(it->first) % 3 == 0) {
        removals.push_back(Op::remove(it->first));
        it = expected.erase(it);
      } else {
        ++it;
      }
    }
    ASSERT_TRUE(store->write(removals).ok());
    EXPECT_TRUE(sameContents(store->scanAll(), expected));
  }
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(sameContents(store->scanAll(), backend().durable ? expected : StorageMap{}));
}

// Self-checking values for the concurrency test: a header (key hash, version, payload size)
// and a payload derived from all three, so a value torn between two writes, cut short, or
// stored under another key fails verification.
struct Versioned {
  uint64_t key_hash;
  uint64_t version;
  uint64_t size;
};

std::string makeVersioned(const std::string& key, uint64_t version, size_t size) {
  Versioned header{std::hash<std::string>()(key), version, size};
  std::string out(sizeof header, '\0');
  std::memcpy(out.data(), &header, sizeof header);
  return out + support::patternValue(size, header.key_hash ^ (version * 1000003));
}

// Empty if `value` is a complete value written for `key`; else what is wrong with it.
std::string checkVersioned(const std::string& key, std::string_view value, uint64_t* version) {
  Versioned header{};
  if (value.size() < sizeof header) return "value shorter than its header";
  std::memcpy(&header, value.data(), sizeof header);
  if (header.key_hash != std::hash<std::string>()(key)) return "value of another key";
  if (value.size() - sizeof header != header.size) {
    return "size " + std::to_string(value.size()) + " but the header says " +
           std::to_string(header.size + sizeof header);
  }
  if (value.substr(sizeof header) !=
      support::patternValue(header.size, header.key_hash ^ (header.version * 1000003))) {
    return "torn payload (version " + std::to_string(header.version) + ")";
  }
  *version = header.version;
  return {};
}

TEST_P(StorageContract, ConcurrentScansSeeOnlyCompleteValues) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  constexpr int kKeys = 16;
  constexpr uint64_t kVersions = 120;
  constexpr int kReaders = 2;
  constexpr int kMaxScansPerReader = 3000;
  auto keyName = [](int k) { return "group-" + std::to_string(k); };
  auto sizeOf = [](int k, uint64_t v) {
    return static_cast<size_t>(1 + (v * 7919 + k * 104729) % 20000);
  };

  std::atomic<uint64_t> started{0};  // the highest version whose write has begun
  std::atomic<bool> done{false};
  std::mutex mu;
  std::vector<std::string> problems;
  std::atomic<long> scans{0};
  auto report = [&](const std::string& problem) {
    std::lock_guard<std::mutex> lock(mu);
    if (problems.size() < 20) problems.push_back(problem);
  };

  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      std::map<std::string, uint64_t> last_seen;
      for (int i = 0; i < kMaxScansPerReader && !done.load(); ++i) {
        std::map<std::string, uint64_t> seen;
        CallResult result = store->scan([&](std::string_view key, std::string_view value) {
          std::string k(key);
          uint64_t version = 0;
          std::string problem = checkVersioned(k, value, &version);
          if (!problem.empty()) {
            report("reader " + std::to_string(r) + ", key " + printable(k) + ": " + problem);
          } else if (!seen.emplace(k, version).second) {
            report("reader " + std::to_string(r) + ": key " + printable(k) + " twice in one scan");
          }
          return true;
        });
        scans.fetch_add(1);
        // A short pause: a reader-preferring lock would otherwise starve the writer for the
        // whole bounded run.
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        if (!result.ok()) report("scan failed during writes: " + result.describe());
        uint64_t after = started.load();
        for (const auto& [k, v] : seen) {
          if (v > after)
            report("key " + k + " has version " + std::to_string(v) + " never written");
          auto prev = last_seen.find(k);
          if (prev != last_seen.end() && v < prev->second) {
            report("key " + k + " went back from version " + std::to_string(prev->second) + " to " +
                   std::to_string(v) + " between two scans");
          }
          last_seen[k] = v;
        }
      }
    });
  }

  for (uint64_t v = 1; v <= kVersions; ++v) {
    std::vector<Op> ops;
    for (int k = 0; k < kKeys; ++k) {
      // Every 10th version drops one key for a while, so removals race with scans too.
      if (v % 10 == 0 && k == static_cast<int>(v / 10) % kKeys) {
        ops.push_back(Op::remove(keyName(k)));
      } else {
        ops.push_back(Op::put(keyName(k), makeVersioned(keyName(k), v, sizeOf(k, v))));
      }
    }
    started.store(v);
    CallResult result = store->write(ops);
    if (!result.ok()) {
      report("write of version " + std::to_string(v) + " failed: " + result.describe());
      break;
    }
  }
  done.store(true);
  for (auto& t : readers) t.join();

  for (const auto& p : problems) ADD_FAILURE() << p;
  StorageMap expected;
  for (int k = 0; k < kKeys; ++k) {
    expected[keyName(k)] = makeVersioned(keyName(k), kVersions, sizeOf(k, kVersions));
  }
  expected.erase(keyName(static_cast<int>(kVersions / 10) % kKeys));
  EXPECT_TRUE(sameContents(store->scanAll(), expected));
  RecordProperty("concurrent_scans", static_cast<int>(scans.load()));
}

}  // namespace
}  // namespace ferry::testkit
