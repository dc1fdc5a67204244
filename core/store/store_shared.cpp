// The parts of Store that only a shared store (several replicas, ABI 1.2) uses: committing a
// batch conditionally, and applying what other replicas committed.
#include <chrono>

#include "core/store/group_codec.h"
#include "core/store/store.h"
#include "core/store/store_request.h"
#include "core/util/log.h"

namespace ferry::core::store {

namespace {

// How long a batch may wait for this replica to catch up with commits made by others before
// it is answered 503. Under a steady stream of conflicting commits a batch is planned again
// after each one it missed; the limit bounds that too.
constexpr auto kCatchUpTimeout = std::chrono::seconds(10);

// The expiry lease: renewed by its holder at every expiry, so when the holder stops or dies
// another replica takes over expiry within this time.
constexpr char kExpiryLease[] = "expiry";
constexpr uint32_t kExpiryLeaseMs = 3000;

}  // namespace

void Store::applyShared(RequestIt first, RequestIt last) {
  auto deadline = std::chrono::steady_clock::now() + kCatchUpTimeout;
  auto fail = [&](WriteResult::Code code, const std::string& message) {
    for (auto it = first; it != last; ++it) (*it)->result = {code, message};
  };
  for (;;) {
    if (!shared_status_->ready()) {
      // Without the store's state there is nothing to check a push against (and write_if
      // would refuse every position this replica has): answer at once, with why.
      std::string why = shared_status_->lastError();
      fail(WriteResult::Code::kUnavailable,
           "storage unavailable: this replica has not taken the shared store's state yet" +
               (why.empty() ? std::string() : " (" + why + ")"));
      return;
    }
    std::unique_lock<std::mutex> feed_lock(feed_mu_);
    uint64_t expected = position_.load(std::memory_order_relaxed);
    uint64_t applied = feed_applied_;
    WritePlan planned(groups_, index_);
    for (auto it = first; it != last; ++it) plan(planned, **it);
    auto ops = storageOps(planned);
    if (planned.wiped()) ops.insert(ops.begin(), {FERRY_STORAGE_WIPE, {}, {}});
    // Even an empty batch (a DELETE of a group this replica does not have) is checked against
    // the store's position: another replica may have committed that group a moment ago.
    uint64_t position = 0;
    auto status = storage_->writeIf(expected, ops, position);
    if (status.ok()) {
      if (!planned.empty()) publish(planned);
      position_.store(position, std::memory_order_release);
      feed_lock.unlock();
      feed_cv_.notify_all();
      shared_status_->reached(nowNanos(), 0);
      return;
    }
    if (status.status != FERRY_ERR_CONFLICT) {
      feed_lock.unlock();
      if (status.status == FERRY_ERR_UNAVAILABLE) {
        shared_status_->unreachable(nowNanos(), status.message);
        util::logError("shared store unreachable; the batch is not applied",
                       {{"err", status.message}});
        fail(WriteResult::Code::kUnavailable, "storage unavailable: " + status.message);
      } else {
        util::logError("storage write failed; the batch is not applied", {{"err", status.message}});
        fail(WriteResult::Code::kStorageFailed, "storage write failed: " + status.message);
      }
      return;
    }
    // Another replica committed after `expected`: wait until the follower applied it, then
    // plan the batch again against the state that includes it. Whatever the follower applies
    // counts, not only a higher position: after a failover that went back it takes a
    // snapshot whose position may be lower.
    bool caught_up = feed_cv_.wait_until(
        feed_lock, deadline, [&] { return feed_applied_ != applied || !shared_status_->up(); });
    if (caught_up && !shared_status_->up()) {
      fail(WriteResult::Code::kUnavailable, "storage unavailable: " + shared_status_->lastError());
      return;
    }
    if (!caught_up) {
      util::logError("replica could not catch up with the shared store; the batch is not applied",
                     {{"position", std::to_string(expected)}});
      fail(WriteResult::Code::kUnavailable,
           "storage unavailable: this replica could not catch up with the shared store");
      return;
    }
  }
}

bool Store::holdExpiryLease() {
  // Before the replica has the store's state its deadlines say nothing (and the batch would
  // be refused anyway).
  if (!shared_status_->ready()) return false;
  bool held = false;
  auto status = storage_->lease(kExpiryLease, kExpiryLeaseMs, held);
  if (!status.ok()) {
    // The store cannot be reached: pushes say so; the expiry is tried again at the next tick.
    util::logDebug("expiry lease not taken", {{"err", status.message}});
    held = false;
  } else if (held != expiry_lease_held_) {
    util::logInfo(held ? "this replica expires groups now (expiry lease taken)"
                       : "another replica expires groups now (expiry lease lost)");
  }
  expiry_lease_held_ = held;
  return held;
}

void Store::stopExpiring() {
  if (!shared_status_ || !expiry_lease_held_) return;
  bool held = false;
  auto status = storage_->lease(kExpiryLease, 0, held);
  if (!status.ok()) util::logDebug("expiry lease not given up", {{"err", status.message}});
  expiry_lease_held_ = false;
}

void Store::applyFeedCommit(const plugin_host::StoragePluginInstance::CommitView& commit) {
  std::unique_lock<std::mutex> feed_lock(feed_mu_);
  if (commit.position <= position_.load(std::memory_order_relaxed)) return;  // our own
  WritePlan planned(groups_, index_);
  for (const auto& op : commit.ops) {
    switch (op.kind) {
      case FERRY_STORAGE_WIPE:
        planned.wipe();
        break;
      case FERRY_STORAGE_REMOVE:
        planned.remove(std::string(op.key));
        break;
      case FERRY_STORAGE_PUT:
        try {
          planned.put(decodeGroup(op.key, op.value));
        } catch (const std::exception& e) {
          // Another replica wrote it, so this cannot happen short of a different Ferry
          // version or a hand edit; the replica keeps its old version of the group.
          util::logError("change feed holds a group that cannot be decoded; skipped",
                         {{"group", std::string(op.key)}, {"err", e.what()}});
        }
        break;
      default:
        break;
    }
  }
  if (!planned.empty()) publish(planned);
  position_.store(commit.position, std::memory_order_release);
  ++feed_applied_;
  feed_lock.unlock();
  feed_cv_.notify_all();
}

void Store::replaceState(GroupMap groups, uint64_t position) {
  std::unique_lock<std::mutex> feed_lock(feed_mu_);
  WritePlan planned(groups_, index_);
  planned.wipe();
  // Through the plan's bookkeeping, so the figures the limits count are rebuilt as load()
  // builds them.
  for (auto& [key, group] : groups) planned.put(std::move(group));
  publish(planned);
  position_.store(position, std::memory_order_release);
  ++feed_applied_;
  feed_lock.unlock();
  feed_cv_.notify_all();
}

}  // namespace ferry::core::store
