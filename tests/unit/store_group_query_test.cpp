// The group API's store side: filters, the three orders, paging with cursors, and the group
// state it shows (failure reason, lifecycle fields) surviving the stored form.
#include <gtest/gtest.h>

#include <set>

#include "core/store/group_codec.h"
#include "core/store/group_query.h"
#include "core/store/store.h"
#include "store_test_support.h"

namespace ferry::core::store {
namespace {

using test_support::parse;

// The instances of the groups on one page, in order.
std::vector<std::string> page(const Store& store, const GroupQuery& query,
                              GroupPage* out = nullptr) {
  std::vector<std::string> instances;
  GroupPage result = queryGroups(store, query, [&](const Group& group) {
    auto it = group.labels.find("instance");
    instances.push_back(it == group.labels.end() ? "" : it->second);
  });
  if (out) *out = result;
  return instances;
}

class GroupQueryTest : public ::testing::Test {
 protected:
  void push(const std::string& instance, const std::string& body = "m 1\n") {
    ASSERT_TRUE(store_.push({{"job", "q"}, {"instance", instance}}, parse(body), true).ok());
  }
  Store store_{nullptr, {}};
};

TEST_F(GroupQueryTest, PagesThroughEveryGroupExactlyOnceInEachOrder) {
  for (int i = 0; i < 25; ++i) push("i" + std::to_string(100 + i));
  for (GroupSort sort : {GroupSort::kLabels, GroupSort::kLastPush, GroupSort::kDeadline}) {
    GroupQuery query;
    query.sort = sort;
    query.limit = 7;
    std::vector<std::string> seen;
    for (int pages = 0; pages < 10; ++pages) {
      GroupPage result;
      auto instances = page(store_, query, &result);
      EXPECT_EQ(result.total_groups, 25u);
      seen.insert(seen.end(), instances.begin(), instances.end());
      if (!result.next) break;
      EXPECT_EQ(instances.size(), 7u);
      query.after = decodeGroupCursor(sort, *result.next);
      ASSERT_TRUE(query.after);
    }
    EXPECT_EQ(seen.size(), 25u);
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 25u);
    if (sort == GroupSort::kLabels) {
      EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    }
    if (sort == GroupSort::kLastPush) {
      // Newest first: the groups were pushed in order, so the last one leads.
      EXPECT_EQ(seen.front(), "i124");
      EXPECT_EQ(seen.back(), "i100");
    }
  }
}

TEST_F(GroupQueryTest, LastPushOrderFollowsNewPushes) {
  push("a");
  push("b");
  push("c");
  push("a");
  GroupQuery query;
  query.sort = GroupSort::kLastPush;
  EXPECT_EQ(page(store_, query), (std::vector<std::string>{"a", "c", "b"}));
  ASSERT_TRUE(store_.remove({{"job", "q"}, {"instance", "c"}}).ok());
  EXPECT_EQ(page(store_, query), (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(store_.wipe().ok());
  EXPECT_TRUE(page(store_, query).empty());
}

TEST_F(GroupQueryTest, FiltersBySelectorsAndText) {
  push("db-1");
  push("db-2");
  push("web-1");
  ASSERT_TRUE(store_.push({{"job", "other"}, {"instance", "DB-9"}}, parse("o 1\n"), true).ok());
  GroupQuery query;
  query.selectors.push_back(model::parseSelector("{job=\"q\",instance=~\"db-.*\"}"));
  EXPECT_EQ(page(store_, query), (std::vector<std::string>{"db-1", "db-2"}));
  query.selectors.push_back(model::parseSelector("{job=\"other\"}"));  // any selector
  EXPECT_EQ(page(store_, query), (std::vector<std::string>{"DB-9", "db-1", "db-2"}));
  query.selectors.clear();
  query.text = "Db-";  // case-insensitive, names and values
  EXPECT_EQ(page(store_, query), (std::vector<std::string>{"DB-9", "db-1", "db-2"}));
  query.text = "instance";
  EXPECT_EQ(page(store_, query).size(), 4u);
  // With a filter the next cursor still points past the last group shown.
  query.text = "db";
  query.limit = 2;
  GroupPage result;
  EXPECT_EQ(page(store_, query, &result), (std::vector<std::string>{"DB-9", "db-1"}));
  ASSERT_TRUE(result.next);
  query.after = decodeGroupCursor(GroupSort::kLabels, *result.next);
  EXPECT_EQ(page(store_, query, &result), (std::vector<std::string>{"db-2"}));
  EXPECT_FALSE(result.next);
}

TEST_F(GroupQueryTest, CursorsAreCheckedAgainstTheSort) {
  push("a");
  push("b");
  GroupQuery query;
  query.limit = 1;
  GroupPage result;
  page(store_, query, &result);
  ASSERT_TRUE(result.next);
  EXPECT_TRUE(decodeGroupCursor(GroupSort::kLabels, *result.next));
  EXPECT_FALSE(decodeGroupCursor(GroupSort::kLastPush, *result.next));
  EXPECT_FALSE(decodeGroupCursor(GroupSort::kLabels, "!!"));
  EXPECT_FALSE(decodeGroupCursor(GroupSort::kLabels, ""));
  EXPECT_FALSE(parseGroupSort("size"));
}

TEST_F(GroupQueryTest, FailedPushKeepsItsReasonBounded) {
  push("r", "# TYPE clash counter\nclash 1\n");
  auto result = store_.push({{"job", "q"}, {"instance", "s"}},
                            parse("# TYPE clash gauge\nclash 1\n" + std::string("x 1\n")), true);
  ASSERT_EQ(result.code, WriteResult::Code::kInvalid);
  store_.read([&](const StoreView& view) {
    const Group& group =
        *view.groups.at(model::groupingKeyString({{"job", "q"}, {"instance", "s"}}));
    EXPECT_EQ(group.last_failure_reason, result.message);
    EXPECT_GT(group.lastFailureNanos(), 0);
    EXPECT_EQ(group.lastPushNanos(), 0);
    return 0;
  });
  std::string long_reason(3000, 'e');
  long_reason.replace(1023, 2, "\xc3\xa9");  // a two-byte character across the cut
  EXPECT_EQ(boundedFailureReason(long_reason).size(), 1023u);
  EXPECT_EQ(boundedFailureReason("short"), "short");
}

TEST(GroupCodecTest, LifecycleStateSurvivesTheStoredForm) {
  Group group;
  group.labels = {{"job", "c"}, {"instance", "x"}};
  group.key = model::groupingKeyString(group.labels);
  group.families[kPushTimeName] = makeTimestampFamily(kPushTimeName, group.labels, 1.7e9, 17);
  group.ttl_nanos = 90'000'000'000;
  group.deadline_nanos = 1'800'000'000'000'000'000;
  group.expired = true;
  group.last_failure_reason = "bad push";
  auto decoded = decodeGroup(group.key, encodeGroup(group));
  EXPECT_EQ(decoded->ttl_nanos, group.ttl_nanos);
  EXPECT_EQ(decoded->deadline_nanos, group.deadline_nanos);
  EXPECT_TRUE(decoded->expired);
  EXPECT_EQ(decoded->last_failure_reason, "bad push");
  EXPECT_EQ(decoded->lastPushNanos(), 17);
  // A group without lifecycle state encodes as before issue 12 did.
  Group plain = group;
  plain.ttl_nanos = plain.deadline_nanos = 0;
  plain.expired = false;
  plain.last_failure_reason.clear();
  auto plain_decoded = decodeGroup(plain.key, encodeGroup(plain));
  EXPECT_EQ(plain_decoded->deadline_nanos, 0);
  EXPECT_FALSE(plain_decoded->expired);
}

}  // namespace
}  // namespace ferry::core::store
