#include "core/store/shared_status.h"

#include <algorithm>

namespace ferry::core::store {

double SharedStoreStatus::feedLagSeconds(int64_t now_nanos) const {
  int64_t lag = lag_nanos_.load(std::memory_order_relaxed);
  if (down_since_nanos_.load(std::memory_order_relaxed) != 0) {
    int64_t current_at = current_at_nanos_.load(std::memory_order_relaxed);
    if (current_at != 0) lag = std::max(lag, now_nanos - current_at);
  }
  return static_cast<double>(std::max<int64_t>(lag, 0)) / 1e9;
}

void SharedStoreStatus::reached(int64_t now_nanos, int64_t behind_nanos) {
  lag_nanos_.store(std::max<int64_t>(behind_nanos, 0), std::memory_order_relaxed);
  if (behind_nanos <= 0) current_at_nanos_.store(now_nanos, std::memory_order_relaxed);
  down_since_nanos_.store(0, std::memory_order_relaxed);
  up_.store(true, std::memory_order_release);
}

void SharedStoreStatus::unreachable(int64_t now_nanos, const std::string& message) {
  {
    std::lock_guard<std::mutex> lock(error_mu_);
    last_error_ = message;
  }
  int64_t expected = 0;
  down_since_nanos_.compare_exchange_strong(expected, now_nanos, std::memory_order_relaxed);
  up_.store(false, std::memory_order_release);
}

std::string SharedStoreStatus::lastError() const {
  std::lock_guard<std::mutex> lock(error_mu_);
  return last_error_;
}

}  // namespace ferry::core::store
