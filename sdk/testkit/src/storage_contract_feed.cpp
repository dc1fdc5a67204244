// The storage contract, part 4: shared stores (FERRY_STORAGE_SHARED, ABI 1.2). Several
// instances on one store, as several Ferry replicas: snapshots and their positions, the change
// feed, the conditional write, leases (SharedStorageContract: only for stores that declare the
// flag).
#include <thread>

#include "contract_support.h"
#include "ferry/testkit/storage_contract.h"

namespace ferry::testkit {
namespace detail {
int storageContractFeedAnchor() { return 0; }
}  // namespace detail

// A test program of backends that are not shared instantiates no shared cases.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SharedStorageContract);

namespace {

using support::applyCommits;
using support::readAllChanges;
using support::sameContents;
using Op = StorageOp;

// "PUT k=v" / "REMOVE k" / "WIPE", for comparing operations in messages.
std::string describe(const Op& op) {
  switch (op.kind) {
    case FERRY_STORAGE_PUT:
      return "PUT " + op.key + "=" + op.value;
    case FERRY_STORAGE_REMOVE:
      return "REMOVE " + op.key;
    case FERRY_STORAGE_WIPE:
      return "WIPE";
  }
  return "kind " + std::to_string(static_cast<int>(op.kind));
}

std::vector<std::string> describe(const std::vector<Op>& ops) {
  std::vector<std::string> out;
  for (const auto& op : ops) out.push_back(describe(op));
  return out;
}

TEST_P(SharedStorageContract, SharedStoreHasManyInstances) {
  auto a = open();
  auto b = open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr) << "a second instance on the same shared store was refused";
  ASSERT_TRUE(a->write({Op::put("from-a", "1")}).ok());
  ASSERT_TRUE(b->write({Op::put("from-b", "2")}).ok());
  EXPECT_TRUE(sameContents(a->scanAll(), {{"from-a", "1"}, {"from-b", "2"}}));
  EXPECT_TRUE(sameContents(b->scanAll(), {{"from-a", "1"}, {"from-b", "2"}}));
}

TEST_P(SharedStorageContract, SnapshotOfANewStoreIsEmpty) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  SnapshotResult snap = store->snapshot();
  ASSERT_TRUE(sameContents(snap, {}));
  std::vector<FeedCommit> commits;
  CallResult read = store->readChanges(snap.position, 0, commits);
  EXPECT_TRUE(read.ok()) << "reading on from a new store's snapshot: " << read.describe();
  EXPECT_TRUE(commits.empty());
}

// Every write, conditional or not, and every wipe is one commit at a larger position, and
// another instance reads them all, in order, with the same operations.
TEST_P(SharedStorageContract, FeedDeliversEveryCommitInOrder) {
  auto a = open();
  auto b = open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  SnapshotResult start = b->snapshot();
  ASSERT_TRUE(start.call.ok()) << start.call.describe();

  const std::string binary_key("k\0\xff", 3);
  // In commit order: write, write, wipe, write.
  const std::vector<std::vector<Op>> batches = {
      {Op::put("a", "1"), Op::put(binary_key, std::string("\0v\xff", 3))},
      {Op::remove("a"), Op::put("empty", "")},
      {Op::wipe()},
      {Op::put("big", support::patternValue(300000, 5)), Op::put("small", "s")},
  };
  ASSERT_TRUE(a->write(batches[0]).ok());
  ASSERT_TRUE(a->write(batches[1]).ok());
  ASSERT_TRUE(a->wipe().ok());
  ASSERT_TRUE(a->write(batches[3]).ok());

  std::vector<FeedCommit> commits;
  uint64_t last = 0;
  CallResult read = readAllChanges(*b, start.position, commits, &last);
  ASSERT_TRUE(read.ok()) << read.describe();
  ASSERT_EQ(commits.size(), batches.size()) << "one commit per write or wipe";
  uint64_t previous = start.position;
  for (size_t i = 0; i < commits.size(); ++i) {
    EXPECT_GT(commits[i].position, previous) << "commit " << i << ": positions must increase";
    previous = commits[i].position;
    EXPECT_EQ(describe(commits[i].ops), describe(batches[i])) << "commit " << i;
  }
  StorageMap replayed = start.entries;
  applyCommits(replayed, commits);
  EXPECT_TRUE(sameContents(a->scanAll(), replayed)) << "the feed replayed over the snapshot";
  std::vector<FeedCommit> none;
  EXPECT_TRUE(b->readChanges(last, 0, none).ok());
  EXPECT_TRUE(none.empty()) << "read_changes after the last position delivered more";
}

TEST_P(SharedStorageContract, WriteIfCommitsAtTheExpectedPosition) {
  auto a = open();
  auto b = open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  SnapshotResult snap = a->snapshot();
  ASSERT_TRUE(snap.call.ok()) << snap.call.describe();
  SnapshotResult at_b = b->snapshot();  // positions are read on from where each instance was
  ASSERT_EQ(at_b.position, snap.position);
  uint64_t p1 = 0;
  CallResult first = a->writeIf(snap.position, {Op::put("x", "1"), Op::put("y", "2")}, &p1);
  ASSERT_TRUE(first.ok()) << first.describe();
  EXPECT_GT(p1, snap.position);
  uint64_t p2 = 0;
  ASSERT_TRUE(a->writeIf(p1, {Op::remove("y")}, &p2).ok()) << "at its own last position";
  EXPECT_GT(p2, p1);
  uint64_t same = 0;
  CallResult empty = a->writeIf(p2, {}, &same);
  EXPECT_TRUE(empty.ok()) << "an empty batch at the right position: " << empty.describe();
  EXPECT_EQ(same, p2) << "an empty batch makes no commit";

  std::vector<FeedCommit> commits;
  uint64_t last = 0;
  ASSERT_TRUE(readAllChanges(*b, at_b.position, commits, &last).ok());
  ASSERT_EQ(commits.size(), 2u);
  EXPECT_EQ(commits[0].position, p1) << "the feed shows the position write_if returned";
  EXPECT_EQ(commits[1].position, p2);
  EXPECT_TRUE(sameContents(b->scanAll(), {{"x", "1"}}));
}

// The cross-replica consistency check rests on this: a batch checked against position P is
// refused once anything else was committed after P, and nothing of it is written.
TEST_P(SharedStorageContract, WriteIfRefusesAStalePosition) {
  auto a = open();
  auto b = open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  SnapshotResult at_a = a->snapshot();
  SnapshotResult at_b = b->snapshot();
  ASSERT_TRUE(at_a.call.ok() && at_b.call.ok());
  ASSERT_EQ(at_a.position, at_b.position);
  uint64_t b_position = 0;
  ASSERT_TRUE(b->writeIf(at_b.position, {Op::put("metric", "gauge")}, &b_position).ok());

  CallResult stale = a->writeIf(at_a.position, {Op::put("metric", "counter")}, nullptr);
  EXPECT_EQ(stale.status, FERRY_ERR_CONFLICT) << stale.describe();
  CallResult stale_empty = a->writeIf(at_a.position, {}, nullptr);
  EXPECT_EQ(stale_empty.status, FERRY_ERR_CONFLICT) << "empty batch: " << stale_empty.describe();
  EXPECT_TRUE(sameContents(a->scanAll(), {{"metric", "gauge"}})) << "the refused batch wrote";

  // Caught up through the feed, the same instance commits.
  std::vector<FeedCommit> commits;
  uint64_t last = 0;
  ASSERT_TRUE(readAllChanges(*a, at_a.position, commits, &last).ok());
  EXPECT_EQ(last, b_position);
  uint64_t a_position = 0;
  CallResult retry = a->writeIf(last, {Op::put("other", "1")}, &a_position);
  EXPECT_TRUE(retry.ok()) << retry.describe();
  EXPECT_GT(a_position, b_position);
}

TEST_P(SharedStorageContract, WriteIfAppliesAWipeInBatchOrder) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->write({Op::put("old", "1")}).ok());
  SnapshotResult snap = store->snapshot();
  ASSERT_TRUE(snap.call.ok());
  uint64_t position = 0;
  ASSERT_TRUE(store
                  ->writeIf(snap.position, {Op::put("gone", "1"), Op::wipe(), Op::put("new", "2")},
                            &position)
                  .ok());
  EXPECT_TRUE(sameContents(store->scanAll(), {{"new", "2"}}));
  std::vector<FeedCommit> commits;
  ASSERT_TRUE(store->readChanges(snap.position, 0, commits).ok());
  ASSERT_EQ(commits.size(), 1u);
  EXPECT_EQ(describe(commits[0].ops),
            (std::vector<std::string>{"PUT gone=1", "WIPE", "PUT new=2"}));
}

TEST_P(SharedStorageContract, SnapshotPositionContinuesTheFeed) {
  auto a = open();
  auto b = open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(a->write({Op::put("before", "1")}).ok());
  SnapshotResult snap = b->snapshot();
  ASSERT_TRUE(sameContents(snap, {{"before", "1"}}));
  ASSERT_TRUE(a->write({Op::put("after", "2")}).ok());
  std::vector<FeedCommit> commits;
  uint64_t last = 0;
  ASSERT_TRUE(readAllChanges(*b, snap.position, commits, &last).ok());
  ASSERT_EQ(commits.size(), 1u) << "exactly the commits after the snapshot";
  EXPECT_EQ(describe(commits[0].ops), (std::vector<std::string>{"PUT after=2"}));
}

TEST_P(SharedStorageContract, FeedWaitsForTheNextCommit) {
  auto a = open();
  auto b = open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  SnapshotResult snap = b->snapshot();
  ASSERT_TRUE(snap.call.ok());
  std::vector<FeedCommit> commits;
  CallResult waited;
  // A wait long enough for any machine; it must end when the commit arrives, not time out.
  std::thread reader([&] { waited = b->readChanges(snap.position, 60000, commits); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(a->write({Op::put("late", "1")}).ok());
  reader.join();
  ASSERT_TRUE(waited.ok()) << waited.describe();
  ASSERT_EQ(commits.size(), 1u) << "read_changes returned without the commit made meanwhile";
  EXPECT_EQ(describe(commits[0].ops), (std::vector<std::string>{"PUT late=1"}));
}

TEST_P(SharedStorageContract, ReadChangesFromAnUnknownPositionIsAGap) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->write({Op::put("a", "1")}).ok());
  SnapshotResult snap = store->snapshot();
  ASSERT_TRUE(snap.call.ok());
  std::vector<FeedCommit> commits;
  CallResult future = store->readChanges(snap.position + 1000, 0, commits);
  EXPECT_EQ(future.status, FERRY_ERR_FEED_GAP)
      << "a position the store never reached: " << future.describe();
  EXPECT_TRUE(commits.empty());
}

TEST_P(SharedStorageContract, LostFeedHistoryIsAGapAndASnapshotRecovers) {
  ASSERT_TRUE(backend().lose_feed_history)
      << "StorageBackend::lose_feed_history is not set; the feed contract needs it to check "
         "that a replica behind a trimmed feed is told so";
  auto a = open();
  auto b = open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  SnapshotResult behind = b->snapshot();
  ASSERT_TRUE(behind.call.ok());
  ASSERT_TRUE(a->write({Op::put("k1", "1")}).ok());
  ASSERT_TRUE(a->write({Op::put("k2", "2")}).ok());
  backend().lose_feed_history(dir());
  ASSERT_TRUE(a->write({Op::put("k3", "3")}).ok());

  std::vector<FeedCommit> commits;
  CallResult gap = b->readChanges(behind.position, 0, commits);
  EXPECT_EQ(gap.status, FERRY_ERR_FEED_GAP) << gap.describe();
  EXPECT_FALSE(gap.message.empty()) << "a gap without a message";
  EXPECT_TRUE(commits.empty()) << "commits delivered across a gap";

  SnapshotResult again = b->snapshot();
  ASSERT_TRUE(sameContents(again, {{"k1", "1"}, {"k2", "2"}, {"k3", "3"}}));
  ASSERT_TRUE(a->write({Op::put("k4", "4")}).ok());
  uint64_t last = 0;
  ASSERT_TRUE(readAllChanges(*b, again.position, commits, &last).ok());
  ASSERT_EQ(commits.size(), 1u);
  EXPECT_EQ(describe(commits[0].ops), (std::vector<std::string>{"PUT k4=4"}));
}

TEST_P(SharedStorageContract, LeaseIsHeldByOneInstanceAtATime) {
  auto a = open();
  auto b = open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  bool held = false;
  ASSERT_TRUE(a->lease("expiry", 60000, &held).ok());
  EXPECT_TRUE(held) << "a free lease was not taken";
  ASSERT_TRUE(b->lease("expiry", 60000, &held).ok());
  EXPECT_FALSE(held) << "two instances hold one lease";
  ASSERT_TRUE(a->lease("expiry", 60000, &held).ok());
  EXPECT_TRUE(held) << "the holder could not renew";
  ASSERT_TRUE(b->lease("other", 60000, &held).ok());
  EXPECT_TRUE(held) << "leases of different names are independent";
  ASSERT_TRUE(a->lease("expiry", 0, &held).ok());
  EXPECT_FALSE(held) << "ttl 0 gives the lease up";
  ASSERT_TRUE(b->lease("expiry", 60000, &held).ok());
  EXPECT_TRUE(held) << "a given-up lease was not free";

  // A holder that stops renewing loses it when its TTL ends (bounded wait; not a speed test).
  ASSERT_TRUE(a->lease("short", 200, &held).ok());
  ASSERT_TRUE(held);
  bool taken = false;
  for (int i = 0; i < 200 && !taken; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(b->lease("short", 60000, &taken).ok());
  }
  EXPECT_TRUE(taken) << "a lease not renewed was still held after 10 s (TTL 200 ms)";
}

}  // namespace
}  // namespace ferry::testkit
