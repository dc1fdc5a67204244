// The one descriptor validator Ferry's plugin host and the SDK's test kits share, on descriptors
// built in memory (tests/unit/plugin_host_test.cpp loads broken plugins through both loaders).
#include <gtest/gtest.h>

#include <cstddef>
#include <ferry/support/plugin_descriptor.hpp>
#include <string>

namespace ferry::support {
namespace {

int accepts(void*, ferry_bytes) { return 1; }
ferry_status parse(void*, ferry_bytes, ferry_bytes, ferry_sink*, ferry_error*) { return FERRY_OK; }
ferry_status write(void*, const ferry_storage_op*, size_t, ferry_error*) { return FERRY_OK; }
ferry_status scan(void*, ferry_scan_fn, void*, ferry_error*) { return FERRY_OK; }
ferry_status call(void*, ferry_error*) { return FERRY_OK; }
ferry_status authenticate(void*, const ferry_auth_request*, ferry_sink*, ferry_error*) {
  return FERRY_OK;
}
void* create(const ferry_host*, ferry_bytes, ferry_error*) { return nullptr; }
void destroy(void*) {}

const ferry_input_vtable kInput = {sizeof(ferry_input_vtable), accepts, parse};

ferry_plugin_descriptor good() {
  return {sizeof(ferry_plugin_descriptor),
          FERRY_ABI_MAJOR,
          FERRY_ABI_MINOR,
          FERRY_KIND_INPUT,
          "good-name_1",
          "1.0.0",
          "a plugin",
          "{}",
          create,
          destroy,
          &kInput};
}

TEST(DescriptorProblem, AUsableDescriptorHasNone) {
  const ferry_plugin_descriptor d = good();
  EXPECT_EQ(descriptorProblem(&d), "");
}

TEST(DescriptorProblem, OlderMinorsAndOptionalStringsAreFine) {
  ferry_plugin_descriptor d = good();
  d.abi_minor = 0;
  d.description = nullptr;
  d.default_config = nullptr;
  EXPECT_EQ(descriptorProblem(&d), "");
}

TEST(DescriptorProblem, EachRuleHasItsReason) {
  const std::string host_abi =
      std::to_string(FERRY_ABI_MAJOR) + "." + std::to_string(FERRY_ABI_MINOR);
  EXPECT_EQ(descriptorProblem(nullptr), "entry symbol returned no descriptor");
  ferry_plugin_descriptor d = good();
  d.struct_size = 8;
  EXPECT_EQ(descriptorProblem(&d), "descriptor is too small (8 bytes, ABI 1.0 needs " +
                                       std::to_string(sizeof(ferry_plugin_descriptor)) + ")");
  d = good();
  d.abi_major = FERRY_ABI_MAJOR + 1;
  EXPECT_EQ(descriptorProblem(&d),
            "other ABI major version (plugin ABI " + std::to_string(FERRY_ABI_MAJOR + 1) + "." +
                std::to_string(FERRY_ABI_MINOR) + ", host ABI " + host_abi + ")");
  d = good();
  d.abi_minor = FERRY_ABI_MINOR + 1;
  EXPECT_EQ(descriptorProblem(&d), "built against a newer ABI minor version (plugin ABI " +
                                       std::to_string(FERRY_ABI_MAJOR) + "." +
                                       std::to_string(FERRY_ABI_MINOR + 1) + ", host ABI " +
                                       host_abi + "); upgrade Ferry");
  d = good();
  d.kind = static_cast<ferry_plugin_kind>(9);
  EXPECT_EQ(descriptorProblem(&d), "unknown plugin kind 9");
  d = good();
  d.name = nullptr;
  EXPECT_EQ(descriptorProblem(&d), "descriptor has no name");
  d.name = "";
  EXPECT_EQ(descriptorProblem(&d), "descriptor has no name");
  d.name = "Big\tName";
  EXPECT_EQ(descriptorProblem(&d), "descriptor name \"Big\\tName\" is not [a-z0-9_-]+");
  d = good();
  d.version = nullptr;
  EXPECT_EQ(descriptorProblem(&d), "descriptor has no version");
  d = good();
  d.destroy = nullptr;
  EXPECT_EQ(descriptorProblem(&d), "descriptor lacks create or destroy");
  d = good();
  d.vtable = nullptr;
  EXPECT_EQ(descriptorProblem(&d), "descriptor has no function table");
}

// Tables are zero-initialized and filled by field, so they stay valid as minors append fields.
TEST(DescriptorProblem, FunctionTablesMustBeCompleteForTheirKind) {
  ferry_plugin_descriptor d = good();
  ferry_input_vtable input{};
  input.struct_size = 4;
  input.accepts = accepts;
  input.parse = parse;
  d.vtable = &input;
  EXPECT_EQ(descriptorProblem(&d), "input function table is incomplete");
  input.struct_size = sizeof(ferry_input_vtable);
  input.parse = nullptr;
  EXPECT_EQ(descriptorProblem(&d), "input function table is incomplete");

  // Tables of ABI 1.0 end before the fields later minors appended, and are complete.
  d.kind = FERRY_KIND_STORAGE;
  ferry_storage_vtable storage{};
  storage.struct_size = FERRY_STORAGE_VTABLE_SIZE_1_0;
  storage.write = write;
  storage.scan = scan;
  storage.wipe = call;
  storage.flush = call;
  d.vtable = &storage;
  EXPECT_EQ(descriptorProblem(&d), "");
  storage.flush = nullptr;
  EXPECT_EQ(descriptorProblem(&d), "storage function table is incomplete");
  storage.flush = call;
  storage.struct_size = FERRY_STORAGE_VTABLE_SIZE_1_0 - 1;
  EXPECT_EQ(descriptorProblem(&d), "storage function table is incomplete");

  d.kind = FERRY_KIND_AUTH;
  ferry_auth_vtable auth{};
  auth.struct_size = FERRY_AUTH_VTABLE_SIZE_1_0;
  auth.authenticate = authenticate;
  d.vtable = &auth;
  EXPECT_EQ(descriptorProblem(&d), "");
  auth.authenticate = nullptr;
  EXPECT_EQ(descriptorProblem(&d), "auth function table is incomplete");
}

TEST(PluginKindName, NamesEveryKind) {
  EXPECT_EQ(pluginKindName(FERRY_KIND_INPUT), "input");
  EXPECT_EQ(pluginKindName(FERRY_KIND_STORAGE), "storage");
  EXPECT_EQ(pluginKindName(FERRY_KIND_AUTH), "auth");
  EXPECT_EQ(pluginKindName(static_cast<ferry_plugin_kind>(7)), "unknown(7)");
}

}  // namespace
}  // namespace ferry::support
