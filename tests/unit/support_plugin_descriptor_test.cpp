// The one descriptor validator Ferry's plugin host and the SDK's test kits share, on descriptors
// built in memory (tests/unit/plugin_host_test.cpp loads broken plugins through both loaders).
#include <gtest/gtest.h>

#include <cstddef>
#include <ferry/detail/config_keys.hpp>
#include <ferry/support/plugin_descriptor.hpp>
#include <string>

namespace ferry::support {
namespace {

int accepts(void*, ferry_bytes) { return 1; }
ferry_status parse(void*, ferry_bytes, ferry_bytes, ferry_sink*, ferry_error*) { return FERRY_OK; }
ferry_status parseFamilies(void*, ferry_bytes, ferry_bytes, ferry_families*, ferry_error*) {
  return FERRY_OK;
}
ferry_status write(void*, const ferry_storage_op*, size_t, ferry_error*) { return FERRY_OK; }
ferry_status scan(void*, ferry_scan_fn, void*, ferry_error*) { return FERRY_OK; }
ferry_status call(void*, ferry_error*) { return FERRY_OK; }
ferry_status authenticate(void*, const ferry_auth_request*, ferry_sink*, ferry_error*) {
  return FERRY_OK;
}
void* create(const ferry_host*, ferry_bytes, ferry_error*) { return nullptr; }
void destroy(void*) {}

const ferry_input_vtable kInput = {sizeof(ferry_input_vtable), accepts, parse, nullptr};

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
          &kInput,
          nullptr,
          0};
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
                                       std::to_string(FERRY_PLUGIN_DESCRIPTOR_SIZE_1_0) + ")");
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

// Issue #10 item 6: an input plugin returns bytes (parse, since 1.0), hands its families to the
// family builder (parse_families, since 1.2), or both; a host reads parse_families only from a
// plugin of minor 1.2 or later whose table covers it.
TEST(DescriptorProblem, AnInputPluginParsesToBytesOrThroughTheFamilyBuilder) {
  ferry_plugin_descriptor d = good();
  ferry_input_vtable input{};
  input.struct_size = sizeof(ferry_input_vtable);
  input.accepts = accepts;
  input.parse_families = parseFamilies;
  d.vtable = &input;
  EXPECT_EQ(descriptorProblem(&d), "");
  EXPECT_TRUE(hasParseFamilies(d));

  input.parse = parse;
  EXPECT_EQ(descriptorProblem(&d), "");
  EXPECT_TRUE(hasParseFamilies(d));

  // A plugin of ABI 1.0 or 1.1: its table ends before parse_families.
  input.parse_families = nullptr;
  input.struct_size = FERRY_INPUT_VTABLE_SIZE_1_0;
  d.struct_size = FERRY_PLUGIN_DESCRIPTOR_SIZE_1_0;
  for (uint16_t minor : {0, 1, 2}) {
    d.abi_minor = minor;
    EXPECT_EQ(descriptorProblem(&d), "") << "minor " << minor;
    EXPECT_FALSE(hasParseFamilies(d)) << "minor " << minor;
  }
}

TEST(DescriptorProblem, AnInputPluginWithoutAParseOfEitherKindIsRefused) {
  ferry_plugin_descriptor d = good();
  ferry_input_vtable input{};
  input.struct_size = sizeof(ferry_input_vtable);
  input.accepts = accepts;
  d.vtable = &input;
  EXPECT_EQ(descriptorProblem(&d), "input function table is incomplete");

  // parse_families past the table's struct_size is not the plugin's: whatever lies there.
  input.parse_families = parseFamilies;
  input.struct_size = FERRY_INPUT_VTABLE_SIZE_1_0;
  EXPECT_EQ(descriptorProblem(&d), "input function table is incomplete");
  EXPECT_FALSE(hasParseFamilies(d));

  // A 1.1 plugin knows no parse_families, whatever its table holds.
  input.struct_size = sizeof(ferry_input_vtable);
  d.abi_minor = 1;
  EXPECT_EQ(descriptorProblem(&d), "input function table is incomplete");
  EXPECT_FALSE(hasParseFamilies(d));

  // The family builder does not replace accepts.
  d.abi_minor = FERRY_ABI_MINOR;
  input.accepts = nullptr;
  EXPECT_EQ(descriptorProblem(&d), "input function table is incomplete");
}

// Declared config keys (1.2) are part of the descriptor: one that no config could satisfy, or
// that --plugin-help could not print a working sample for, is refused before any instance.
TEST(DescriptorProblem, DeclaredConfigKeysMustBeUsable) {
  ferry_plugin_descriptor d = good();
  ferry_config_key keys[2] = {};
  keys[0].struct_size = sizeof(ferry_config_key);
  keys[0].types = FERRY_CONFIG_STRING;
  keys[0].name = "path";
  keys[0].description = "Where things go.";
  keys[0].example_json = "\"things\"";
  keys[1].struct_size = sizeof(ferry_config_key);
  keys[1].types = FERRY_CONFIG_BOOL;
  keys[1].name = "sync";
  keys[1].description = "Sync each write.";
  keys[1].default_json = "false";
  d.config_keys = keys;
  d.config_key_count = 2;
  EXPECT_EQ(descriptorProblem(&d), "");

  d.config_key_count = 0;  // takes no keys
  EXPECT_EQ(descriptorProblem(&d), "");
  d.config_key_count = 2;

  keys[1].name = "path";
  EXPECT_EQ(descriptorProblem(&d), "config key \"path\" is declared twice");
  keys[1].name = "sync";
  keys[1].default_json = "\"yes\"";
  EXPECT_EQ(descriptorProblem(&d), "config key \"sync\": default \"yes\": expected a boolean");
  keys[1].default_json = "false";
  keys[0].example_json = nullptr;
  EXPECT_EQ(descriptorProblem(&d), "config key \"path\" is required but has no example value");
  keys[0].example_json = "\"things\"";
  keys[1].struct_size = 8;
  EXPECT_NE(descriptorProblem(&d), "");

  // Before 1.2 the descriptor ends before config_keys: nothing there is read.
  d.abi_minor = 1;
  d.struct_size = FERRY_PLUGIN_DESCRIPTOR_SIZE_1_0;
  EXPECT_EQ(descriptorProblem(&d), "");
}

// The message a plugin author and an operator read when a config value has the wrong type.
TEST(ConfigKeyTypeProblem, NamesTheExpectedTypeWithItsArticle) {
  using sdk::detail::typeProblem;
  const nlohmann::json text = "text";
  const nlohmann::json number = 7;
  EXPECT_EQ(typeProblem(FERRY_CONFIG_STRING, number), "expected a string");
  EXPECT_EQ(typeProblem(FERRY_CONFIG_BOOL, text), "expected a boolean");
  EXPECT_EQ(typeProblem(FERRY_CONFIG_INT, text), "expected an integer");
  EXPECT_EQ(typeProblem(FERRY_CONFIG_UINT, text), "expected an unsigned integer");
  EXPECT_EQ(typeProblem(FERRY_CONFIG_OBJECT, text), "expected an object");
  EXPECT_EQ(typeProblem(FERRY_CONFIG_STRING_MAP, text), "expected an object of strings");
  EXPECT_EQ(typeProblem(FERRY_CONFIG_ARRAY, text), "expected an array");
  EXPECT_EQ(typeProblem(FERRY_CONFIG_STRING_LIST, number), "expected a list of strings");
  EXPECT_EQ(typeProblem(FERRY_CONFIG_UINT | FERRY_CONFIG_DURATION, nlohmann::json(true)),
            "expected unsigned integer or duration");
  EXPECT_EQ(typeProblem(FERRY_CONFIG_OBJECT, nlohmann::json::object()), "");
}

TEST(PluginKindName, NamesEveryKind) {
  EXPECT_EQ(pluginKindName(FERRY_KIND_INPUT), "input");
  EXPECT_EQ(pluginKindName(FERRY_KIND_STORAGE), "storage");
  EXPECT_EQ(pluginKindName(FERRY_KIND_AUTH), "auth");
  EXPECT_EQ(pluginKindName(static_cast<ferry_plugin_kind>(7)), "unknown(7)");
}

}  // namespace
}  // namespace ferry::support
