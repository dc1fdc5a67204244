#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ferry::core::auth {

// Slows down repeated failed logins per client address: the n-th failure in a row is answered
// after initial * 2^(n-1), capped at `max`. Memory-bounded: at most `max_addresses` entries;
// when full, the address that failed longest ago is forgotten. An address that has not failed
// for `forget_after` starts over, and a successful login clears it. Thread-safe.
class FailureThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  struct Options {
    std::chrono::milliseconds initial{100};
    std::chrono::milliseconds max{2000};
    size_t max_addresses = 10000;
    std::chrono::seconds forget_after{600};
  };
  explicit FailureThrottle(Options options) : options_(options) {}

  // Records a failure and returns how long its answer should wait.
  std::chrono::milliseconds recordFailure(const std::string& address, Clock::time_point now);
  std::chrono::milliseconds recordFailure(const std::string& address) {
    return recordFailure(address, Clock::now());
  }
  void recordSuccess(const std::string& address);

  size_t size() const;
  unsigned failures(const std::string& address) const;  // 0 when unknown

 private:
  struct Entry {
    unsigned failures = 0;
    Clock::time_point last;
  };
  void evictOldest();

  Options options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace ferry::core::auth
