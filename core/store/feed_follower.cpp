#include "core/store/feed_follower.h"

#include <algorithm>
#include <chrono>

#include "core/store/group_codec.h"
#include "core/store/store.h"
#include "core/util/log.h"

namespace ferry::core::store {

namespace {

// How long one read_changes call waits for a commit: also how long stop() may wait for it.
constexpr uint32_t kFeedWaitMs = 500;
constexpr int kMaxPauseMs = 2000;

}  // namespace

FeedFollower::FeedFollower(Store& store, plugin_host::StoragePluginInstance& storage,
                           SharedStoreStatus& status)
    : store_(store), storage_(storage), status_(status) {}

FeedFollower::~FeedFollower() { stop(); }

void FeedFollower::start() {
  thread_ = std::thread([this] { run(); });
}

void FeedFollower::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void FeedFollower::run() {
  bool need_snapshot = true;
  while (!stopping_) {
    if (need_snapshot) {
      status_.setReady(false);
      if (!resync()) continue;
      need_snapshot = false;
      status_.setReady(true);
    }
    int64_t newest_commit = 0;
    auto status = storage_.readChanges(
        store_.feedPosition(), kFeedWaitMs,
        [&](const plugin_host::StoragePluginInstance::CommitView& commit) {
          store_.applyFeedCommit(commit);
          newest_commit = std::max(newest_commit, commit.commit_time_unix_nanos);
          return !stopping_.load();
        });
    int64_t now = nowNanos();
    if (status.ok()) {
      if (failures_ > 0) util::logInfo("shared store reachable again; following its changes");
      failures_ = 0;
      status_.reached(now, newest_commit == 0 ? 0 : now - newest_commit);
    } else if (status.status == FERRY_ERR_FEED_GAP) {
      util::logWarn("change feed cannot continue; taking a snapshot of the shared store",
                    {{"err", status.message}});
      need_snapshot = true;
    } else {
      failed(status, "reading the shared store's change feed failed");
      // Anything but "unreachable" may have left the position in doubt: start over.
      if (status.status != FERRY_ERR_UNAVAILABLE) need_snapshot = true;
    }
  }
}

bool FeedFollower::resync() {
  auto started = std::chrono::steady_clock::now();
  GroupMap groups;
  size_t undecodable = 0;
  uint64_t position = 0;
  auto status = storage_.snapshot(
      [&](std::string_view key, std::string_view value) {
        try {
          auto group = decodeGroup(key, value);
          groups.emplace(group->key, std::move(group));
        } catch (const std::exception& e) {
          // Never stop the whole replica for one bad entry; say which one it is.
          if (undecodable++ == 0) {
            util::logError("shared store holds a group that cannot be decoded; skipped",
                           {{"group", std::string(key)}, {"err", e.what()}});
          }
        }
        return !stopping_.load();
      },
      position);
  if (stopping_) return false;
  if (!status.ok()) {
    failed(status, "snapshot of the shared store failed");
    return false;
  }
  size_t count = groups.size();
  store_.replaceState(std::move(groups), position);
  status_.reached(nowNanos(), 0);
  failures_ = 0;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started)
                .count();
  util::logInfo("state taken from the shared store",
                {{"groups", std::to_string(count)},
                 {"series", std::to_string(store_.seriesCount())},
                 {"position", std::to_string(position)},
                 {"undecodable", std::to_string(undecodable)},
                 {"ms", std::to_string(ms)}});
  return true;
}

void FeedFollower::failed(const plugin_host::CallStatus& status, const char* what) {
  status_.unreachable(nowNanos(), status.message);
  // One line when the trouble starts, not one per retry.
  if (failures_++ == 0) util::logError(what, {{"err", status.message}});
  pause();
}

void FeedFollower::pause() {
  int ms = std::min(kMaxPauseMs, 100 << std::min(failures_, 5));
  std::unique_lock<std::mutex> lock(mu_);
  stop_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_.load(); });
}

}  // namespace ferry::core::store
