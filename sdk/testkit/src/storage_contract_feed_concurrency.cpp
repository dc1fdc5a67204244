// The storage contract, part 5: shared stores under concurrent use. Two instances race to
// commit at the same position; snapshots and feed readers run while another instance writes.
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "contract_support.h"
#include "ferry/testkit/storage_contract.h"

namespace ferry::testkit {
namespace {

using support::applyCommits;
using support::readAllChanges;
using support::sameContents;
using Op = StorageOp;

// Releases two threads at once, round after round.
class StartLine {
 public:
  void arrive() {
    std::unique_lock lock(mu_);
    int round = round_;
    if (++waiting_ == 2) {
      waiting_ = 0;
      ++round_;
      cv_.notify_all();
      return;
    }
    cv_.wait(lock, [&] { return round_ != round; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_ = 0;
  int round_ = 0;
};

// Two replicas push conflicting data at the same moment: exactly one commit may win.
TEST_P(SharedStorageContract, ConflictingWritersExactlyOneWins) {
  auto a = open();
  auto b = open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  SnapshotResult at_a = a->snapshot();
  SnapshotResult at_b = b->snapshot();
  ASSERT_TRUE(at_a.call.ok() && at_b.call.ok());
  constexpr int kRounds = 100;
  uint64_t pos_a = at_a.position;
  uint64_t pos_b = at_b.position;
  StartLine start;
  CallResult result_b;
  int a_wins = 0;
  int b_wins = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::string key = "metric" + std::to_string(round);
    std::thread other([&] {
      start.arrive();
      result_b = b->writeIf(pos_b, {Op::put(key, "counter from b")}, nullptr);
    });
    start.arrive();
    CallResult result_a = a->writeIf(pos_a, {Op::put(key, "gauge from a")}, nullptr);
    other.join();
    ASSERT_TRUE(result_a.ok() || result_a.status == FERRY_ERR_CONFLICT) << result_a.describe();
    ASSERT_TRUE(result_b.ok() || result_b.status == FERRY_ERR_CONFLICT) << result_b.describe();
    ASSERT_NE(result_a.ok(), result_b.ok())
        << "round " << round << ": both or neither of two writes at one position committed ("
        << result_a.describe() << " / " << result_b.describe() << ")";
    (result_a.ok() ? a_wins : b_wins)++;
    // Both catch up through the feed before the next round.
    std::vector<FeedCommit> seen_a;
    std::vector<FeedCommit> seen_b;
    ASSERT_TRUE(readAllChanges(*a, pos_a, seen_a, &pos_a).ok());
    ASSERT_TRUE(readAllChanges(*b, pos_b, seen_b, &pos_b).ok());
    ASSERT_EQ(pos_a, pos_b);
    ASSERT_EQ(seen_a.size(), 1u) << "round " << round << ": one commit, seen by both";
    ASSERT_EQ(seen_b.size(), 1u);
  }
  EXPECT_EQ(a_wins + b_wins, kRounds);
  ScanResult final_state = a->scanAll();
  ASSERT_TRUE(final_state.call.ok());
  EXPECT_EQ(final_state.entries.size(), static_cast<size_t>(kRounds));
}

// A snapshot taken while another instance writes is a state the store was really in, at the
// position the snapshot reports, and the feed from there leads to the final state.
TEST_P(SharedStorageContract, SnapshotsDuringWritesAreConsistentWithTheirPosition) {
  auto writer = open();
  auto reader = open();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  SnapshotResult start = writer->snapshot();
  ASSERT_TRUE(start.call.ok());

  constexpr int kCommits = 300;
  std::map<uint64_t, std::vector<Op>> committed;  // position -> batch
  std::mutex committed_mu;
  std::atomic<bool> done{false};
  std::string writer_failure;
  std::thread writing([&] {
    std::mt19937 random(7);
    uint64_t position = start.position;
    for (int i = 0; i < kCommits; ++i) {
      std::vector<Op> batch;
      int size = 1 + static_cast<int>(random() % 4);
      for (int j = 0; j < size; ++j) {
        std::string key = "group" + std::to_string(random() % 40);
        if (random() % 5 == 0) {
          batch.push_back(Op::remove(key));
        } else {
          batch.push_back(Op::put(key, support::patternValue(10 + random() % 3000, i * 10 + j)));
        }
      }
      if (i % 97 == 50) batch.push_back(Op::wipe());
      uint64_t next = 0;
      CallResult r = writer->writeIf(position, batch, &next);
      if (!r.ok()) {
        writer_failure = "commit " + std::to_string(i) + ": " + r.describe();
        break;
      }
      std::lock_guard lock(committed_mu);
      committed[next] = batch;
      position = next;
    }
    done = true;
  });

  std::vector<SnapshotResult> snapshots;
  while (!done && snapshots.size() < 200) {
    snapshots.push_back(reader->snapshot());
    ASSERT_TRUE(snapshots.back().call.ok()) << snapshots.back().call.describe();
  }
  writing.join();
  ASSERT_TRUE(writer_failure.empty()) << writer_failure;
  snapshots.push_back(reader->snapshot());

  auto stateAt = [&](uint64_t position) {
    StorageMap state = start.entries;
    std::vector<FeedCommit> upto;
    for (const auto& [p, batch] : committed) {
      if (p <= position) upto.push_back(FeedCommit{p, 0, batch});
    }
    applyCommits(state, upto);
    return state;
  };
  for (size_t i = 0; i < snapshots.size(); ++i) {
    EXPECT_TRUE(sameContents(snapshots[i], stateAt(snapshots[i].position)))
        << "snapshot " << i << " (of " << snapshots.size() << ") at position "
        << snapshots[i].position << " is not the state at that position";
  }
  // The feed from the first snapshot leads to the final state.
  std::vector<FeedCommit> commits;
  uint64_t last = 0;
  CallResult read = readAllChanges(*reader, snapshots.front().position, commits, &last);
  ASSERT_TRUE(read.ok()) << read.describe();
  StorageMap replayed = snapshots.front().entries;
  applyCommits(replayed, commits);
  EXPECT_TRUE(sameContents(writer->scanAll(), replayed));
  EXPECT_EQ(last, committed.rbegin()->first);
}

// A replica reading the feed while another writes sees every commit once, in order.
TEST_P(SharedStorageContract, FeedReaderFollowsAWriter) {
  auto writer = open();
  auto reader = open();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  SnapshotResult start = reader->snapshot();
  ASSERT_TRUE(start.call.ok());
  constexpr int kCommits = 200;
  std::thread writing([&] {
    for (int i = 0; i < kCommits; ++i) {
      if (!writer->write({Op::put("k" + std::to_string(i % 17), std::to_string(i))}).ok()) return;
    }
  });
  std::vector<FeedCommit> commits;
  uint64_t position = start.position;
  for (int calls = 0; calls < 100000 && commits.size() < static_cast<size_t>(kCommits); ++calls) {
    size_t before = commits.size();
    CallResult r = reader->readChanges(position, 1000, commits);
    ASSERT_TRUE(r.ok()) << r.describe();
    if (commits.size() > before) position = commits.back().position;
  }
  writing.join();
  ASSERT_EQ(commits.size(), static_cast<size_t>(kCommits));
  for (int i = 0; i < kCommits; ++i) {
    ASSERT_EQ(commits[i].ops.size(), 1u);
    EXPECT_EQ(commits[i].ops[0].value, std::to_string(i)) << "commit " << i << " out of order";
    if (i > 0) {
      EXPECT_GT(commits[i].position, commits[i - 1].position);
    }
  }
}

}  // namespace
}  // namespace ferry::testkit
