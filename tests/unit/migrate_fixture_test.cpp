// The decoder on files written by the real Pushgateway 1.5.1: the exact groups, values and
// timestamps; the same exposition as that Pushgateway served; and a clear error, never a crash,
// for every truncation and for random corruption.
#include "migrate_fixture.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>

#include "core/migrate/gob_stream.h"
#include "core/migrate/import_groups.h"
#include "core/migrate/pushgateway_file.h"
#include "core/migrate/pushgateway_import.h"
#include "core/plugin_host/plugin_registry.h"
#include "core/store/exposition.h"
#include "core/store/store.h"
#include "core/telemetry/telemetry.h"

namespace ferry::core::migrate {
namespace {

namespace pb = io::prometheus::client;

std::vector<std::unique_ptr<store::Group>> decode(const std::string& data) {
  return toStoreGroups(readPushgatewayFile(data));
}

const store::Group& find(const std::vector<std::unique_ptr<store::Group>>& groups,
                         const model::LabelMap& labels) {
  for (const auto& g : groups) {
    if (g->labels == labels) return *g;
  }
  throw std::runtime_error("no group " + describeGroup(labels));
}

std::string text(const store::StoredFamily& family) {
  std::string out;
  for (int i = 0; i < family.size(); ++i) out += family.text(i);
  return out;
}

TEST(PushgatewayFixtureTest, ReadsEveryGroupExactly) {
  auto groups = decode(readFixture(kBasicFixture));
  ASSERT_EQ(groups.size(), kBasicFixtureGroups);
  size_t series = 0;
  for (const auto& g : groups) series += g->seriesCount();
  EXPECT_EQ(series, kBasicFixtureSeries);

  const store::Group& batch = find(groups, {{"job", "batch"}, {"instance", "host1"}});
  ASSERT_EQ(batch.families.size(), 4u);
  const auto& jobs = *batch.families.at("jobs_processed_total");
  EXPECT_EQ(jobs.type(), pb::COUNTER);
  EXPECT_EQ(jobs.help(), "Jobs processed, by queue.");
  EXPECT_EQ(text(jobs),
            "jobs_processed_total{instance=\"host1\",job=\"batch\",queue=\"a\"} 42\n"
            "jobs_processed_total{instance=\"host1\",job=\"batch\",queue=\"b\"} 7\n");
  const auto& last_run = *batch.families.at("last_run_seconds");
  EXPECT_EQ(last_run.help(), "Unix time of the last run. Quotes \" and \\ in HELP.");
  EXPECT_EQ(last_run.firstGaugeValue(), 1.7e9);
  // The failed push (a type conflict) set the failure time after the push time.
  EXPECT_GT(batch.failureTime(), batch.pushTime());
  EXPECT_LT(batch.failureTime() - batch.pushTime(), 60);
  // Each family keeps the time of the write that set it: push_time_seconds' value.
  EXPECT_NEAR(jobs.timestampNanos() / 1e9, batch.pushTime(), 1e-6);
  EXPECT_NEAR(batch.families.at(store::kPushFailureTimeName)->timestampNanos() / 1e9,
              batch.failureTime(), 1e-6);

  const store::Group& untyped = find(groups, {{"job", "untyped_job"}});
  EXPECT_EQ(untyped.families.at("some_value")->type(), pb::UNTYPED);
  EXPECT_EQ(text(*untyped.families.at("some_value")),
            "some_value{instance=\"\",job=\"untyped_job\",kind=\"x\",note=\"line\\nbreak "
            "\\\"quoted\\\" \\\\ ünïcødé\"} 3.5\n");
  EXPECT_EQ(text(*untyped.families.at("other_value")),
            "other_value{instance=\"\",job=\"untyped_job\"} -0.25\n");
  EXPECT_EQ(untyped.failureTime(), 0);

  const store::Group& latency = find(groups, {{"job", "latency"}, {"instance", "web-1"}});
  const auto histogram = latency.families.at("request_seconds")->message();
  EXPECT_EQ(histogram.type(), pb::HISTOGRAM);
  ASSERT_EQ(histogram.metric_size(), 1);
  EXPECT_EQ(histogram.metric(0).histogram().sample_count(), 6u);
  EXPECT_EQ(histogram.metric(0).histogram().sample_sum(), 2.25);
  ASSERT_EQ(histogram.metric(0).histogram().bucket_size(), 3);
  EXPECT_EQ(histogram.metric(0).histogram().bucket(1).upper_bound(), 0.5);
  EXPECT_EQ(histogram.metric(0).histogram().bucket(1).cumulative_count(), 5u);
  const auto summary = latency.families.at("rpc_seconds")->message();
  EXPECT_EQ(summary.type(), pb::SUMMARY);
  EXPECT_EQ(summary.metric(0).summary().sample_count(), 100u);
  ASSERT_EQ(summary.metric(0).summary().quantile_size(), 2);
  EXPECT_EQ(summary.metric(0).summary().quantile(1).quantile(), 0.99);
  EXPECT_EQ(summary.metric(0).summary().quantile(1).value(), 0.3);

  const store::Group& backup = find(groups, {{"job", "backup/nightly"}, {"path", "/var/lib/data"}});
  EXPECT_EQ(
      text(*backup.families.at("backup_bytes")),
      "backup_bytes{instance=\"\",job=\"backup/nightly\",path=\"/var/lib/data\"} 1.234e+10\n");

  const store::Group& empty = find(groups, {{"job", "empty_label"}, {"region", ""}});
  EXPECT_EQ(empty.key, model::groupingKeyString({{"job", "empty_label"}, {"region", ""}}));
  EXPECT_EQ(text(*empty.families.at("up_flag")),
            "up_flag{instance=\"\",job=\"empty_label\",region=\"\"} 1\n");

  // The pushes were made in this order, a few milliseconds apart.
  EXPECT_LT(batch.families.at(store::kPushTimeName)->timestampNanos(),
            untyped.families.at(store::kPushTimeName)->timestampNanos());
  EXPECT_LT(untyped.pushTime(), latency.pushTime());
  EXPECT_LT(latency.pushTime(), backup.pushTime());
  EXPECT_LT(backup.pushTime(), empty.pushTime());
  EXPECT_GT(batch.pushTime(), 1.7e9);
}

// The lines of a text exposition without the families of Ferry's and the Pushgateway's own
// metrics.
std::string withoutOwnMetrics(const std::string& exposition) {
  std::istringstream in(exposition);
  std::string line, out;
  while (std::getline(in, line)) {
    std::string name = line;
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) name = line.substr(7);
    bool own = false;
    for (const char* prefix : {"pushgateway_", "go_", "process_", "ferry_"}) {
      own = own || name.rfind(prefix, 0) == 0;
    }
    if (!own) out += line + "\n";
  }
  return out;
}

TEST(PushgatewayFixtureTest, ExpositionEqualsThePushgatewayScrape) {
  plugin_host::PluginRegistry registry(FERRY_TEST_PLUGIN_DIR);
  plugin_host::StoragePluginInstance storage(registry.require(FERRY_KIND_STORAGE, "memory"), "{}");
  importPushgatewayData(readFixture(kBasicFixture), storage, telemetry::Telemetry::ownTypes());
  store::Store store(&storage, telemetry::Telemetry::ownTypes());
  store.load();
  store::Exposition exposition(store);
  const std::string ferry = exposition.render(expo::Format::kText, {}).join();
  const std::string pushgateway = readFixture(kBasicFixture, ".scrape.txt");
  ASSERT_FALSE(pushgateway.empty());
  EXPECT_EQ(withoutOwnMetrics(ferry), withoutOwnMetrics(pushgateway));
}

// Whatever a file holds, decoding ends with groups or an exception; with a GobError for every
// cut of a real file (a truncated gob stream can never be complete).
TEST(PushgatewayFixtureTest, TruncationAtEveryOffsetIsAClearError) {
  const std::string data = readFixture(kBasicFixture);
  ASSERT_GT(data.size(), 1000u);
  for (size_t n = 0; n < data.size(); ++n) {
    try {
      decode(data.substr(0, n));
      ADD_FAILURE() << "a file cut at " << n << " bytes decoded";
    } catch (const GobError& e) {
      EXPECT_LE(e.offset(), n);
      EXPECT_EQ(std::string(e.what()).rfind("at offset ", 0), 0u);
    }
  }
}

TEST(PushgatewayFixtureTest, RandomCorruptionNeverCrashes) {
  const std::string data = readFixture(kBasicFixture);
  std::mt19937 random(20261203);  // fixed seed: the same cases every run
  size_t errors = 0, decoded = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bad = data;
    const int changes = 1 + static_cast<int>(random() % 4);
    for (int k = 0; k < changes; ++k) {
      size_t at = random() % bad.size();
      switch (random() % 3) {
        case 0:
          bad[at] = static_cast<char>(random());
          break;
        case 1:
          bad[at] = static_cast<char>(bad[at] ^ (1 << (random() % 8)));
          break;
        default:
          bad[at] = '\xFF';  // the largest "byte count" prefix of gob integers
          break;
      }
    }
    try {
      decode(bad);
      ++decoded;  // e.g. a changed digit inside a label value
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()), "");
      ++errors;
    }
  }
  EXPECT_GT(errors, 1000u);
  EXPECT_EQ(errors + decoded, 3000u);
}

}  // namespace
}  // namespace ferry::core::migrate
