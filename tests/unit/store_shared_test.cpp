// The parts of the store a shared store (several replicas) adds that need no plugin: the
// replica's status behind /-/ready and the ferry_storage_* metrics, and a plan built from
// another replica's commit keeping the figures the limits count.
#include <gtest/gtest.h>

#include "core/store/shared_status.h"
#include "core/store/write_plan.h"
#include "store_test_support.h"

namespace ferry::core::store {
namespace {

using test_support::kSecond;

TEST(SharedStoreStatus, NotReadyUntilTheFirstSnapshotAndLagCountsFromTheLastCurrentState) {
  SharedStoreStatus status;
  EXPECT_FALSE(status.ready());
  EXPECT_TRUE(status.up());
  EXPECT_EQ(status.feedLagSeconds(10 * kSecond), 0.0);
  status.setReady(true);
  status.reached(10 * kSecond, 0);
  EXPECT_EQ(status.feedLagSeconds(12 * kSecond), 0.0);
  // Catching up: the age of the newest applied commit.
  status.reached(13 * kSecond, kSecond / 2);
  EXPECT_DOUBLE_EQ(status.feedLagSeconds(13 * kSecond), 0.5);
  // Down: the time since the follower last was current (at 10 s), growing.
  status.unreachable(14 * kSecond, "redis 127.0.0.1:1: Connection refused");
  EXPECT_FALSE(status.up());
  EXPECT_DOUBLE_EQ(status.feedLagSeconds(15 * kSecond), 5.0);
  EXPECT_DOUBLE_EQ(status.feedLagSeconds(20 * kSecond), 10.0);
  // A second failure keeps the first one's time; the message is the last one.
  status.unreachable(16 * kSecond, "redis 127.0.0.1:1: timeout");
  EXPECT_DOUBLE_EQ(status.feedLagSeconds(20 * kSecond), 10.0);
  EXPECT_EQ(status.lastError(), "redis 127.0.0.1:1: timeout");
  status.reached(21 * kSecond, 0);
  EXPECT_TRUE(status.up());
  EXPECT_EQ(status.feedLagSeconds(30 * kSecond), 0.0);
}

std::unique_ptr<Group> group(const std::string& job, const std::string& instance, int series) {
  auto g = std::make_unique<Group>();
  g->labels = {{"job", job}, {"instance", instance}};
  g->key = model::groupingKeyString(g->labels);
  std::string text;
  for (int i = 0; i < series; ++i) text += "m{s=\"" + std::to_string(i) + "\"} 1\n";
  for (const auto& family : test_support::parse(text)) {
    auto stored = makeStoredFamily(family, 0);
    g->families[stored->name()] = stored;
  }
  g->families[kPushTimeName] = makeTimestampFamily(kPushTimeName, g->labels, 0, 0);
  g->families[kPushFailureTimeName] = makeTimestampFamily(kPushFailureTimeName, g->labels, 0, 0);
  return g;
}

// A commit read from the feed changes groups wholesale; the plan's group, series and per-job
// figures must follow, or the limits would count a state no replica holds.
TEST(WritePlanPut, GroupsFromAnotherReplicaKeepTheCountedFigures) {
  GroupMap live;
  auto old = group("a", "1", 3);
  live.emplace(old->key, std::move(old));
  FamilyIndex index;
  WritePlan plan(live, index);
  plan.put(group("a", "1", 5));  // replaces a live group
  plan.put(group("b", "1", 2));  // a new one
  plan.put(group("b", "1", 4));  // replaced again within the commit
  EXPECT_EQ(plan.groupDelta(), 1);
  EXPECT_EQ(plan.seriesDelta(), 2 + 4);
  EXPECT_EQ(plan.jobDeltas().at("a"), 0);
  EXPECT_EQ(plan.jobDeltas().at("b"), 1);
  plan.remove(model::groupingKeyString({{"job", "a"}, {"instance", "1"}}));
  EXPECT_EQ(plan.groupDelta(), 0);
  EXPECT_EQ(plan.seriesDelta(), 4 - 3);
  EXPECT_EQ(plan.jobDeltas().at("a"), -1);

  // A snapshot: a wipe, then every group.
  WritePlan snapshot(live, index);
  snapshot.wipe();
  snapshot.put(group("c", "1", 7));
  snapshot.put(group("c", "2", 1));
  EXPECT_TRUE(snapshot.wiped());
  EXPECT_EQ(snapshot.groupDelta(), 2);
  EXPECT_EQ(snapshot.seriesDelta(), 8);
  EXPECT_EQ(snapshot.jobDeltas().at("c"), 2);
}

}  // namespace
}  // namespace ferry::core::store
