#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/store/store.h"

namespace ferry::core::store {

// Expires groups at their deadline (docs/configuration.md, "Group lifecycle"): a thread that
// looks at the store's soonest deadline (O(1)) a few times a second and, when it has passed,
// expires the due groups in writes of at most Store::kExpireBatch, so expiry happens within a
// second of the deadline, costs O(expired groups), and queues behind pushes like any write.
class GroupExpirer {
 public:
  explicit GroupExpirer(Store& store);
  ~GroupExpirer();
  GroupExpirer(const GroupExpirer&) = delete;
  GroupExpirer& operator=(const GroupExpirer&) = delete;

  // Expires everything due now, on the caller's thread (at start, before serving).
  static void expireDue(Store& store);
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
