#include "core/util/memory_trimmer.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "core/util/log.h"

namespace ferry::core::util {

MemoryTrimmer::~MemoryTrimmer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MemoryTrimmer::storeSize(size_t bytes) {
  std::lock_guard lock(mu_);
  if (bytes > peak_) peak_ = bytes;
  const size_t dropped = peak_ - bytes;
  if (dropped < threshold_ && (dropped < min_ || bytes > peak_ / 2)) return;
  peak_ = bytes;
  pending_ = true;
  if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
  cv_.notify_one();
}

uint64_t MemoryTrimmer::trims() const {
  std::lock_guard lock(mu_);
  return trims_;
}

void MemoryTrimmer::loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return pending_ || stop_; });
    if (stop_) return;
    pending_ = false;
    lock.unlock();
    size_t before = residentBytes();
    malloc_trim(0);
    size_t after = residentBytes();
    logDebug("returned freed memory to the system", {{"rss_before_bytes", std::to_string(before)},
                                                     {"rss_after_bytes", std::to_string(after)}});
    lock.lock();
    ++trims_;
  }
}

size_t residentBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, resident = 0;
  int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  if (n != 2) return 0;
  return static_cast<size_t>(resident) * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace ferry::core::util
