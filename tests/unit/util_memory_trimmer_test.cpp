#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "core/util/memory_trimmer.h"

namespace ferry::core::util {
namespace {

// Waits (bounded) until `trimmer` ran `n` trims; never a timing assertion on its own.
bool trimsReach(const MemoryTrimmer& trimmer, uint64_t n) {
  for (int i = 0; i < 1000 && trimmer.trims() < n; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return trimmer.trims() >= n;
}

TEST(MemoryTrimmer, TrimsWhenTheStoreFellByTheThreshold) {
  MemoryTrimmer trimmer(/*threshold_bytes=*/10000, /*min_bytes=*/100);
  trimmer.storeSize(500);
  trimmer.storeSize(50000);
  trimmer.storeSize(45000);  // 5000 below the peak, far from half: pushes that replaced data
  trimmer.storeSize(52000);
  EXPECT_EQ(trimmer.trims(), 0u);
  trimmer.storeSize(41000);  // 11000 below the peak
  EXPECT_TRUE(trimsReach(trimmer, 1));
  trimmer.storeSize(35000);  // the peak starts again from 41000
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(trimmer.trims(), 1u);
  trimmer.storeSize(30000);
  EXPECT_TRUE(trimsReach(trimmer, 2));
}

TEST(MemoryTrimmer, TrimsWhenTheStoreFellToHalfItsPeak) {
  MemoryTrimmer trimmer(/*threshold_bytes=*/10000, /*min_bytes=*/100);
  trimmer.storeSize(8000);
  trimmer.storeSize(4500);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(trimmer.trims(), 0u);
  trimmer.storeSize(3900);  // the last of many deletes: below half of 8000
  EXPECT_TRUE(trimsReach(trimmer, 1));
  trimmer.storeSize(150);  // below half of 3900
  EXPECT_TRUE(trimsReach(trimmer, 2));
  trimmer.storeSize(60);  // more than half of a tiny store gone, but less than min_bytes
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(trimmer.trims(), 2u);
}

TEST(MemoryTrimmer, ReleasersRunBeforeEachTrimUntilRemoved) {
  MemoryTrimmer trimmer(/*threshold_bytes=*/10000, /*min_bytes=*/100);
  std::atomic<int> calls{0};
  std::atomic<uint64_t> trims_before{99};
  uint64_t id = trimmer.addReleaser([&] {
    trims_before = trimmer.trims();
    ++calls;
  });
  trimmer.storeSize(50000);
  EXPECT_EQ(calls.load(), 0);
  trimmer.storeSize(100);
  ASSERT_TRUE(trimsReach(trimmer, 1));
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(trims_before.load(), 0u);  // it ran before the trim, whose memory it freed
  trimmer.removeReleaser(id);
  trimmer.storeSize(50000);
  trimmer.storeSize(100);
  ASSERT_TRUE(trimsReach(trimmer, 2));
  EXPECT_EQ(calls.load(), 1);
}

// Removed groups are freed on the trimmer's thread, and before the trim that follows.
TEST(MemoryTrimmer, DisposedGarbageIsFreedOnItsThreadBeforeTheTrim) {
  MemoryTrimmer trimmer(/*threshold_bytes=*/10000, /*min_bytes=*/100);
  struct Probe {
    Probe(MemoryTrimmer& t, std::atomic<bool>& f, std::atomic<uint64_t>& b)
        : trimmer(t), freed_here(f), trims_before(b), caller(std::this_thread::get_id()) {}
    MemoryTrimmer& trimmer;
    std::atomic<bool>& freed_here;
    std::atomic<uint64_t>& trims_before;
    std::thread::id caller;
    ~Probe() {
      freed_here = std::this_thread::get_id() == caller;
      trims_before = trimmer.trims();
    }
  };
  std::atomic<bool> freed_here{true};
  std::atomic<uint64_t> trims_before{99};
  trimmer.storeSize(50000);
  trimmer.dispose(std::make_shared<Probe>(trimmer, freed_here, trims_before));
  trimmer.storeSize(100);
  ASSERT_TRUE(trimsReach(trimmer, 1));
  EXPECT_FALSE(freed_here.load());
  EXPECT_EQ(trims_before.load(), 0u);
}

TEST(MemoryTrimmer, ResidentBytesIsReadFromProc) { EXPECT_GT(residentBytes(), 1u << 20); }

}  // namespace
}  // namespace ferry::core::util
