// Plugins built with another C++ library ABI: -D_GLIBCXX_USE_CXX11_ABI=0 (old std::string) and
// -static-libstdc++ (a second copy of the C++ runtime). Both load and work through the C ABI:
// strings, exceptions and JSON stay inside the plugin. A library that is no plugin is refused.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include "core/plugin_host/plugin_instance.h"
#include "core/plugin_host/plugin_registry.h"

namespace ferry::core::plugin_host {
namespace {

class ForeignCxxPlugin : public ::testing::TestWithParam<std::string> {
 protected:
  // Loads the plugin and keeps it mapped until the process exits. A plugin linked with
  // -static-libstdc++ carries its own C++ runtime, whose emergency exception pool is malloc'd
  // when the library is loaded and, by design, never freed. Once the registry unloads the
  // plugin, the only pointer to that pool goes with the plugin's data segment and
  // LeakSanitizer reports the pool as a leak, in a stack it can no longer name (so no
  // suppression by module name matches). Marked RTLD_NODELETE, the library stays mapped after
  // the registry lets go of it, and the pool stays reachable.
  std::shared_ptr<PluginLibrary> load(const std::string& name) {
    auto lib = registry_.require(FERRY_KIND_INPUT, name);
    const std::string path = std::string(FERRY_TEST_SDK_MISFIT_DIR) + "/input-" + name + ".so";
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
    EXPECT_NE(handle, nullptr) << path << ": " << dlerror();
    if (handle != nullptr) dlclose(handle);  // the reference this call took; NODELETE stays
    return lib;
  }

  PluginRegistry registry_{FERRY_TEST_SDK_MISFIT_DIR};
};

TEST_P(ForeignCxxPlugin, LoadsParsesAndReportsErrors) {
  const std::string name = GetParam();
  auto lib = load(name);
  InputPluginInstance input(lib, R"({"greeting": "hi"})");
  EXPECT_TRUE(input.accepts("application/x-misfit"));
  EXPECT_FALSE(input.accepts("text/plain"));

  // The family builder works across the foreign C++ library: the plugin's families arrive.
  google::protobuf::Arena arena;
  std::vector<io::prometheus::client::MetricFamily*> out;
  CallStatus ok = input.parse("application/x-misfit", "misfit_total", &arena, out);
  ASSERT_TRUE(ok.ok()) << ok.message;
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]->name(), "misfit_total");
  ASSERT_EQ(out[0]->metric_size(), 1);
  EXPECT_EQ(out[0]->metric(0).label(0).value(), name);
  EXPECT_EQ(out[0]->metric(0).untyped().value(), 1);

  CallStatus invalid = input.parse("application/x-misfit", "invalid", &arena, out);
  EXPECT_EQ(invalid.status, FERRY_ERR_INVALID_INPUT);
  EXPECT_EQ(invalid.message, "hi from " + name);

  CallStatus internal = input.parse("application/x-misfit", "internal", &arena, out);
  EXPECT_EQ(internal.status, FERRY_ERR_INTERNAL);
  EXPECT_EQ(internal.message, "internal trouble in " + name);
}

TEST_P(ForeignCxxPlugin, ConfigErrorsCrossAsMessages) {
  auto lib = load(GetParam());
  try {
    InputPluginInstance input(lib, R"({"greting": "typo"})");
    FAIL() << "create should refuse the unknown key";
  } catch (const PluginError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown key \"greting\""), std::string::npos) << e.what();
  }
  try {
    InputPluginInstance input(lib, R"({"greeting": 5})");
    FAIL() << "create should refuse a number";
  } catch (const PluginError& e) {
    EXPECT_NE(std::string(e.what()).find("bad value for key \"greeting\""), std::string::npos)
        << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(SdkMisfits, ForeignCxxPlugin, ::testing::Values("oldabi", "staticcxx"));

TEST(SdkMisfits, LibraryThatIsNoPluginIsRefused) {
  PluginRegistry registry(FERRY_TEST_SDK_MISFIT_DIR);
  try {
    registry.require(FERRY_KIND_INPUT, "notaplugin");
    FAIL() << "a library without the entry symbol was loaded";
  } catch (const PluginError& e) {
    std::string error = e.what();
    EXPECT_NE(error.find("input-notaplugin.so"), std::string::npos) << error;
    EXPECT_NE(error.find("missing entry symbol ferry_plugin_entry_v1 (not a Ferry plugin"),
              std::string::npos)
        << error;
  }
}

}  // namespace
}  // namespace ferry::core::plugin_host
