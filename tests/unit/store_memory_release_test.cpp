// After the store shrank a lot, caches built for the store as it was are released before the
// freed memory is given back to the system (core/util/memory_trimmer.h says why).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "core/store/exposition.h"
#include "core/store/store.h"
#include "store_test_support.h"

namespace ferry::core::store {
namespace {

using test_support::parse;

// Waits (bounded) until the store gave memory back `n` times; never a timing assertion alone.
bool trimsReach(const Store& store, uint64_t n) {
  for (int i = 0; i < 1000 && store.memoryTrims() < n; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return store.memoryTrims() >= n;
}

// Enough stored bytes (several MiB) that removing them all falls by more than 1 MiB to below
// half of the peak: the trimmer's condition.
void fill(Store& store, const std::string& job) {
  for (int g = 0; g < 40; ++g) {
    std::string text = "# TYPE release_m gauge\n";
    for (int i = 0; i < 1000; ++i) {
      text += "release_m{series=\"s" + std::to_string(i) + "\"} " + std::to_string(i) + "\n";
    }
    model::LabelMap labels = {{"job", job}, {"instance", "i" + std::to_string(g)}};
    ASSERT_TRUE(store.push(labels, parse(text), true).ok());
  }
}

void scrapeBothFormats(Exposition& exposition) {
  EXPECT_FALSE(exposition.render(expo::Format::kText, {}).join().empty());
  EXPECT_FALSE(exposition.render(expo::Format::kProtoDelimited, {}).join().empty());
}

TEST(StoreMemoryRelease, AWipeReleasesTheScrapeCacheBeforeTheTrim) {
  Store store{nullptr, {}};
  Exposition exposition{store};
  fill(store, "release");
  ASSERT_GT(store.storedBytes(), size_t{4} << 20);
  scrapeBothFormats(exposition);
  EXPECT_TRUE(exposition.holdsCache());
  EXPECT_EQ(store.memoryTrims(), 0u);

  ASSERT_TRUE(store.wipe().ok());
  ASSERT_TRUE(trimsReach(store, 1));
  // Released by the trim thread just before it trimmed, not by a later scrape.
  EXPECT_FALSE(exposition.holdsCache());

  // The next scrape renders the store as it is now, and caches it again.
  EXPECT_EQ(exposition.render(expo::Format::kText, {}).join(), "");
  EXPECT_TRUE(exposition.holdsCache());
}

TEST(StoreMemoryRelease, DeletingEveryGroupReleasesTheScrapeCache) {
  Store store{nullptr, {}};
  Exposition exposition{store};
  fill(store, "release");
  scrapeBothFormats(exposition);
  for (int g = 0; g < 40; ++g) {
    ASSERT_TRUE(store.remove({{"job", "release"}, {"instance", "i" + std::to_string(g)}}).ok());
  }
  ASSERT_TRUE(trimsReach(store, 1));
  // Trims run while the store shrinks; the last one released whatever cache was there.
  uint64_t trims = store.memoryTrims();
  EXPECT_FALSE(exposition.holdsCache()) << trims << " trims";
}

TEST(StoreMemoryRelease, AReleasedExpositionIsNoLongerCalled) {
  Store store{nullptr, {}};
  {
    Exposition gone{store};
    fill(store, "first");
    scrapeBothFormats(gone);
  }
  // The exposition unregistered itself: this trim must not call into it (ASan would see it).
  ASSERT_TRUE(store.wipe().ok());
  ASSERT_TRUE(trimsReach(store, 1));
}

}  // namespace
}  // namespace ferry::core::store
