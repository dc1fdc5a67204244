// What ABI 1.2 added, seen from the host: declared config keys checked before create(), the
// family builder (from C, and its refusals deciding a parse), plugins of ABI 1.1 still loading
// with their bytes interface.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/plugin_host/plugin_instance.h"
#include "core/plugin_host/plugin_registry.h"

namespace ferry::core::plugin_host {
namespace {

namespace pb = io::prometheus::client;

std::string createError(const std::shared_ptr<PluginLibrary>& lib, const std::string& config) {
  try {
    InputPluginInstance instance(lib, config);
  } catch (const PluginError& e) {
    return e.what();
  }
  return "(created)";
}

class Abi12 : public ::testing::Test {
 protected:
  PluginRegistry registry_{FERRY_TEST_MISFIT_DIR};
};

TEST_F(Abi12, AnInputPluginOfAbi11LoadsAndItsBytesAreDecoded) {
  auto lib = registry_.require(FERRY_KIND_INPUT, "bytes11");
  EXPECT_EQ(lib->info().abi_minor, 1);
  EXPECT_FALSE(lib->info().config_keys.has_value());
  EXPECT_FALSE(lib->hasParseFamilies());
  InputPluginInstance input(lib, "{}");
  google::protobuf::Arena arena;
  std::vector<pb::MetricFamily*> families;
  CallStatus status = input.parse("", "", &arena, families);
  ASSERT_TRUE(status.ok()) << status.message;
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0]->name(), "bytes11");
}

TEST_F(Abi12, DeclaredKeysAreReadFromAPluginWrittenInC) {
  auto lib = registry_.require(FERRY_KIND_INPUT, "cbuilder");
  ASSERT_TRUE(lib->info().config_keys.has_value());
  const auto& keys = *lib->info().config_keys;
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].name, "path");
  EXPECT_TRUE(keys[0].required());
  EXPECT_EQ(keys[0].example, "things");
  EXPECT_EQ(keys[1].name, "sync");
  EXPECT_EQ(keys[1].default_value, nlohmann::json(true));
}

// The plugin's create() fails with its own message if it ever sees such a config: the host's
// message shows that create() was never called.
TEST_F(Abi12, ConfigsThatDoNotFitAreRefusedBeforeCreate) {
  auto lib = registry_.require(FERRY_KIND_INPUT, "cbuilder");
  const std::pair<const char*, const char*> cases[] = {
      {"{}", "config refused: missing required key \"path\" (string: Where things go.)"},
      {R"({"path": "x", "sink": 1})",
       "config refused: unknown key \"sink\" (known keys: path, sync)"},
      {R"({"path": 7})", "config refused: bad value for key \"path\": 7: expected a string"},
      {R"({"path": "x", "sync": "yes"})",
       "config refused: bad value for key \"sync\": \"yes\": expected a boolean"},
      {"[1]", "config refused: plugin config must be a JSON object"},
      {"{oops", "config refused: config is not valid JSON"}};
  for (const auto& [config, expected] : cases) {
    std::string error = createError(lib, config);
    EXPECT_NE(error.find(expected), std::string::npos) << config << " -> " << error;
    EXPECT_NE(error.find("input plugin \"cbuilder\""), std::string::npos) << error;
  }
  EXPECT_EQ(createError(lib, R"({"path": "x"})"), "(created)");
}

TEST_F(Abi12, ADeclarationThatCannotWorkIsRefusedAtLoad) {
  try {
    registry_.require(FERRY_KIND_INPUT, "badkeys");
    FAIL() << "loaded";
  } catch (const PluginError& e) {
    std::string error = e.what();
    EXPECT_NE(error.find("input-badkeys.so"), std::string::npos) << error;
    EXPECT_NE(error.find("config key \"broken\" is required but has no example value"),
              std::string::npos)
        << error;
  }
}

TEST_F(Abi12, TheFamilyBuilderFromC) {
  InputPluginInstance input(registry_.require(FERRY_KIND_INPUT, "cbuilder"), R"({"path": "x"})");
  google::protobuf::Arena arena;
  std::vector<pb::MetricFamily*> families;
  CallStatus ok = input.parse("", "ok", &arena, families);
  ASSERT_TRUE(ok.ok()) << ok.message;
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0]->name(), "c_gauge");
  EXPECT_EQ(families[0]->type(), pb::GAUGE);
  ASSERT_EQ(families[0]->metric_size(), 1);
  EXPECT_EQ(families[0]->metric(0).gauge().value(), 42);
  EXPECT_EQ(families[0]->metric(0).label(0).name(), "from");
}

// A plugin that misuses the builder gets FERRY_ERR_INTERNAL (a 500: the plugin's fault, not
// the pusher's), and nothing it built is kept.
TEST_F(Abi12, BuilderMisuseIsAnInternalError) {
  InputPluginInstance input(registry_.require(FERRY_KIND_INPUT, "cbuilder"), R"({"path": "x"})");
  google::protobuf::Arena arena;
  std::vector<pb::MetricFamily*> families;
  CallStatus status = input.parse("", "misuse", &arena, families);
  EXPECT_EQ(status.status, FERRY_ERR_INTERNAL);
  EXPECT_EQ(status.message, "series() of gauge family \"c_gauge\": a summary given");
  EXPECT_TRUE(families.empty());
}

// The first refused builder call decides the parse even when the plugin returns FERRY_OK.
TEST_F(Abi12, ARefusedBuilderCallDecidesWhateverThePluginReturns) {
  InputPluginInstance input(registry_.require(FERRY_KIND_INPUT, "cbuilder"), R"({"path": "x"})");
  google::protobuf::Arena arena;
  std::vector<pb::MetricFamily*> families;
  CallStatus status = input.parse("", "ignore", &arena, families);
  EXPECT_EQ(status.status, FERRY_ERR_INVALID_INPUT);
  EXPECT_EQ(status.message,
            "metric family \"c_gauge\" is given twice, with another type, HELP or unit");
  EXPECT_TRUE(families.empty());
}

}  // namespace
}  // namespace ferry::core::plugin_host
