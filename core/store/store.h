#pragma once

#include <google/protobuf/arena.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "core/model/lifecycle_policy.h"
#include "core/model/selector.h"
#include "core/plugin_host/plugin_instance.h"
#include "core/store/consistency_check.h"
#include "core/store/family_index.h"
#include "core/store/group.h"
#include "core/store/group_order.h"
#include "core/store/push_limits.h"
#include "core/store/shared_status.h"
#include "core/store/write_plan.h"
#include "core/util/memory_trimmer.h"

namespace ferry::core::store {

// The families of one push, usually parsed into one protobuf arena (one allocation block for the
// whole push instead of one per label). The store serializes what it keeps, so the arena only
// lives as long as the push request.
struct PushedFamilies {
  std::shared_ptr<google::protobuf::Arena> arena;
  std::vector<pb::MetricFamily*> families;
};

// A new arena sized for a typical push.
std::shared_ptr<google::protobuf::Arena> makePushArena();

struct WriteResult {
  // kOverLimit: the push would break `limit` ("limits" in the config); nothing was stored.
  // kUnavailable: a shared store could not be reached (HTTP 503); nothing was applied.
  enum class Code { kOk, kInvalid, kOverLimit, kStorageFailed, kUnavailable };
  Code code = Code::kOk;
  std::string message;         // for kInvalid/kOverLimit: the answer without the trailing newline
  int64_t deadline_nanos = 0;  // a successful push: the group's deadline (0: none)
  // A refused push: why, as ferry_push_rejected_total's reason ("timestamp", "consistency",
  // or the limit's name); null otherwise.
  const char* reason = nullptr;
  std::optional<model::Limit> limit = std::nullopt;  // kOverLimit
  bool ok() const { return code == Code::kOk; }
};

// The kOverLimit answer to a push that would break a limit.
WriteResult overLimit(const LimitBreach& breach);

// A group a selector delete matched.
struct MatchedGroup {
  std::string key;
  model::LabelMap labels;
};

// May the caller delete the groups of this job?
using JobPermission = std::function<bool(std::string_view job)>;

struct SelectorDeleteResult {
  // kInvalid: a selector could not be evaluated (a regular expression that needs too much
  // backtracking); kStorageFailed: nothing was deleted.
  WriteResult result;
  std::vector<MatchedGroup> groups;  // matched (and deleted unless a dry run), by grouping key
  // Set when a matched group's job is outside the caller's rights: nothing was deleted and
  // `groups` is empty.
  std::optional<std::string> forbidden_job;
};

// What readers see: all groups by grouping key and the index, under the store's read lock.
struct StoreView {
  const GroupMap& groups;
  const FamilyIndex& index;
  uint64_t generation;
  const GroupOrder& by_last_push;  // every group, newest successful push first
  const GroupOrder& by_deadline;   // every group, soonest deadline first
};

// The live state and every Pushgateway rule about changing it (spec §2, §4). Writes from all
// HTTP threads are applied one at a time in arrival order; whichever thread finds no write in
// progress applies its own request and every request queued behind it up to the next expiry
// request (group commit: one storage write for many pushes, and no thread handoff when pushes
// do not overlap; an expiry batch is never written with the requests queued before it). When
// requests queued meanwhile, exactly one of their threads is woken to write the next batch.
//
// Atomic with storage: a batch is first planned against the live state without changing it
// (WritePlan), then written to the storage plugin, and only when the plugin accepted it
// installed in memory (groups, index, counts, generation) under the exclusive lock. If the
// storage write fails, every request of the batch gets kStorageFailed (HTTP 500) and memory,
// the render cache and the index stay exactly as they were: nothing is served that was not
// stored. A batch is all or nothing, not retried per request: storage failures (disk full, I/O
// errors, a lost database) are rarely specific to one request, and one storage call per batch
// keeps the time a failing backend holds the writer bounded. A wipe ends its batch, so that
// each batch is one storage call (write or wipe) that the plugin applies whole or not at all.
//
// Readers take a shared lock and never see a half-applied write or an unstored one.
//
// On a shared store (several replicas, ABI 1.2) a batch is committed with write_if at the
// position of the state it was planned against, so the consistency check holds for the shared
// state: when another replica committed first, the batch waits until the FeedFollower applied
// that commit and is planned again. The follower applies the other replicas' commits under the
// same writer exclusion (feed_mu_), so a plan never sees the live state change under it.
class FeedFollower;

class Store {
 public:
  // `storage` may be null (nothing is written anywhere). `own_types` are the families Ferry
  // exposes about itself.
  Store(plugin_host::StoragePluginInstance* storage, OwnFamilyTypes own_types);
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  // The TTLs and expiry mode (and limits) of the config; before load() and the first push.
  void setLifecycle(model::LifecyclePolicy policy) { policy_ = std::move(policy); }
  const model::LifecyclePolicy& lifecycle() const { return policy_; }

  // Rebuilds the state from the storage plugin; throws std::runtime_error if it cannot. On a
  // shared store it starts the FeedFollower instead and returns at once: the replica is ready
  // (ready()) once the follower applied a first snapshot.
  void load();
  // False while a shared store's state is still being taken (at start, after a feed gap).
  bool ready() const { return !shared_status_ || shared_status_->ready(); }
  // The shared store's status, or null when the store is not shared.
  const SharedStoreStatus* sharedStatus() const { return shared_status_.get(); }

  // For the FeedFollower (shared stores only). The position of the last applied commit.
  uint64_t feedPosition() const { return position_.load(std::memory_order_acquire); }
  // Applies another replica's commit; one already applied (by position) is skipped.
  void applyFeedCommit(const plugin_host::StoragePluginInstance::CommitView& commit);
  // Replaces the whole live state with a snapshot's groups at `position`.
  void replaceState(GroupMap groups, uint64_t position);

  // PUT (replace_all) or POST a parsed push. Applies the timestamp rule, label sanitization and
  // the consistency check; on a rejected push records push_failure_time_seconds. `ttl_nanos`:
  // the TTL the pusher asked for (Ferry-TTL), clamped by the lifecycle policy; nullopt: the
  // job's or the default. A successful push sets the group's deadline to now + its TTL.
  WriteResult push(const model::LabelMap& grouping_labels, PushedFamilies families,
                   bool replace_all, std::optional<int64_t> ttl_nanos = std::nullopt);
  // The same for families that are not in an arena yet (tests, tools).
  WriteResult push(const model::LabelMap& grouping_labels, std::vector<pb::MetricFamily> families,
                   bool replace_all, std::optional<int64_t> ttl_nanos = std::nullopt);
  // DELETE of one group; deleting an absent group is fine.
  WriteResult remove(const model::LabelMap& grouping_labels);
  // Removes every group.
  WriteResult wipe();
  // Removes every group matched by any of `selectors`, in one write (one storage call): a push
  // applied before it is deleted, one applied after it stays. If `may_delete` refuses the job
  // of one matched group, nothing is deleted. With `dry_run`, only answers what it would
  // delete, from the state every write answered so far left (under the read lock, without
  // waiting for the writer).
  SelectorDeleteResult removeMatching(const std::vector<model::Selector>& selectors,
                                      const JobPermission& may_delete, bool dry_run);
  // How much one expiry write takes on. Expiry is one write per batch, and pushes queued
  // meanwhile are applied before the next batch (a batch never shares a write with the
  // requests queued before it), so a batch bounds how long expiry holds a push or (while it
  // is installed) a scrape: about as long as a push of `series` series. A batch takes at least
  // one due group, however large: expiring it costs about what its own last push did.
  struct ExpiryBatch {
    size_t groups = 256;   // due groups per batch
    size_t series = 4096;  // series of those groups, counted with their timestamp gauges
  };
  // Before load() and the first expire(); tests use small bounds.
  void setExpiryBatch(ExpiryBatch batch) { expiry_batch_ = batch; }
  const ExpiryBatch& expiryBatch() const { return expiry_batch_; }
  // Called in the writer each time an expiry batch is planned, before it looks at the due
  // groups (tests observe what was applied between two batches).
  void onExpiryBatch(std::function<void()> hook) { expiry_batch_hook_ = std::move(hook); }
  // Expires one batch (expiryBatch()) of the groups whose deadline is at or before `now_nanos`:
  // removed, or hidden with "expired": "hide". Returns how many it expired (0 when none was
  // due, the write failed or, on a shared store, this replica does not hold the expiry lease).
  //
  // On a shared store only the replica that holds the store's expiry lease expires groups, and
  // only once it has the store's state; the others follow its commits. Each batch is committed
  // with write_if like any batch, so it never undoes a push another replica committed first:
  // the batch is planned again against the state that includes the push, whose deadline is
  // then in the future.
  size_t expire(int64_t now_nanos);
  // Gives a shared store's expiry lease up, so another replica takes over at once (shutdown,
  // after the last expire()). Nothing for other stores.
  void stopExpiring();
  // Write requests waiting for the writer (not counting the batch being applied).
  size_t queuedWrites() const;
  // The soonest deadline of a group not expired yet (INT64_MAX: none). O(1).
  int64_t nextDeadline() const;
  // Groups this Ferry expired since start (ferry_groups_expired_total). On a shared store each
  // expiry is counted once, by the replica that committed it: the sum over the replicas.
  uint64_t expiredTotal() const { return expired_total_.load(std::memory_order_relaxed); }
  // Makes everything durable (shutdown).
  void flush();

  template <typename Fn>
  auto read(Fn&& fn) const {
    std::shared_lock lock(state_mu_);
    return fn(StoreView{groups_, index_, generation_.load(std::memory_order_relaxed), by_last_push_,
                        by_deadline_});
  }
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  size_t groupCount() const { return group_count_.load(std::memory_order_relaxed); }
  size_t seriesCount() const { return series_count_.load(std::memory_order_relaxed); }
  // Heap bytes of the stored families, approximately.
  size_t storedBytes() const { return stored_bytes_.load(std::memory_order_relaxed); }
  // Caches of readers (the scrape cache) that keep memory for an older store state register
  // here: after the store shrank a lot, they are released just before the freed memory is
  // given back to the system (util::MemoryTrimmer::addReleaser).
  uint64_t addMemoryReleaser(std::function<void()> release) const {
    return trimmer_.addReleaser(std::move(release));
  }
  void removeMemoryReleaser(uint64_t id) const { trimmer_.removeReleaser(id); }
  // How many times freed memory was given back to the system (tests, telemetry).
  uint64_t memoryTrims() const { return trimmer_.trims(); }

 private:
  struct Request;
  using RequestIt = std::deque<Request*>::iterator;
  WriteResult submit(Request& request);
  // Takes the next batch off the queue (queue_mu_ held): from the front up to, not including,
  // the next expiry request, so that the requests queued before an expiry batch are answered
  // without waiting for it.
  std::deque<Request*> takeBatch();
  void applyBatch(std::deque<Request*>& batch);
  void plan(WritePlan& plan, Request& request);
  // The batch [first, last) on a shared store (store_shared.cpp).
  void applyShared(RequestIt first, RequestIt last);
  // Shared stores: takes or renews the expiry lease; true if this replica may expire now.
  bool holdExpiryLease();
  // The plan's changes as storage operations (a wipe is not among them).
  static std::vector<plugin_host::StoragePluginInstance::Op> storageOps(WritePlan& plan);
  // Installs a stored plan in the live state and lets readers see it.
  void publish(WritePlan& plan);
  void planPush(WritePlan& plan, Request& request);
  void planExpiry(WritePlan& plan, Request& request);
  void planSelectorDelete(WritePlan& plan, Request& request);
  // What a selector delete applied now would delete (its dry run), under the read lock.
  SelectorDeleteResult matchingGroups(const std::vector<model::Selector>& selectors,
                                      const JobPermission& may_delete) const;
  // The group, job and store limits a planned push would break (kOverLimit), or kOk.
  WriteResult checkStoreLimits(WritePlan& plan, const Request& request, const Group* group) const;
  // The group limits a push creating a group of `job` would break (max_groups_per_job,
  // max_groups).
  std::optional<LimitBreach> newGroupBreach(const WritePlan& plan, std::string_view job,
                                            const model::LimitValues& limits) const;
  // Keeps the figures the limits count in step with an installed plan.
  void tally(const WritePlan& plan);
  // Stores the plan, then installs it; on failure sets every request of [first, last) failed.
  void commit(WritePlan& plan, RequestIt first, RequestIt last);
  // Empty when the storage plugin accepted the plan's changes, else its message.
  std::string writeToStorage(WritePlan& plan);
  void install(WritePlan& plan);
  // Makes the live group hold the planned group's families, updating the index by the
  // difference only.
  void installGroup(Group& live, Group& planned);
  void installFamilies(Group& live, Group& planned);
  void retireGroup(GroupMap::iterator it);
  // Adds the group to (or takes it out of) the orders besides the grouping key.
  void order(const Group& group);
  void unorder(const Group& group);
  // Bookkeeping of a family entering or leaving the live state.
  void adopt(const Group& group, const StoredFamily& family);
  void retire(const Group& group, StoredFamilyPtr family);

  plugin_host::StoragePluginInstance* storage_;
  OwnFamilyTypes own_types_;
  model::LifecyclePolicy policy_;
  std::atomic<uint64_t> expired_total_{0};
  ExpiryBatch expiry_batch_;
  std::function<void()> expiry_batch_hook_;

  mutable std::shared_mutex state_mu_;
  GroupMap groups_;
  FamilyIndex index_;
  GroupOrder by_last_push_;
  GroupOrder by_deadline_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<size_t> group_count_{0};
  std::atomic<size_t> series_count_{0};
  std::atomic<size_t> stored_bytes_{0};
  // What the limits count (writer only): series as pushed (without the two timestamp gauges)
  // in every stored group, and stored groups per job.
  int64_t pushed_series_ = 0;
  std::map<std::string, int64_t, std::less<>> job_groups_;
  // Gives memory back to the system after deletes, wipes and expiries shrank the store. Mutable:
  // readers register their caches' releasers, which is not store state.
  mutable util::MemoryTrimmer trimmer_;
  // Families and groups replaced or removed by the current install, released after the state
  // lock is let go (freeing a large family takes time readers should not wait for).
  std::vector<StoredFamilyPtr> retired_families_;       // writer only
  std::vector<std::unique_ptr<Group>> retired_groups_;  // writer only

  // Shared stores: the position of the last commit applied to the live state, changed under
  // feed_mu_, which the writer (planning and committing) and the FeedFollower (applying) hold
  // while they read or change the live state. feed_cv_ signals a new position.
  std::unique_ptr<SharedStoreStatus> shared_status_;
  std::mutex feed_mu_;
  std::condition_variable feed_cv_;
  std::atomic<uint64_t> position_{0};
  uint64_t feed_applied_ = 0;  // commits and snapshots the follower applied (under feed_mu_)
  std::unique_ptr<FeedFollower> follower_;
  bool expiry_lease_held_ = false;  // the thread that calls expire() only

  mutable std::mutex queue_mu_;
  std::condition_variable idle_cv_;  // signalled when no batch is in progress
  std::deque<Request*> queue_;
  bool writing_ = false;
};

// Current wall-clock time in Unix nanoseconds.
int64_t nowNanos();
// CPU time the calling thread used so far, in nanoseconds.
int64_t threadCpuNanos();

}  // namespace ferry::core::store
