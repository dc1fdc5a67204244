#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/store/store.h"

namespace ferry::core::store {

// Expires groups at their deadline (docs/configuration.md, "Group lifecycle"): a thread that
// looks at the store's soonest deadline (O(1)) a few times a second and, when it has passed,
// expires the due groups in bounded writes (Store::ExpiryBatch), so expiry happens within a
// second of the deadline, costs O(expired groups), and queues behind pushes like any write:
// a push waits for at most one expiry batch.
class GroupExpirer {
 public:
  explicit GroupExpirer(Store& store);
  ~GroupExpirer();
  GroupExpirer(const GroupExpirer&) = delete;
  GroupExpirer& operator=(const GroupExpirer&) = delete;

  // Expires everything due at `now_nanos`, batch by batch, on the caller's thread (at start,
  // before serving, and at each tick).
  static void expireDue(Store& store, int64_t now_nanos);
  void stop();

 private:
  void run();

  Store& store_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ferry::core::store
