// Atomic with storage: a write the storage plugin refuses changes nothing in memory. Runs the
// Store on the `faulty` test storage plugin (tests/plugins/faulty), which refuses write() and
// wipe() while a flag file exists.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "core/plugin_host/plugin_registry.h"
#include "core/store/exposition.h"
#include "core/store/store.h"
#include "store_test_support.h"

namespace ferry::core::store {
namespace {

using test_support::parse;

class StoreStorageFailureTest : public ::testing::Test {
 protected:
  StoreStorageFailureTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("ferry-store-failure-" + std::to_string(getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())),
        registry_(FERRY_TEST_FAULTY_PLUGIN_DIR) {
    std::filesystem::create_directories(dir_);
    flag_ = (dir_ / "fail").string();
    storage_ = std::make_unique<plugin_host::StoragePluginInstance>(
        registry_.require(FERRY_KIND_STORAGE, "faulty"), "{\"fail_flag\": \"" + flag_ + "\"}");
    store_ = std::make_unique<Store>(storage_.get(), OwnFamilyTypes{});
    exposition_ = std::make_unique<Exposition>(*store_);
  }
  ~StoreStorageFailureTest() override { std::filesystem::remove_all(dir_); }

  void failStorage(bool fail) {
    if (fail) {
      std::ofstream(flag_) << "1";
    } else {
      std::filesystem::remove(flag_);
    }
  }
  WriteResult put(const model::LabelMap& labels, const std::string& text) {
    return store_->push(labels, parse(text), true);
  }
  WriteResult post(const model::LabelMap& labels, const std::string& text) {
    return store_->push(labels, parse(text), false);
  }

  // Everything a reader can see of the store.
  struct Snapshot {
    std::string text, protobuf, api;
    uint64_t generation;
    size_t groups, series;
    bool operator==(const Snapshot& o) const {
      return text == o.text && protobuf == o.protobuf && api == o.api &&
             generation == o.generation && groups == o.groups && series == o.series;
    }
  };
  Snapshot snapshot() {
    return {exposition_->render(expo::Format::kText, {}).join(),
            exposition_->render(expo::Format::kProtoDelimited, {}).join(),
            exposition_->renderApiMetrics(),
            store_->generation(),
            store_->groupCount(),
            store_->seriesCount()};
  }
  // What the storage plugin holds, read back by a fresh store.
  std::string reloadedScrape() {
    Store reloaded(storage_.get(), OwnFamilyTypes{});
    reloaded.load();
    return Exposition(reloaded).render(expo::Format::kText, {}).join();
  }

  std::filesystem::path dir_;
  std::string flag_;
  plugin_host::PluginRegistry registry_;
  std::unique_ptr<plugin_host::StoragePluginInstance> storage_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Exposition> exposition_;
};

const model::LabelMap kA = {{"job", "a"}, {"instance", "1"}};
const model::LabelMap kB = {{"job", "b"}};

TEST_F(StoreStorageFailureTest, FailedWritesLeaveEverythingAsItWas) {
  ASSERT_TRUE(put(kA, "# TYPE m_a counter\nm_a{x=\"1\"} 1\nm_keep 5\n").ok());
  ASSERT_TRUE(put(kB, "# TYPE m_b gauge\nm_b 2\n").ok());
  const Snapshot before = snapshot();
  const std::string stored = reloadedScrape();
  failStorage(true);

  auto expect_failed = [&](const WriteResult& result, const char* what) {
    EXPECT_EQ(result.code, WriteResult::Code::kStorageFailed) << what;
    EXPECT_NE(result.message.find("storage write failed: write refused: injected failure"),
              std::string::npos)
        << what << ": " << result.message;
    EXPECT_TRUE(snapshot() == before) << what;
  };
  expect_failed(put(kA, "m_a{x=\"2\"} 9\n"), "PUT of an existing group");
  expect_failed(post(kA, "m_keep 6\nm_new 1\n"), "POST of an existing group");
  expect_failed(put({{"job", "new"}}, "m_c 3\n"), "PUT of a new group");
  expect_failed(store_->remove(kB), "DELETE");
  // A rejected push would record push_failure_time_seconds: that is a write too.
  expect_failed(post(kA, "# TYPE m_b counter\nm_b 1\n"), "rejected push");
  // A selector delete is one storage call: refused whole, nothing deleted anywhere.
  auto matched = store_->removeMatching(
      {model::parseSelector(R"({job=~"a|b"})")}, [](std::string_view) { return true; }, false);
  EXPECT_EQ(matched.result.code, WriteResult::Code::kStorageFailed);
  EXPECT_TRUE(matched.groups.empty());
  EXPECT_TRUE(snapshot() == before) << "selector delete";
  auto wiped = store_->wipe();
  EXPECT_EQ(wiped.code, WriteResult::Code::kStorageFailed);
  EXPECT_NE(wiped.message.find("wipe refused: injected failure"), std::string::npos)
      << wiped.message;
  EXPECT_TRUE(snapshot() == before) << "wipe";
  EXPECT_EQ(reloadedScrape(), stored);

  // The same writes go through once storage works again.
  failStorage(false);
  ASSERT_TRUE(post(kA, "m_keep 6\n").ok());
  EXPECT_NE(exposition_->render(expo::Format::kText, {})
                .join()
                .find("m_keep{instance=\"1\",job=\"a\"} 6\n"),
            std::string::npos);
  EXPECT_GT(store_->generation(), before.generation);
  EXPECT_EQ(reloadedScrape(), exposition_->render(expo::Format::kText, {}).join());
  matched = store_->removeMatching(
      {model::parseSelector(R"({job="b"})")}, [](std::string_view) { return true; }, false);
  ASSERT_TRUE(matched.result.ok());
  EXPECT_EQ(matched.groups.size(), 1u);
  EXPECT_EQ(store_->groupCount(), 1u);
  EXPECT_EQ(reloadedScrape(), exposition_->render(expo::Format::kText, {}).join());
  ASSERT_TRUE(store_->wipe().ok());
  EXPECT_EQ(store_->groupCount(), 0u);
  EXPECT_EQ(reloadedScrape(), "");
}

// The consistency index must not remember a change that was never stored: a push that would
// conflict only with the refused data succeeds afterwards.
TEST_F(StoreStorageFailureTest, RefusedDataDoesNotReachTheConsistencyIndex) {
  failStorage(true);
  EXPECT_EQ(put({{"job", "ghost"}}, "# TYPE clash counter\nclash 1\ndup{a=\"1\"} 1\n").code,
            WriteResult::Code::kStorageFailed);
  failStorage(false);
  EXPECT_TRUE(put({{"job", "real"}}, "# TYPE clash gauge\nclash 1\n").ok());
  EXPECT_TRUE(put({{"job", "real2"}}, "dup{a=\"1\"} 1\n").ok());
  // {job="x",instance=""} collides with {job="x"} only if {job="x"} exists.
  failStorage(true);
  EXPECT_EQ(put({{"job", "x"}}, "m 1\n").code, WriteResult::Code::kStorageFailed);
  failStorage(false);
  EXPECT_TRUE(put({{"job", "x"}, {"instance", ""}}, "m 1\n").ok());
}

// Many writers at once form batches of several requests; each request is checked against what
// the requests before it in its batch leave. Whichever type of `shared` wins, no two stored
// groups disagree, and storage holds exactly what memory holds.
TEST_F(StoreStorageFailureTest, BatchedConflictingPushesStayConsistent) {
  constexpr int kThreads = 4, kPushes = 150;
  std::atomic<int> counters{0}, gauges{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPushes; ++i) {
        bool counter = (t + i) % 2 == 0;
        model::LabelMap labels = {{"job", "batch"}, {"instance", std::to_string(t * 1000 + i)}};
        std::string body = std::string("# TYPE shared ") + (counter ? "counter" : "gauge") +
                           "\nshared 1\nper_group{t=\"" + std::to_string(t) + "\"} 1\n";
        auto result = store_->push(labels, parse(body), true);
        if (result.ok()) {
          ++(counter ? counters : gauges);
        } else {
          EXPECT_TRUE(store_->remove(labels).ok());  // deletes mixed into the batches
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(counters == 0 || gauges == 0) << counters << " counters, " << gauges << " gauges";
  EXPECT_GT(counters + gauges, 0);
  std::string text = exposition_->render(expo::Format::kText, {}).join();
  EXPECT_EQ(text.find("# TYPE shared"), text.rfind("# TYPE shared")) << text;
  EXPECT_EQ(reloadedScrape(), text);
}

}  // namespace
}  // namespace ferry::core::store
