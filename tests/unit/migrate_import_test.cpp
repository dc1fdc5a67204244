// Importing into a storage plugin: one write of every group, replaced groups reported, and a file
// that would make an inconsistent store refused before anything is written. Runs on the memory
// plugin (the command refuses it; the import code does not care).
#include <gtest/gtest.h>

#include <sstream>

#include "core/config/options.h"
#include "core/migrate/gob_stream.h"
#include "core/migrate/import_command.h"
#include "core/migrate/pushgateway_import.h"
#include "core/plugin_host/plugin_registry.h"
#include "core/store/group_codec.h"
#include "core/store/store.h"
#include "core/telemetry/telemetry.h"
#include "migrate_fixture.h"

namespace ferry::core::migrate {
namespace {

class ImportTest : public ::testing::Test {
 protected:
  ImportTest()
      : registry_(FERRY_TEST_PLUGIN_DIR),
        storage_(registry_.require(FERRY_KIND_STORAGE, "memory"), "{}") {}

  // key → group as stored
  std::map<std::string, std::unique_ptr<store::Group>> stored() {
    std::map<std::string, std::unique_ptr<store::Group>> out;
    auto status = storage_.scan([&](std::string_view key, std::string_view value) {
      out[std::string(key)] = store::decodeGroup(key, value);
      return true;
    });
    EXPECT_TRUE(status.ok()) << status.message;
    return out;
  }

  void put(const model::LabelMap& labels, const std::string& text) {
    store::Store s(&storage_, telemetry::Telemetry::ownTypes());
    s.load();
    std::vector<store::pb::MetricFamily> families(1);
    auto& f = families[0];
    f.set_name(text);
    f.set_type(store::pb::COUNTER);
    f.add_metric()->mutable_counter()->set_value(1);
    ASSERT_TRUE(s.push(labels, families, true).ok());
  }

  plugin_host::PluginRegistry registry_;
  plugin_host::StoragePluginInstance storage_;
};

TEST_F(ImportTest, WritesEveryGroupAndReportsReplacedOnes) {
  const std::string data = readFixture(kBasicFixture);
  put({{"job", "batch"}, {"instance", "host1"}}, "old_metric");
  put({{"job", "unrelated"}}, "unrelated_metric");
  ImportResult result = importPushgatewayData(data, storage_, telemetry::Telemetry::ownTypes());
  EXPECT_EQ(result.groups, kBasicFixtureGroups);
  EXPECT_EQ(result.series, kBasicFixtureSeries);
  EXPECT_EQ(result.replaced, (std::vector<std::string>{"{instance=\"host1\",job=\"batch\"}"}));
  auto groups = stored();
  EXPECT_EQ(groups.size(), kBasicFixtureGroups + 1);
  const auto& batch =
      groups.at(model::groupingKeyString({{"job", "batch"}, {"instance", "host1"}}));
  EXPECT_EQ(batch->families.count("old_metric"), 0u);
  EXPECT_EQ(batch->families.count("jobs_processed_total"), 1u);
  EXPECT_EQ(groups.count(model::groupingKeyString({{"job", "unrelated"}})), 1u);
  // Importing again changes nothing but replaces every group.
  result = importPushgatewayData(data, storage_, telemetry::Telemetry::ownTypes());
  EXPECT_EQ(result.replaced.size(), kBasicFixtureGroups);
  EXPECT_EQ(stored().size(), kBasicFixtureGroups + 1);
}

TEST_F(ImportTest, InconsistentWithStoredGroupsWritesNothing) {
  // jobs_processed_total is a counter in the file; a stored group has it as a gauge.
  store::Store s(&storage_, telemetry::Telemetry::ownTypes());
  std::vector<store::pb::MetricFamily> families(1);
  families[0].set_name("jobs_processed_total");
  families[0].set_type(store::pb::GAUGE);
  families[0].add_metric()->mutable_gauge()->set_value(1);
  ASSERT_TRUE(s.push({{"job", "other"}}, families, true).ok());
  try {
    importPushgatewayData(readFixture(kBasicFixture), storage_, telemetry::Telemetry::ownTypes());
    FAIL() << "imported";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("1 group(s) are inconsistent with the rest of the "
                                         "store:\n  group {instance=\"host1\",job=\"batch\"}: "),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(stored().size(), 1u);
}

TEST_F(ImportTest, ABadFileWritesNothing) {
  std::string data = readFixture(kBasicFixture);
  EXPECT_THROW(importPushgatewayData(data.substr(0, data.size() - 1), storage_, {}), GobError);
  EXPECT_TRUE(stored().empty());
}

TEST(ImportCommandTest, RefusesTheMemoryStorageAndItsOwnFile) {
  plugin_host::PluginRegistry registry(FERRY_TEST_PLUGIN_DIR);
  config::Options options;
  options.import_file = fixturePath(kBasicFixture);
  std::ostringstream out;
  try {
    runImportCommand(options, registry, out);
    FAIL();
  } catch (const config::ConfigError& e) {
    EXPECT_STREQ(e.what(),
                 "import-pushgateway: the storage is \"memory\", which keeps nothing; configure a "
                 "durable storage with --persistence.file=FILE or \"storage\" in --config.file");
  }
  options.storage = {"file", {{"path", options.import_file}, {"interval", "0s"}}};
  EXPECT_THROW(runImportCommand(options, registry, out), config::ConfigError);
  options.storage = {"no_such_storage", {{"path", "/nonexistent/x"}}};
  options.import_file = "/nonexistent/pushgateway.data";
  try {
    runImportCommand(options, registry, out);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "cannot open /nonexistent/pushgateway.data: No such file or directory");
  }
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace ferry::core::migrate
