// The core's Store on top of the `file` storage plugin: the exposition (groups, values, push and
// failure times) is identical after the plugin is destroyed and opened again from its file.
#include <gtest/gtest.h>

#include "core/store/exposition.h"
#include "core/store/store.h"
#include "file_test_support.h"
#include "store_test_support.h"

namespace ferry::core::store {
namespace {

using plugins::file::testing::FilePlugin;
using plugins::file::testing::TempDir;

using test_support::parse;

std::string scrape(Store& store) {
  return Exposition(store).render(expo::Format::kText, {}).join();
}

// Pushes a mix of groups: values, a label value with a slash, an empty label value, a
// rejected push (failure time only) and a deleted group.
void fill(Store& store) {
  ASSERT_TRUE(store
                  .push({{"job", "p"}, {"instance", "i1"}},
                        parse("# HELP persist_me Persisted.\n# TYPE persist_me gauge\n"
                              "persist_me{a=\"b\"} 42\n"),
                        false)
                  .ok());
  ASSERT_TRUE(store.push({{"job", "p2"}, {"el", ""}}, parse("empty_lbl 1\n"), false).ok());
  ASSERT_TRUE(
      store
          .push({{"job", "h"}, {"path", "/var/x"}},
                parse("# TYPE lat histogram\nlat_bucket{le=\"1\"} 2\nlat_bucket{le=\"+Inf\"} "
                      "3\nlat_sum 4.5\nlat_count 3\n"),
                true)
          .ok());
  ASSERT_FALSE(store.push({{"job", "bad"}}, parse("ts 1 1600000000000\n"), false).ok());
  ASSERT_TRUE(store.push({{"job", "gone"}}, parse("x 1\n"), false).ok());
  ASSERT_TRUE(store.remove({{"job", "gone"}}).ok());
}

void expectSurvivesReopen(const std::string& interval) {
  TempDir dir;
  FilePlugin plugin;
  const std::string path = dir.file("store.snap");
  std::string before;
  {
    auto storage = plugin.open(path, interval);
    Store store(storage.get(), {});
    store.load();
    fill(store);
    before = scrape(store);
    store.flush();  // what the core does at a clean shutdown
  }
  auto storage = plugin.open(path, interval);
  Store reloaded(storage.get(), {});
  reloaded.load();
  EXPECT_EQ(scrape(reloaded), before);
  EXPECT_EQ(reloaded.groupCount(), 4u);
  EXPECT_NE(before.find("persist_me{a=\"b\",instance=\"i1\",job=\"p\"} 42"), std::string::npos);
  EXPECT_NE(before.find("push_failure_time_seconds{instance=\"\",job=\"bad\"} 1."),
            std::string::npos)
      << before;
}

TEST(FileStoreTest, StateSurvivesReopenWithIntervalZero) { expectSurvivesReopen("0s"); }

TEST(FileStoreTest, StateSurvivesReopenWithLongIntervalAfterShutdownFlush) {
  expectSurvivesReopen("1h");
}

// Without a flush, the plugin's destructor still saves what changed (interval 1h).
TEST(FileStoreTest, DestroyWithoutFlushStillSaves) {
  TempDir dir;
  FilePlugin plugin;
  const std::string path = dir.file("store.snap");
  std::string before;
  {
    auto storage = plugin.open(path, "1h");
    Store store(storage.get(), {});
    fill(store);
    before = scrape(store);
  }
  auto storage = plugin.open(path, "1h");
  Store reloaded(storage.get(), {});
  reloaded.load();
  EXPECT_EQ(scrape(reloaded), before);
}

}  // namespace
}  // namespace ferry::core::store
