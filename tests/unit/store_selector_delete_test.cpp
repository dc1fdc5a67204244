// Selector delete in the store: every matched group removed in one write, dry runs that change
// nothing, the caller's rights checked on every matched job before anything is removed, and
// pushes earlier in the same write batch matched as well.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "core/store/store.h"
#include "store_test_support.h"

namespace ferry::core::store {
namespace {

using test_support::parse;

std::vector<model::Selector> selectors(std::initializer_list<const char*> texts) {
  std::vector<model::Selector> out;
  for (const char* text : texts) out.push_back(model::parseSelector(text));
  return out;
}

const JobPermission kAnyJob = [](std::string_view) { return true; };

class StoreSelectorDeleteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& [job, instance] :
         {std::pair{"ci-build", "a"}, {"ci-build", "b"}, {"ci-test", "a"}, {"prod-db", "a"}}) {
      ASSERT_TRUE(store_.push({{"job", job}, {"instance", instance}}, parse("m 1\n"), true).ok());
    }
  }
  std::vector<std::string> jobsAndInstances() {
    return store_.read([](const StoreView& view) {
      std::vector<std::string> out;
      for (const auto& [key, group] : view.groups) {
        out.push_back(group->labels.at("job") + "/" + group->labels.at("instance"));
      }
      std::sort(out.begin(), out.end());
      return out;
    });
  }
  static std::vector<std::string> names(const SelectorDeleteResult& result) {
    std::vector<std::string> out;
    for (const auto& group : result.groups) {
      out.push_back(group.labels.at("job") + "/" + group.labels.at("instance"));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  Store store_{nullptr, {}};
};

TEST_F(StoreSelectorDeleteTest, DeletesEveryMatchedGroupAndNothingElse) {
  auto result =
      store_.removeMatching(selectors({R"({job=~"ci-.*",instance="a"})"}), kAnyJob, false);
  ASSERT_TRUE(result.result.ok());
  EXPECT_EQ(names(result), (std::vector<std::string>{"ci-build/a", "ci-test/a"}));
  EXPECT_EQ(jobsAndInstances(), (std::vector<std::string>{"ci-build/b", "prod-db/a"}));
  EXPECT_EQ(store_.groupCount(), 2u);
}

TEST_F(StoreSelectorDeleteTest, AnySelectorMatches) {
  auto result =
      store_.removeMatching(selectors({R"({job="prod-db"})", R"({instance="b"})"}), kAnyJob, false);
  ASSERT_TRUE(result.result.ok());
  EXPECT_EQ(names(result), (std::vector<std::string>{"ci-build/b", "prod-db/a"}));
}

TEST_F(StoreSelectorDeleteTest, DryRunAnswersAndChangesNothing) {
  auto generation = store_.generation();
  auto result = store_.removeMatching(selectors({R"({job="ci-build"})"}), kAnyJob, true);
  ASSERT_TRUE(result.result.ok());
  EXPECT_EQ(names(result), (std::vector<std::string>{"ci-build/a", "ci-build/b"}));
  EXPECT_EQ(jobsAndInstances().size(), 4u);
  EXPECT_EQ(store_.generation(), generation);
}

// A dry run only reads: it answers while the writer is busy with another write, without
// queueing behind it, and says what the delete applied next would delete.
TEST_F(StoreSelectorDeleteTest, DryRunDoesNotWaitForTheWriter) {
  ASSERT_TRUE(
      store_.push({{"job", "ci-old"}, {"instance", "x"}}, parse("m 1\n"), true, int64_t{1000000000})
          .ok());
  const auto ci = selectors({R"({job=~"ci-.*"})"});
  std::atomic<bool> answered{false};
  SelectorDeleteResult dry;
  bool answered_while_writing = false;
  size_t queued = 0;
  store_.onExpiryBatch([&] {  // in the writer, planning an expiry
    std::thread dry_run([&] {
      dry = store_.removeMatching(ci, kAnyJob, true);
      answered = true;
    });
    // Either the dry run answers, or it queues behind this write (bounded wait).
    for (int i = 0; i < 100000 && !answered && store_.queuedWrites() == 0; ++i) {
      std::this_thread::yield();
    }
    queued = store_.queuedWrites();
    dry_run.join();
    answered_while_writing = true;
  });
  ASSERT_EQ(store_.expire(nowNanos() + 2000000000), 1u);
  EXPECT_TRUE(answered_while_writing);
  EXPECT_EQ(queued, 0u);
  ASSERT_TRUE(dry.result.ok());
  // The state before the expiry write was installed: ci-old is still there.
  EXPECT_EQ(names(dry),
            (std::vector<std::string>{"ci-build/a", "ci-build/b", "ci-old/x", "ci-test/a"}));
  store_.onExpiryBatch({});
  const auto delete_answer = store_.removeMatching(ci, kAnyJob, false);
  EXPECT_EQ(names(delete_answer),
            (std::vector<std::string>{"ci-build/a", "ci-build/b", "ci-test/a"}));
}

TEST_F(StoreSelectorDeleteTest, DryRunAgreesWithTheDeleteOnForbiddenJobs) {
  JobPermission ci_only = [](std::string_view job) { return job.substr(0, 3) == "ci-"; };
  auto dry = store_.removeMatching(selectors({R"({instance="a"})"}), ci_only, true);
  auto real = store_.removeMatching(selectors({R"({instance="a"})"}), ci_only, false);
  ASSERT_TRUE(dry.forbidden_job);
  ASSERT_TRUE(real.forbidden_job);
  EXPECT_EQ(*dry.forbidden_job, *real.forbidden_job);
  EXPECT_TRUE(dry.groups.empty());
  auto dry_ci = store_.removeMatching(selectors({R"({job=~"ci-.*"})"}), ci_only, true);
  auto real_ci = store_.removeMatching(selectors({R"({job=~"ci-.*"})"}), ci_only, false);
  EXPECT_EQ(names(dry_ci), names(real_ci));
  EXPECT_EQ(names(real_ci).size(), 3u);
}

TEST_F(StoreSelectorDeleteTest, OneForbiddenJobDeletesNothing) {
  JobPermission ci_only = [](std::string_view job) { return job.substr(0, 3) == "ci-"; };
  auto result = store_.removeMatching(selectors({R"({instance="a"})"}), ci_only, false);
  ASSERT_TRUE(result.result.ok());
  ASSERT_TRUE(result.forbidden_job);
  EXPECT_EQ(*result.forbidden_job, "prod-db");
  EXPECT_TRUE(result.groups.empty());
  EXPECT_EQ(jobsAndInstances().size(), 4u);
  // The same caller may delete what is all theirs.
  result = store_.removeMatching(selectors({R"({job=~"ci-.*"})"}), ci_only, false);
  EXPECT_FALSE(result.forbidden_job);
  EXPECT_EQ(result.groups.size(), 3u);
}

TEST_F(StoreSelectorDeleteTest, NoMatchIsAnEmptyAnswer) {
  auto result = store_.removeMatching(selectors({R"({job="none"})"}), kAnyJob, false);
  ASSERT_TRUE(result.result.ok());
  EXPECT_TRUE(result.groups.empty());
  EXPECT_EQ(jobsAndInstances().size(), 4u);
}

TEST_F(StoreSelectorDeleteTest, HiddenExpiredGroupsAreDeletedToo) {
  model::LifecyclePolicy policy;
  policy.hide_expired = true;
  store_.setLifecycle(policy);
  ASSERT_TRUE(store_.push({{"job", "ci-old"}}, parse("m 1\n"), true, int64_t{1000000000}).ok());
  ASSERT_EQ(store_.expire(nowNanos() + 2000000000), 1u);
  auto result = store_.removeMatching(selectors({R"({job="ci-old"})"}), kAnyJob, false);
  EXPECT_EQ(result.groups.size(), 1u);
  EXPECT_EQ(store_.groupCount(), 4u);
}

// Pushes racing a selector delete: each lands wholly before it (deleted) or after it (kept);
// a group is never left with part of its pushes, and nothing the delete answered is still there
// unless a later push recreated it.
TEST_F(StoreSelectorDeleteTest, ConcurrentPushesLandBeforeOrAfter) {
  constexpr int kPushers = 4;
  constexpr int kPushes = 200;
  std::atomic<bool> go{false};
  std::vector<std::thread> pushers;
  for (int p = 0; p < kPushers; ++p) {
    pushers.emplace_back([&, p] {
      while (!go) std::this_thread::yield();
      for (int i = 0; i < kPushes; ++i) {
        // POST adds one family per push: a group holds a contiguous run of them.
        auto text = "race_" + std::to_string(i) + " 1\n";
        ASSERT_TRUE(
            store_.push({{"job", "race"}, {"instance", std::to_string(p)}}, parse(text), false)
                .ok());
      }
    });
  }
  go = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto result = store_.removeMatching(selectors({R"({job="race"})"}), kAnyJob, false);
  for (auto& t : pushers) t.join();
  ASSERT_TRUE(result.result.ok());
  // Per pusher: the race_<i> families its group holds now, or nullopt when it is gone.
  std::vector<std::optional<std::vector<int>>> left(kPushers);
  store_.read([&](const StoreView& view) {
    for (int p = 0; p < kPushers; ++p) {
      auto it = view.groups.find(
          model::groupingKeyString({{"job", "race"}, {"instance", std::to_string(p)}}));
      if (it == view.groups.end()) continue;
      left[p].emplace();
      for (const auto& [name, family] : it->second->families) {
        if (name.rfind("race_", 0) == 0) left[p]->push_back(std::stoi(name.substr(5)));
      }
      std::sort(left[p]->begin(), left[p]->end());
    }
    return 0;
  });
  for (int p = 0; p < kPushers; ++p) {
    const std::string key =
        model::groupingKeyString({{"job", "race"}, {"instance", std::to_string(p)}});
    bool listed = false;
    for (const auto& group : result.groups) listed |= group.key == key;
    if (!left[p]) {
      EXPECT_TRUE(listed) << "pusher " << p << " finished before the delete, which missed it";
      continue;
    }
    // The families left are race_j..race_{kPushes-1} for some j: none missing in between.
    const std::vector<int>& seen = *left[p];
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back(), kPushes - 1);
    EXPECT_EQ(seen.back() - seen.front() + 1, static_cast<int>(seen.size()));
    // Not deleted: it kept every push. Deleted: only the pushes after the delete are left.
    if (!listed) {
      EXPECT_EQ(seen.front(), 0);
    }
  }
}

}  // namespace
}  // namespace ferry::core::store
