// Expiry in bounded batches: each batch takes at most Store::ExpiryBatch groups and series (at
// least one group), GroupExpirer::expireDue writes batch after batch until nothing is due, and
// a push that queued while one batch was applied is applied before the next batch.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/store/group_expirer.h"
#include "core/store/store.h"
#include "store_test_support.h"

namespace ferry::core::store {
namespace {

using test_support::kSecond;
using test_support::parse;

class StoreExpiryBatchTest : public ::testing::Test {
 protected:
  // `count` groups {job="expiring",instance="iN"} of `series` series each, due in 10 s.
  void pushExpiring(int count, int series = 1) {
    std::string text;
    for (int s = 0; s < series; ++s) text += "m{s=\"" + std::to_string(s) + "\"} 1\n";
    for (int i = 0; i < count; ++i) {
      ASSERT_TRUE(store_
                      .push({{"job", "expiring"}, {"instance", "i" + std::to_string(i)}},
                            parse(text), true, 10 * kSecond)
                      .ok());
    }
  }
  bool has(const model::LabelMap& labels) {
    return store_.read([&](const StoreView& view) {
      return view.groups.count(model::groupingKeyString(labels)) > 0;
    });
  }

  Store store_{nullptr, {}};
  const int64_t later_ = nowNanos() + 60 * kSecond;  // every deadline of these tests passed
};

TEST_F(StoreExpiryBatchTest, ABatchTakesAtMostItsGroups) {
  store_.setExpiryBatch({2, 1000});
  pushExpiring(5);
  EXPECT_EQ(store_.expire(later_), 2u);
  EXPECT_EQ(store_.groupCount(), 3u);
  EXPECT_EQ(store_.expire(later_), 2u);
  EXPECT_EQ(store_.expire(later_), 1u);
  EXPECT_EQ(store_.expire(later_), 0u);
  EXPECT_EQ(store_.groupCount(), 0u);
  EXPECT_EQ(store_.expiredTotal(), 5u);
}

TEST_F(StoreExpiryBatchTest, ABatchTakesAtMostItsSeriesButAlwaysOneGroup) {
  // Each group holds 3 pushed series and its 2 timestamp gauges: 5 series.
  store_.setExpiryBatch({100, 12});
  pushExpiring(5, 3);
  EXPECT_EQ(store_.expire(later_), 2u);  // a third group would make 15 series
  store_.setExpiryBatch({100, 4});
  EXPECT_EQ(store_.expire(later_), 1u);  // larger than the bound alone: taken alone
  EXPECT_EQ(store_.groupCount(), 2u);
}

TEST_F(StoreExpiryBatchTest, ExpireDueWritesBatchAfterBatchUntilNothingIsDue) {
  store_.setExpiryBatch({2, 1000});
  pushExpiring(5);
  ASSERT_TRUE(store_.push({{"job", "kept"}}, parse("k 1\n"), true, 3600 * kSecond).ok());
  int batches = 0;
  store_.onExpiryBatch([&] { ++batches; });
  auto generation = store_.generation();
  GroupExpirer::expireDue(store_, later_);
  EXPECT_EQ(batches, 3);
  EXPECT_EQ(store_.generation(), generation + 3);  // one write per batch
  EXPECT_EQ(store_.groupCount(), 1u);
  EXPECT_TRUE(has({{"job", "kept"}}));
  EXPECT_EQ(store_.expiredTotal(), 5u);
}

// The push is submitted while the first batch is being applied, so it waits in the writer's
// queue; the expirer's next batch queues behind it, and the push is applied (and answered) in
// its own write before that batch is planned, not with it.
TEST_F(StoreExpiryBatchTest, APushQueuedDuringABatchIsAppliedBeforeTheNext) {
  store_.setExpiryBatch({2, 1000});
  pushExpiring(6);
  const model::LabelMap late{{"job", "late"}};
  std::thread pusher;
  std::atomic<bool> pushed{false};
  int batches = 0;
  bool queued_during_first = false;
  bool applied_before_second = false;
  bool answered_before_second = false;
  store_.onExpiryBatch([&] {
    ++batches;
    if (batches == 1) {
      pusher = std::thread([&] {
        EXPECT_TRUE(store_.push(late, parse("late 1\n"), true).ok());
        pushed = true;
      });
      // The writer is busy with this batch: the push can only queue (bounded wait).
      for (int i = 0; i < 100000 && store_.queuedWrites() == 0; ++i) std::this_thread::yield();
      queued_during_first = store_.queuedWrites() == 1 && !pushed;
    } else if (batches == 2) {
      applied_before_second = has(late);
      // Answered too (its thread may still be on its way out of push()).
      for (int i = 0; i < 100000 && !pushed; ++i) std::this_thread::yield();
      answered_before_second = pushed;
    }
  });
  GroupExpirer::expireDue(store_, later_);
  pusher.join();
  EXPECT_TRUE(queued_during_first);
  EXPECT_TRUE(applied_before_second);
  EXPECT_TRUE(answered_before_second);
  EXPECT_EQ(batches, 3);
  EXPECT_EQ(store_.groupCount(), 1u);  // only the late push is left
  EXPECT_TRUE(has(late));
}

}  // namespace
}  // namespace ferry::core::store
