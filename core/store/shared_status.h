#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace ferry::core::store {

// How a replica on a shared store (ABI 1.2, FERRY_STORAGE_SHARED) is doing, for /-/ready and
// the ferry_storage_* metrics. Written by the feed follower and the writer, read by anyone.
class SharedStoreStatus {
 public:
  // False until the first snapshot is applied, and again while a feed gap is being resynced:
  // the state served meanwhile may be missing what other replicas committed.
  bool ready() const { return ready_.load(std::memory_order_acquire); }
  // False from a failed call to the store until the next successful one.
  bool up() const { return up_.load(std::memory_order_acquire); }
  // How far the applied state is behind the store: 0 when the follower last found nothing
  // new; the age of the newest applied commit while it is catching up; while the store cannot
  // be read, the time since the follower last knew it was up to date.
  double feedLagSeconds(int64_t now_nanos) const;

  void setReady(bool ready) { ready_.store(ready, std::memory_order_release); }
  // A call reached the store. `behind_nanos`: the age of the newest commit just applied (0 when
  // the follower is at the head).
  void reached(int64_t now_nanos, int64_t behind_nanos);
  // A call could not reach the store; `message` is the plugin's (it names the server).
  void unreachable(int64_t now_nanos, const std::string& message);
  // The message of the last failed call.
  std::string lastError() const;

 private:
  std::atomic<bool> ready_{false};
  std::atomic<bool> up_{true};
  std::atomic<int64_t> lag_nanos_{0};
  std::atomic<int64_t> current_at_nanos_{0};  // when the follower last knew it was current
  std::atomic<int64_t> down_since_nanos_{0};  // 0 while the store is reachable
  mutable std::mutex error_mu_;
  std::string last_error_;
};

}  // namespace ferry::core::store
