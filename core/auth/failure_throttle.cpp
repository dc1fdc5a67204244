#include "core/auth/failure_throttle.h"

#include <algorithm>

namespace ferry::core::auth {

std::chrono::milliseconds FailureThrottle::recordFailure(const std::string& address,
                                                         Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = entries_.find(address);
  if (found == entries_.end()) {
    if (options_.max_addresses == 0) return options_.initial;
    if (entries_.size() >= options_.max_addresses) evictOldest();
    found = entries_.emplace(address, Entry{}).first;
  } else if (now - found->second.last > options_.forget_after) {
    found->second.failures = 0;
  }
  Entry& entry = found->second;
  if (entry.failures < 64) ++entry.failures;  // the delay is capped long before this
  entry.last = now;
  auto delay = options_.initial;
  for (unsigned i = 1; i < entry.failures && delay < options_.max; ++i) delay *= 2;
  return std::min(delay, options_.max);
}

void FailureThrottle::recordSuccess(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!entries_.empty()) entries_.erase(address);
}

size_t FailureThrottle::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

unsigned FailureThrottle::failures(const std::string& address) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = entries_.find(address);
  return found == entries_.end() ? 0 : found->second.failures;
}

void FailureThrottle::evictOldest() {
  // Linear, but only when the table is full and only on a failed login.
  auto oldest =
      std::min_element(entries_.begin(), entries_.end(),
                       [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
  if (oldest != entries_.end()) entries_.erase(oldest);
}

}  // namespace ferry::core::auth
