// Group lifecycle in the store: TTLs from the policy and the pusher, deadlines refreshed by
// successful pushes only, expiry in "delete" and "hide" mode, and the deadline kept in the
// stored form.
#include <gtest/gtest.h>

#include "core/store/exposition.h"
#include "core/store/group_codec.h"
#include "core/store/store.h"
#include "store_test_support.h"

namespace ferry::core::store {
namespace {

using test_support::kSecond;
using test_support::parse;

class StoreLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model::LifecyclePolicy policy;
    policy.job_ttls.push_back({"ci-*", 60 * kSecond});
    policy.max_ttl = 3600 * kSecond;
    store_.setLifecycle(policy);
  }
  WriteResult push(const std::string& job, const std::string& text,
                   std::optional<int64_t> ttl = std::nullopt, bool replace_all = true) {
    return store_.push({{"job", job}}, parse(text), replace_all, ttl);
  }
  // A copy of the group's lifecycle state, or nullopt when it is gone.
  std::optional<Group> state(const std::string& job) {
    return store_.read([&](const StoreView& view) -> std::optional<Group> {
      auto it = view.groups.find(model::groupingKeyString({{"job", job}}));
      if (it == view.groups.end()) return std::nullopt;
      Group copy;
      copy.ttl_nanos = it->second->ttl_nanos;
      copy.deadline_nanos = it->second->deadline_nanos;
      copy.expired = it->second->expired;
      copy.families = it->second->families;
      return copy;
    });
  }
  std::string scrape() { return exposition_.render(expo::Format::kText, {}).join(); }

  Store store_{nullptr, {}};
  Exposition exposition_{store_};
};

TEST_F(StoreLifecycleTest, TtlFromHeaderJobRuleOrNeverCapped) {
  auto before = nowNanos();
  auto result = push("a", "m 1\n", 90 * kSecond);
  ASSERT_TRUE(result.ok());
  auto a = state("a");
  EXPECT_EQ(a->ttl_nanos, 90 * kSecond);
  EXPECT_EQ(result.deadline_nanos, a->deadline_nanos);
  EXPECT_GE(a->deadline_nanos, before + 90 * kSecond);
  ASSERT_TRUE(push("ci-x", "n 1\n").ok());
  EXPECT_EQ(state("ci-x")->ttl_nanos, 60 * kSecond);
  ASSERT_TRUE(push("other", "o 1\n").ok());
  EXPECT_EQ(state("other")->ttl_nanos, 3600 * kSecond);  // "never", capped by max
  ASSERT_TRUE(push("a", "m 1\n", 100 * 3600 * kSecond).ok());
  EXPECT_EQ(state("a")->ttl_nanos, 3600 * kSecond);
}

TEST_F(StoreLifecycleTest, FailedPushDoesNotRefreshTheDeadline) {
  ASSERT_TRUE(push("a", "# TYPE m counter\nm 1\n", 90 * kSecond).ok());
  auto deadline = state("a")->deadline_nanos;
  ASSERT_FALSE(push("a", "m 1 1234\n", 30 * kSecond, false).ok());  // timestamps: refused
  EXPECT_EQ(state("a")->deadline_nanos, deadline);
  EXPECT_EQ(state("a")->ttl_nanos, 90 * kSecond);
}

TEST_F(StoreLifecycleTest, ExpiryRemovesOnlyDueGroups) {
  ASSERT_TRUE(push("soon", "s 1\n", 10 * kSecond).ok());
  ASSERT_TRUE(push("late", "l 1\n", 1000 * kSecond).ok());
  const int64_t now = nowNanos();
  EXPECT_EQ(store_.expire(now), 0u);
  EXPECT_EQ(store_.nextDeadline(), state("soon")->deadline_nanos);
  EXPECT_EQ(store_.expire(now + 20 * kSecond), 1u);
  EXPECT_FALSE(state("soon"));
  EXPECT_TRUE(state("late"));
  EXPECT_EQ(store_.expiredTotal(), 1u);
  EXPECT_EQ(scrape().find("job=\"soon\""), std::string::npos);
}

TEST_F(StoreLifecycleTest, HiddenGroupIsServedNowhereAndRevivedByAPush) {
  model::LifecyclePolicy policy;
  policy.hide_expired = true;
  store_.setLifecycle(policy);
  ASSERT_TRUE(push("h", "# TYPE m gauge\nm 1\nk 2\n", 10 * kSecond).ok());
  EXPECT_EQ(store_.expire(nowNanos() + 20 * kSecond), 1u);
  auto hidden = state("h");
  ASSERT_TRUE(hidden);
  EXPECT_TRUE(hidden->expired);
  EXPECT_EQ(scrape().find("job=\"h\""), std::string::npos);
  EXPECT_EQ(store_.nextDeadline(), std::numeric_limits<int64_t>::max());  // not expired twice
  EXPECT_EQ(store_.expire(nowNanos() + 40 * kSecond), 0u);
  // Its metrics no longer hold their type against other groups.
  ASSERT_TRUE(store_.push({{"job", "other"}}, parse("# TYPE m counter\nm 3\n"), true).ok());
  ASSERT_TRUE(store_.remove({{"job", "other"}}).ok());
  // A POST revives it with what it sends, not with what it held.
  ASSERT_TRUE(push("h", "n 1\n", std::nullopt, false).ok());
  auto revived = state("h");
  EXPECT_FALSE(revived->expired);
  EXPECT_EQ(revived->families.count("m"), 0u);
  EXPECT_EQ(revived->families.count("n"), 1u);
  EXPECT_NE(scrape().find("n{instance=\"\",job=\"h\"} 1"), std::string::npos) << scrape();
}

TEST_F(StoreLifecycleTest, DeadlineSurvivesTheStoredForm) {
  ASSERT_TRUE(push("a", "m 1\n", 90 * kSecond).ok());
  std::string key = model::groupingKeyString({{"job", "a"}});
  std::string bytes =
      store_.read([&](const StoreView& view) { return encodeGroup(*view.groups.at(key)); });
  auto decoded = decodeGroup(key, bytes);
  EXPECT_EQ(decoded->ttl_nanos, 90 * kSecond);
  EXPECT_EQ(decoded->deadline_nanos, state("a")->deadline_nanos);
  EXPECT_FALSE(decoded->expired);
}

}  // namespace
}  // namespace ferry::core::store
