#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "core/plugin_host/plugin_instance.h"
#include "core/store/shared_status.h"

namespace ferry::core::store {

class Store;

// Keeps a replica's live state in step with a shared store (ABI 1.2): takes a snapshot at
// start, then applies what every replica commits, in position order, from the store's change
// feed (the replica's own commits come back too and are skipped by position). When the feed
// cannot continue (FERRY_ERR_FEED_GAP: trimmed past this replica's position, or the store was
// reset or rolled back by a failover) it takes a snapshot again; the replica is not ready
// meanwhile. When the store cannot be reached it retries with a growing pause and the replica
// keeps serving the state it has.
//
// One thread, the only one that calls snapshot and read_changes, as the ABI requires.
class FeedFollower {
 public:
  FeedFollower(Store& store, plugin_host::StoragePluginInstance& storage,
               SharedStoreStatus& status);
  ~FeedFollower();
  FeedFollower(const FeedFollower&) = delete;
  FeedFollower& operator=(const FeedFollower&) = delete;

  void start();
  void stop();

 private:
  void run();
  // Replaces the live state with a snapshot of the store; false if it could not be taken.
  bool resync();
  // Records a failed call; returns after a pause (shorter when stopping).
  void failed(const plugin_host::CallStatus& status, const char* what);
  void pause();

  Store& store_;
  plugin_host::StoragePluginInstance& storage_;
  SharedStoreStatus& status_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable stop_cv_;
  std::atomic<bool> stopping_{false};
  int failures_ = 0;  // in a row, for the pause and for logging only the first
};

}  // namespace ferry::core::store
