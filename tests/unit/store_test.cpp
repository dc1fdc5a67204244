#include "core/store/store.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/plugin_host/plugin_registry.h"
#include "core/store/exposition.h"
#include "store_test_support.h"

namespace ferry::core::store {
namespace {

using test_support::parse;

OwnFamilyTypes ownTypes() {
  return {{"pushgateway_http_requests_total", pb::COUNTER}, {"ferry_store_groups", pb::GAUGE}};
}

class StoreTest : public ::testing::Test {
 protected:
  WriteResult put(const model::LabelMap& labels, const std::string& text) {
    return store_.push(labels, parse(text), true);
  }
  WriteResult post(const model::LabelMap& labels, const std::string& text) {
    return store_.push(labels, parse(text), false);
  }
  std::string scrape() { return exposition_.render(expo::Format::kText, {}).join(); }
  // The scrape's lines that mention `needle`, joined by "\n".
  std::string lines(const std::string& needle) {
    std::string out, text = scrape();
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      std::string line = text.substr(pos, end - pos);
      if (line.find(needle) != std::string::npos) out += line + "\n";
      pos = end + 1;
    }
    return out;
  }
  const Group* group(const model::LabelMap& labels) {
    return store_.read([&](const StoreView& view) -> const Group* {
      auto it = view.groups.find(model::groupingKeyString(labels));
      return it == view.groups.end() ? nullptr : it->second.get();
    });
  }

  Store store_{nullptr, ownTypes()};
  Exposition exposition_{store_};
};

const model::LabelMap kJob1 = {{"job", "j1"}, {"instance", "i1"}};

TEST_F(StoreTest, PutCreatesGroupWithTimestampGauges) {
  ASSERT_TRUE(put(kJob1, "# TYPE m_a counter\nm_a{x=\"1\"} 1\nm_b 2\n").ok());
  std::string got = lines("job=\"j1\"");
  EXPECT_EQ(
      got.find("m_a{instance=\"i1\",job=\"j1\",x=\"1\"} 1\nm_b{instance=\"i1\",job=\"j1\"} 2\n"
               "push_failure_time_seconds{instance=\"i1\",job=\"j1\"} 0\n"
               "push_time_seconds{instance=\"i1\",job=\"j1\"} 1."),
      0u)
      << got;
  const Group* g = group(kJob1);
  ASSERT_NE(g, nullptr);
  EXPECT_GT(g->pushTime(), 1.7e9);
  EXPECT_EQ(g->failureTime(), 0);
}

TEST_F(StoreTest, PostReplacesOnlySameNamedFamilies) {
  ASSERT_TRUE(put(kJob1, "m_a 1\nm_b 2\n").ok());
  ASSERT_TRUE(post(kJob1, "m_b 20\nm_c 30\n").ok());
  std::string got = lines("job=\"j1\"");
  EXPECT_NE(got.find("m_a{instance=\"i1\",job=\"j1\"} 1\n"), std::string::npos) << got;
  EXPECT_NE(got.find("m_b{instance=\"i1\",job=\"j1\"} 20\n"), std::string::npos) << got;
  EXPECT_NE(got.find("m_c{instance=\"i1\",job=\"j1\"} 30\n"), std::string::npos) << got;
}

TEST_F(StoreTest, PostReplacesWholeFamilyNotSeries) {
  ASSERT_TRUE(post({{"job", "series"}}, "m{a=\"1\"} 1\n").ok());
  ASSERT_TRUE(post({{"job", "series"}}, "m{a=\"2\"} 2\n").ok());
  EXPECT_EQ(lines("m{"), "m{a=\"2\",instance=\"\",job=\"series\"} 2\n");
}

TEST_F(StoreTest, PutReplacesEverythingAndEmptyPutKeepsTheGroup) {
  ASSERT_TRUE(put(kJob1, "m_a 1\nm_b 2\n").ok());
  ASSERT_TRUE(put(kJob1, "m_d 4\n").ok());
  EXPECT_EQ(lines("m_d{"), "m_d{instance=\"i1\",job=\"j1\"} 4\n");
  ASSERT_TRUE(put(kJob1, "").ok());
  EXPECT_EQ(lines("m_"), "");
  ASSERT_NE(group(kJob1), nullptr);
  EXPECT_NE(lines("push_time_seconds{instance=\"i1\",job=\"j1\"}"), "");
}

TEST_F(StoreTest, DeleteRemovesOnlyThatGroup) {
  ASSERT_TRUE(put(kJob1, "m 1\n").ok());
  ASSERT_TRUE(put({{"job", "j1"}}, "m 2\n").ok());
  ASSERT_TRUE(store_.remove(kJob1).ok());
  EXPECT_EQ(group(kJob1), nullptr);
  EXPECT_EQ(lines("m{"), "m{instance=\"\",job=\"j1\"} 2\n");
  EXPECT_TRUE(store_.remove({{"job", "absent"}}).ok());
}

TEST_F(StoreTest, UrlLabelsOverrideBodyLabelsAndInstanceIsAdded) {
  ASSERT_TRUE(post({{"job", "jl2"}, {"instance", "url_inst"}, {"zone", "url_zone"}},
                   "lbl{job=\"other\",instance=\"inst_body\",zone=\"body\"} 1\n")
                  .ok());
  EXPECT_EQ(lines("lbl{"), "lbl{instance=\"url_inst\",job=\"jl2\",zone=\"url_zone\"} 1\n");
  ASSERT_TRUE(post({{"job", "jl"}}, "keep{instance=\"inst_body\",foo=\"bar\"} 1\n").ok());
  EXPECT_EQ(lines("keep{"), "keep{foo=\"bar\",instance=\"inst_body\",job=\"jl\"} 1\n");
}

TEST_F(StoreTest, TypeClashAcrossGroupsIsRejectedAndRecordedAsFailure) {
  ASSERT_TRUE(post({{"job", "jc1"}}, "# TYPE cons counter\ncons 1\n").ok());
  auto result = post({{"job", "jc2"}}, "# TYPE cons gauge\ncons 1\n");
  ASSERT_EQ(result.code, WriteResult::Code::kInvalid);
  EXPECT_EQ(result.message,
            "pushed metrics are invalid or inconsistent with existing metrics: collected metric "
            "\"cons\" { label:<name:\"instance\" value:\"\" > label:<name:\"job\" value:\"jc2\" > "
            "gauge:<value:1 > } is not a COUNTER");
  const Group* failed = group({{"job", "jc2"}});
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->pushTime(), 0);
  EXPECT_GT(failed->failureTime(), 1.7e9);
  EXPECT_EQ(lines("cons{"), "cons{instance=\"\",job=\"jc1\"} 1\n");
}

TEST_F(StoreTest, TypeChangeWithinTheSameGroupIsAllowed) {
  ASSERT_TRUE(put({{"job", "t"}}, "# TYPE tc counter\ntc 1\n").ok());
  ASSERT_TRUE(put({{"job", "t"}}, "# TYPE tc gauge\ntc 1\n").ok());
  ASSERT_TRUE(post({{"job", "t"}}, "# TYPE tc untyped\ntc 1\n").ok());
}

TEST_F(StoreTest, DuplicateSeriesAcrossGroupsIsRejected) {
  ASSERT_TRUE(post({{"job", "xd"}}, "xdup{instance=\"i\"} 1\n").ok());
  auto result = post({{"job", "xd"}, {"instance", "i"}}, "xdup 2\n");
  ASSERT_EQ(result.code, WriteResult::Code::kInvalid);
  EXPECT_NE(result.message.find("was collected before with the same name and label values"),
            std::string::npos)
      << result.message;
}

TEST_F(StoreTest, DuplicateSeriesWithinAPushIsRejected) {
  auto result = post({{"job", "jdup"}}, "dup{a=\"1\"} 1\ndup{a=\"1\"} 2\n");
  ASSERT_EQ(result.code, WriteResult::Code::kInvalid);
  EXPECT_EQ(result.message,
            "pushed metrics are invalid or inconsistent with existing metrics: collected metric "
            "\"dup\" { label:<name:\"a\" value:\"1\" > label:<name:\"instance\" value:\"\" > "
            "label:<name:\"job\" value:\"jdup\" > untyped:<value:2 > } was collected before with "
            "the same name and label values");
}

TEST_F(StoreTest, TimestampsAreRejected) {
  auto result = post({{"job", "jts"}}, "ts_metric 1 1600000000000\n");
  ASSERT_EQ(result.code, WriteResult::Code::kInvalid);
  EXPECT_EQ(result.message,
            "pushed metrics are invalid or inconsistent with existing metrics: pushed metrics "
            "must not have timestamps");
  const Group* g = group({{"job", "jts"}});
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->pushTime(), 0);
  EXPECT_GT(g->failureTime(), 0);
}

TEST_F(StoreTest, ReservedLabelNameIsRejected) {
  auto result = post({{"job", "jbad"}}, "good{__reserved=\"x\"} 1\n");
  ASSERT_EQ(result.code, WriteResult::Code::kInvalid);
  EXPECT_NE(result.message.find("has a label with an invalid name: __reserved"), std::string::npos);
}

TEST_F(StoreTest, SummarySuffixCollisionsAreRejectedBothWays) {
  ASSERT_TRUE(post({{"job", "sc1"}}, "# TYPE sc summary\nsc_sum 1\nsc_count 1\n").ok());
  auto result = post({{"job", "sc2"}}, "sc_count 5\n");
  ASSERT_EQ(result.code, WriteResult::Code::kInvalid);
  EXPECT_EQ(result.message,
            "pushed metrics are invalid or inconsistent with existing metrics: collected metric "
            "named \"sc_count\" collides with previously collected summary named \"sc\"");
  ASSERT_TRUE(post({{"job", "h1"}}, "hc_bucket 1\n").ok());
  result = post({{"job", "h2"}}, "# TYPE hc histogram\nhc_bucket{le=\"1\"} 1\nhc_count 1\n");
  ASSERT_EQ(result.code, WriteResult::Code::kInvalid);
  EXPECT_NE(result.message.find("collected histogram named \"hc\" collides with previously "
                                "collected metric named \"hc_bucket\""),
            std::string::npos)
      << result.message;
}

TEST_F(StoreTest, OwnMetricTypeClashIsRejected) {
  auto result = post({{"job", "gt"}}, "# TYPE ferry_store_groups counter\nferry_store_groups 5\n");
  ASSERT_EQ(result.code, WriteResult::Code::kInvalid);
  EXPECT_EQ(result.message,
            "pushed metrics are invalid or inconsistent with existing metrics: gathered metric "
            "family ferry_store_groups has type COUNTER but should have GAUGE");
}

// Pushgateway creates {job="x",instance=""} although its gauges duplicate {job="x"}'s, and
// then every scrape fails with 500 (spec §4.5.1). Ferry refuses and the scrape keeps working.
TEST_F(StoreTest, EmptyInstanceGroupCollisionNeverBreaksTheScrape) {
  ASSERT_TRUE(post({{"job", "x"}}, "m 1\n").ok());
  auto result = post({{"job", "x"}, {"instance", ""}}, "m 2\n");
  ASSERT_EQ(result.code, WriteResult::Code::kInvalid);
  EXPECT_EQ(group({{"job", "x"}, {"instance", ""}}), nullptr);
  EXPECT_EQ(lines("push_time_seconds{").find("job=\"x\""),
            lines("push_time_seconds{").rfind("job=\"x\""));
  EXPECT_EQ(store_.groupCount(), 1u);
}

TEST_F(StoreTest, PushedTimestampGaugesAreReplaced) {
  ASSERT_TRUE(post({{"job", "ovr"}}, "push_time_seconds 42\nother_m 1\n").ok());
  EXPECT_EQ(lines("push_time_seconds{instance=\"\",job=\"ovr\"} 42"), "");
}

TEST_F(StoreTest, FamiliesMergeAcrossGroupsSortedWithDeterministicHelp) {
  ASSERT_TRUE(post({{"job", "b"}}, "# HELP cons B help\n# TYPE cons counter\ncons 5\n").ok());
  ASSERT_TRUE(post({{"job", "a"}}, "# TYPE cons counter\ncons 1\n").ok());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(lines("cons"),
              "# HELP cons B help\n# TYPE cons counter\ncons{instance=\"\",job=\"a\"} 1\n"
              "cons{instance=\"\",job=\"b\"} 5\n");
  }
}

// The Go client pushes a metric without Help as a protobuf family with help set to "": 1.5.1
// exposes "# HELP name " for it (text) and an empty help field (protobuf), and nothing for a
// family whose HELP was never set.
TEST_F(StoreTest, EmptyHelpIsKeptApartFromNoHelp) {
  auto families = parse("# TYPE blank gauge\nblank 1\n# TYPE unset gauge\nunset 2\n");
  ASSERT_EQ(families[0].name(), "blank");
  families[0].set_help("");
  ASSERT_TRUE(store_.push({{"job", "go"}}, families, true).ok());
  EXPECT_EQ(lines("blank"),
            "# HELP blank \n# TYPE blank gauge\nblank{instance=\"\",job=\"go\"} 1\n");
  EXPECT_EQ(lines("unset"), "# TYPE unset gauge\nunset{instance=\"\",job=\"go\"} 2\n");
  using namespace std::string_literals;
  std::string proto = exposition_.render(expo::Format::kProtoDelimited, {}).join();
  // Name (field 1), help (field 2, empty) or none, type (field 3) GAUGE.
  EXPECT_NE(proto.find("\n\005blank\022\000\030\001"s), std::string::npos);
  EXPECT_NE(proto.find("\n\005unset\030\001"s), std::string::npos);
  // A group that never set HELP does not take the empty HELP away from the merged family.
  ASSERT_TRUE(post({{"job", "text"}}, "# TYPE blank gauge\nblank 3\n").ok());
  EXPECT_EQ(lines("# HELP blank"), "# HELP blank \n");
}

TEST_F(StoreTest, SeriesOrderMatchesPushgateway) {
  ASSERT_TRUE(
      post({{"job", "ord"}}, "ord{a=\"z\"} 1\nord{b=\"a\"} 2\nord 3\nord{a=\"a\",c=\"c\"} 4\n")
          .ok());
  EXPECT_EQ(lines("ord{"),
            "ord{instance=\"\",job=\"ord\"} 3\n"
            "ord{b=\"a\",instance=\"\",job=\"ord\"} 2\n"
            "ord{a=\"z\",instance=\"\",job=\"ord\"} 1\n"
            "ord{a=\"a\",c=\"c\",instance=\"\",job=\"ord\"} 4\n");
}

TEST_F(StoreTest, WipeRemovesEverything) {
  ASSERT_TRUE(post({{"job", "a"}}, "m 1\n").ok());
  ASSERT_TRUE(post({{"job", "b"}}, "m 1\n").ok());
  ASSERT_TRUE(store_.wipe().ok());
  EXPECT_EQ(store_.groupCount(), 0u);
  EXPECT_EQ(scrape(), "");
}

TEST_F(StoreTest, ScrapeCacheFollowsWrites) {
  ASSERT_TRUE(post({{"job", "c"}}, "cache_m 1\n").ok());
  EXPECT_NE(scrape().find("cache_m{instance=\"\",job=\"c\"} 1\n"), std::string::npos);
  ASSERT_TRUE(post({{"job", "c"}}, "cache_m 2\n").ok());
  EXPECT_NE(scrape().find("cache_m{instance=\"\",job=\"c\"} 2\n"), std::string::npos);
}

TEST_F(StoreTest, OwnFamiliesMergeIntoTheScrapeByName) {
  ASSERT_TRUE(post({{"job", "o"}}, "aaa 1\nzzz 1\n").ok());
  pb::MetricFamily own;
  own.set_name("mmm");
  own.set_type(pb::GAUGE);
  own.add_metric()->mutable_gauge()->set_value(7);
  std::string text = exposition_.render(expo::Format::kText, {own}).join();
  size_t a = text.find("aaa{"), m = text.find("mmm 7"), z = text.find("zzz{");
  ASSERT_NE(m, std::string::npos) << text;
  EXPECT_LT(a, m);
  EXPECT_LT(m, z);
}

TEST_F(StoreTest, ConcurrentPushesAndScrapesStayConsistent) {
  constexpr int kThreads = 4, kGroupsPerThread = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kGroupsPerThread; ++i) {
        model::LabelMap labels = {{"job", "conc"}, {"instance", std::to_string(t * 1000 + i)}};
        ASSERT_TRUE(store_.push(labels, parse("# TYPE cm counter\ncm 1\n"), true).ok());
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 50; ++i) scrape();
  });
  for (auto& t : threads) t.join();
  EXPECT_EQ(store_.groupCount(), static_cast<size_t>(kThreads * kGroupsPerThread));
  std::string text = scrape();
  size_t count = 0;
  for (size_t pos = text.find("\ncm{"); pos != std::string::npos;
       pos = text.find("\ncm{", pos + 1)) {
    ++count;
  }
  EXPECT_EQ(count, static_cast<size_t>(kThreads * kGroupsPerThread));
}

TEST(StoreStorage, StateSurvivesReloadFromStorage) {
  plugin_host::PluginRegistry registry(FERRY_TEST_PLUGIN_DIR);
  plugin_host::StoragePluginInstance storage(registry.require(FERRY_KIND_STORAGE, "memory"), "{}");
  std::string before;
  {
    Store store(&storage, {});
    ASSERT_TRUE(store
                    .push({{"job", "p"}, {"instance", "i1"}},
                          parse("# HELP persist_me Persisted.\n# TYPE persist_me gauge\n"
                                "persist_me{a=\"b\"} 42\n"),
                          false)
                    .ok());
    ASSERT_TRUE(store.push({{"job", "p2"}, {"el", ""}}, parse("empty_lbl 1\n"), false).ok());
    ASSERT_TRUE(store.push({{"job", "gone"}}, parse("x 1\n"), false).ok());
    ASSERT_TRUE(store.remove({{"job", "gone"}}).ok());
    before = Exposition(store).render(expo::Format::kText, {}).join();
  }
  Store reloaded(&storage, {});
  reloaded.load();
  EXPECT_EQ(Exposition(reloaded).render(expo::Format::kText, {}).join(), before);
  EXPECT_EQ(reloaded.groupCount(), 2u);
}

}  // namespace
}  // namespace ferry::core::store
