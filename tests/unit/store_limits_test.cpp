// "limits" in the store: each limit refuses the push that would break it with its status,
// name, value and the figure the push would reach; a refused push leaves the store exactly as
// it was; per-job overrides; deletes make room again.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/store/exposition.h"
#include "core/store/store.h"
#include "store_test_support.h"

namespace ferry::core::store {
namespace {

using model::Limit;

using test_support::parse;

// "m0 1\nm1 1\n..." : n series in n families.
std::string series(int n, const std::string& prefix = "m") {
  std::string text;
  for (int i = 0; i < n; ++i) text += prefix + std::to_string(i) + " 1\n";
  return text;
}

class StoreLimitsTest : public ::testing::Test {
 protected:
  void limit(Limit limit, uint64_t value) {
    policy_.limits[static_cast<size_t>(limit)] = value;
    store_.setLifecycle(policy_);
  }
  WriteResult push(const model::LabelMap& labels, const std::string& text, bool put = true) {
    return store_.push(labels, parse(text), put);
  }
  std::string scrape() { return exposition_.render(expo::Format::kText, {}).join(); }
  void expectRefused(const WriteResult& result, Limit limit, const std::string& message) {
    EXPECT_EQ(result.code, WriteResult::Code::kOverLimit);
    ASSERT_TRUE(result.limit);
    EXPECT_EQ(*result.limit, limit);
    EXPECT_STREQ(result.reason, model::limitName(limit));
    EXPECT_EQ(result.message, message);
  }

  model::LifecyclePolicy policy_;
  Store store_{nullptr, {}};
  Exposition exposition_{store_};
};

TEST_F(StoreLimitsTest, NoLimitsByDefault) {
  EXPECT_FALSE(policy_.hasLimits());
  ASSERT_TRUE(push({{"job", "a"}}, series(500)).ok());
}

TEST_F(StoreLimitsTest, SeriesPerPush) {
  limit(Limit::kMaxSeriesPerPush, 3);
  ASSERT_TRUE(push({{"job", "a"}}, series(3)).ok());
  std::string before = scrape();
  expectRefused(push({{"job", "a"}}, series(4, "n")), Limit::kMaxSeriesPerPush,
                "limit max_series_per_push is 3: the push has 4 series");
  EXPECT_EQ(scrape(), before);
  // Not even the failure time of the group changed, and no group was created.
  expectRefused(push({{"job", "b"}}, series(4)), Limit::kMaxSeriesPerPush,
                "limit max_series_per_push is 3: the push has 4 series");
  EXPECT_EQ(scrape(), before);
  EXPECT_EQ(model::limitStatus(Limit::kMaxSeriesPerPush), 413);
}

TEST_F(StoreLimitsTest, LabelsOfASeries) {
  limit(Limit::kMaxLabelsPerSeries, 4);
  limit(Limit::kMaxLabelNameLength, 8);
  limit(Limit::kMaxLabelValueLength, 5);
  // job and instance (instance="" when the key has none) count: they are stored with it.
  ASSERT_TRUE(push({{"job", "a"}}, "m{x=\"1\",y=\"2\"} 1\n").ok());
  expectRefused(push({{"job", "a"}}, "m{x=\"1\",y=\"2\",z=\"3\"} 1\n"), Limit::kMaxLabelsPerSeries,
                "limit max_labels_per_series is 4: a series of m has 5 labels");
  expectRefused(push({{"job", "a"}}, "m{longname1=\"1\"} 1\n"), Limit::kMaxLabelNameLength,
                "limit max_label_name_length is 8: label name \"longname1\" is 9 bytes long");
  expectRefused(push({{"job", "a"}}, "m{x=\"123456\"} 1\n"), Limit::kMaxLabelValueLength,
                "limit max_label_value_length is 5: the value of label \"x\" is 6 bytes long");
  expectRefused(push({{"job", "toolong"}}, "m 1\n"), Limit::kMaxLabelValueLength,
                "limit max_label_value_length is 5: the value of label \"job\" is 7 bytes long");
}

TEST_F(StoreLimitsTest, SeriesPerGroupCountsWhatThePushLeaves) {
  limit(Limit::kMaxSeriesPerGroup, 4);
  ASSERT_TRUE(push({{"job", "a"}}, series(3)).ok());
  // POST adds to what stays: 3 + 2 = 5.
  std::string before = scrape();
  expectRefused(push({{"job", "a"}}, series(2, "n"), false), Limit::kMaxSeriesPerGroup,
                "limit max_series_per_group is 4: the group would hold 5 series");
  EXPECT_EQ(scrape(), before);
  // POST replacing families of the same name: still 3.
  ASSERT_TRUE(push({{"job", "a"}}, series(3), false).ok());
  ASSERT_TRUE(push({{"job", "a"}}, series(1, "n"), false).ok());
  // PUT replaces everything: 4 is fine.
  ASSERT_TRUE(push({{"job", "a"}}, series(4, "p")).ok());
}

TEST_F(StoreLimitsTest, GroupsAndGroupsPerJob) {
  limit(Limit::kMaxGroups, 3);
  limit(Limit::kMaxGroupsPerJob, 2);
  ASSERT_TRUE(push({{"job", "a"}, {"instance", "1"}}, "m 1\n").ok());
  ASSERT_TRUE(push({{"job", "a"}, {"instance", "2"}}, "m 1\n").ok());
  std::string before = scrape();
  auto refused = push({{"job", "a"}, {"instance", "3"}}, "m 1\n");
  expectRefused(refused, Limit::kMaxGroupsPerJob,
                "limit max_groups_per_job is 2: job \"a\" would have 3 groups");
  EXPECT_EQ(scrape(), before);
  EXPECT_EQ(model::limitStatus(Limit::kMaxGroupsPerJob), 507);
  // Existing groups may still be pushed to.
  ASSERT_TRUE(push({{"job", "a"}, {"instance", "2"}}, "m 2\n").ok());
  ASSERT_TRUE(push({{"job", "b"}}, "m 1\n").ok());
  expectRefused(push({{"job", "c"}}, "m 1\n"), Limit::kMaxGroups,
                "limit max_groups is 3: the store would hold 4 groups");
  EXPECT_EQ(store_.groupCount(), 3u);
  // A failed push to a new group records its failure in a new group, unless there is no room.
  ASSERT_EQ(push({{"job", "c"}}, "m 1 123\n").code, WriteResult::Code::kInvalid);
  EXPECT_EQ(store_.groupCount(), 3u);
  // A delete makes room.
  ASSERT_TRUE(store_.remove({{"job", "a"}, {"instance", "1"}}).ok());
  ASSERT_TRUE(push({{"job", "a"}, {"instance", "3"}}, "m 1\n").ok());
  ASSERT_TRUE(store_.wipe().ok());
  ASSERT_TRUE(push({{"job", "a"}, {"instance", "4"}}, "m 1\n").ok());
  ASSERT_TRUE(push({{"job", "a"}, {"instance", "5"}}, "m 1\n").ok());
}

TEST_F(StoreLimitsTest, SeriesOfTheWholeStore) {
  limit(Limit::kMaxSeries, 5);
  ASSERT_TRUE(push({{"job", "a"}}, series(3)).ok());
  ASSERT_TRUE(push({{"job", "b"}}, series(2)).ok());
  std::string before = scrape();
  expectRefused(push({{"job", "c"}}, series(1)), Limit::kMaxSeries,
                "limit max_series is 5: the store would hold 6 series");
  expectRefused(push({{"job", "a"}}, series(4)), Limit::kMaxSeries,
                "limit max_series is 5: the store would hold 6 series");
  EXPECT_EQ(scrape(), before);
  // Shrinking a group makes room for another.
  ASSERT_TRUE(push({{"job", "a"}}, series(1)).ok());
  ASSERT_TRUE(push({{"job", "c"}}, series(2)).ok());
  ASSERT_TRUE(store_.remove({{"job", "c"}}).ok());
  ASSERT_TRUE(push({{"job", "d"}}, series(2)).ok());
}

TEST_F(StoreLimitsTest, PerJobOverrides) {
  limit(Limit::kMaxSeriesPerPush, 2);
  model::LifecyclePolicy::JobLimits big;
  big.match = "big-*";
  big.values[static_cast<size_t>(Limit::kMaxSeriesPerPush)] = 10;
  policy_.job_limits.push_back(big);
  store_.setLifecycle(policy_);
  ASSERT_TRUE(push({{"job", "big-1"}}, series(10)).ok());
  expectRefused(push({{"job", "small"}}, series(3)), Limit::kMaxSeriesPerPush,
                "limit max_series_per_push is 2: the push has 3 series");
}

TEST_F(StoreLimitsTest, StorePushesInOneBatchAddUp) {
  limit(Limit::kMaxGroups, 5);
  std::vector<std::thread> pushers;
  std::atomic<int> stored{0}, refused{0};
  for (int i = 0; i < 20; ++i) {
    pushers.emplace_back([&, i] {
      auto result = push({{"job", "j" + std::to_string(i)}}, "m 1\n");
      (result.ok() ? stored : refused)++;
    });
  }
  for (auto& t : pushers) t.join();
  EXPECT_EQ(stored.load(), 5);
  EXPECT_EQ(refused.load(), 15);
  EXPECT_EQ(store_.groupCount(), 5u);
}

}  // namespace
}  // namespace ferry::core::store
