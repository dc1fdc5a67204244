#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>

namespace ferry::core::util {

// Gives freed heap memory back to the operating system after the store shrank a lot.
//
// glibc's malloc keeps memory freed in the middle of its heaps (and in the per-thread arenas)
// for reuse; after a wipe or a large delete the process keeps its peak RSS (measured: 1.0 GB
// after wiping 1M series). malloc_trim(0) returns the free pages of every arena with
// madvise(MADV_DONTNEED). It walks the arenas while holding each one's lock, so it runs on a
// thread of its own, and only when the store shrank a lot since the last trim: by
// `threshold_bytes` below its peak, or to half its peak (at least 1 MiB less), so that the last
// of many deletes is given back too. Pushes that replace their own data keep the store's size
// and never trigger it. (Choosing another allocator instead was measured and not taken:
// bench/memory_return.py; jemalloc with its default decay kept 7-9x the fresh RSS after the
// same wipe, where glibc with malloc_trim returns to 1.1x.)
class MemoryTrimmer {
 public:
  explicit MemoryTrimmer(size_t threshold_bytes = size_t{64} << 20,
                         size_t min_bytes = size_t{1} << 20)
      : threshold_(threshold_bytes), min_(min_bytes) {}
  ~MemoryTrimmer();
  MemoryTrimmer(const MemoryTrimmer&) = delete;
  MemoryTrimmer& operator=(const MemoryTrimmer&) = delete;

  // The store's size after a write; trims in the background when it fell far enough.
  void storeSize(size_t bytes);
  // How many trims ran (tests, telemetry).
  uint64_t trims() const;

 private:
  void loop();

  const size_t threshold_;
  const size_t min_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  size_t peak_ = 0;  // largest size since the last trim was requested
  bool pending_ = false;
  bool stop_ = false;
  uint64_t trims_ = 0;
  std::thread thread_;  // started at the first trim
};

// Resident set size of this process in bytes (from /proc/self/statm), 0 if unknown.
size_t residentBytes();

}  // namespace ferry::core::util
