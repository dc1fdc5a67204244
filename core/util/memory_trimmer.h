#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

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
// same wipe.)
//
// Two things kept memory after a wipe of a store that had been scraped (bench/README.md has the
// figures): caches built for the store as it was (the scrape cache) were freed only at the next
// scrape, after the trim had run, so "releasers" now run on the trim thread just before each
// trim; and malloc_trim does not return the free top of a per-thread arena's heap, which glibc
// shrinks only at free() and only above its trim threshold, a threshold glibc raises (up to
// 64 MiB) each time a large mmapped block is freed: see pinAllocatorThresholds().
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

  // Destroys `garbage` on the trim thread, before a trim that follows: used for removed groups.
  // glibc keeps up to 7 freed chunks of each small size in a per-thread cache that no trim
  // reaches, each pinning its page; when every request thread that ran a DELETE freed removed
  // groups itself, those caches held a few MiB of the old store's pages (measured after 10,000
  // DELETEs: 2.1x the fresh RSS; 1.9x with glibc's thread cache off). Freed here, they pass
  // through one thread's cache only, and the request is answered without waiting for the frees.
  void dispose(std::shared_ptr<void> garbage);

  // Runs `release` on the trim thread before every trim, so what it frees is returned by that
  // trim. It must not add or remove releasers. Returns the id for removeReleaser().
  uint64_t addReleaser(std::function<void()> release);
  // When this returns, the releaser is not running and will not run again.
  void removeReleaser(uint64_t id);

 private:
  void loop();
  void wake();  // with mu_ held: starts the thread at first use, and wakes it

  const size_t threshold_;
  const size_t min_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  size_t peak_ = 0;  // largest size since the last trim was requested
  bool pending_ = false;
  bool stop_ = false;
  uint64_t trims_ = 0;
  std::vector<std::shared_ptr<void>> garbage_;
  std::thread thread_;  // started at the first trim
  // Held while the releasers run, so removeReleaser() waits for a running one.
  std::mutex releasers_mu_;
  std::map<uint64_t, std::function<void()>> releasers_;
  uint64_t next_releaser_ = 0;
};

// Pins glibc's mmap and trim thresholds at 1 MiB, unless the environment sets malloc options
// itself (GLIBC_TUNABLES, MALLOC_*_). Call once at start-up, before other threads exist. Why:
// glibc raises both thresholds each time it frees a block it had mmapped (a large scrape body, a
// growing index), up to 32 and 64 MiB. Then a per-thread arena keeps up to 64 MiB of free memory
// at the top of its heap, which malloc_trim(0) never returns (it returns free pages inside the
// heaps, and trims the top of the main heap only; glibc shrinks another arena's heap only at a
// free(), when its top passed the trim threshold). Measured with bench/memory_return.py: about
// 16 MiB left in 16 arenas' tops after wiping a scraped 1M-series store. Pinned, blocks of 1 MiB
// or more are mmapped and unmapped at free(), and each heap shrinks once its top passes 1 MiB.
void pinAllocatorThresholds();

// Resident set size of this process in bytes (from /proc/self/statm), 0 if unknown.
size_t residentBytes();

}  // namespace ferry::core::util
