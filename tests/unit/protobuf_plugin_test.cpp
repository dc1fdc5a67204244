// input-protobuf.so through the C ABI, loaded the way the host loads plugins.
#include <ferry/plugin_abi.h>
#include <ferry/testkit/input_driver.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "protobuf_parser.h"

namespace ferry::plugins::protobuf {
namespace {

using io::prometheus::client::MetricFamily;

ferry_bytes bytes(std::string_view s) { return ferry_bytes{s.data(), s.size()}; }

// The plugin driven by the input kit's driver: the C ABI, a host with the family builder, and
// its families encoded as delimited bytes.
class ProtobufPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    library_ = &testkit::PluginLibrary::loadInput(FERRY_PROTOBUF_PLUGIN_PATH);
    descriptor_ = &library_->descriptor();
    testkit::CallResult error;
    input_ = testkit::InputDriver::open(*library_, "{}", &error);
    ASSERT_NE(input_, nullptr) << error.message;
  }

  bool accepts(const std::string& content_type) { return input_->accepts(content_type); }
  testkit::ParseResult parse(const std::string& body) { return input_->parse(kContentType, body); }

  static constexpr char kContentType[] =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
      "encoding=delimited";
  const testkit::PluginLibrary* library_ = nullptr;
  const ferry_plugin_descriptor* descriptor_ = nullptr;
  std::unique_ptr<testkit::InputDriver> input_;
};

std::string frameOf(const std::string& name, double value) {
  MetricFamily family;
  family.set_name(name);
  family.set_type(io::prometheus::client::GAUGE);
  family.add_metric()->mutable_gauge()->set_value(value);
  return toDelimited({family});
}

TEST_F(ProtobufPluginTest, DescribesItself) {
  EXPECT_EQ(descriptor_->abi_major, FERRY_ABI_MAJOR);
  EXPECT_EQ(descriptor_->kind, FERRY_KIND_INPUT);
  EXPECT_STREQ(descriptor_->name, "protobuf");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  EXPECT_STREQ(descriptor_->description, "Delimited io.prometheus.client.MetricFamily protobuf");
  EXPECT_STREQ(descriptor_->default_config, "{}");
}

TEST_F(ProtobufPluginTest, RejectsUnknownConfigKeys) {
  // The plugin declares that it takes no keys: Ferry refuses the config before create(), and
  // create() itself refuses it too.
  ASSERT_TRUE(library_->configKeys().has_value());
  EXPECT_TRUE(library_->configKeys()->empty());
  std::string message;
  testkit::TestHost host("protobuf");
  EXPECT_EQ(descriptor_->create(host.raw(), bytes(R"({"typo": 1})"), testkit::asError(&message)),
            nullptr);
  EXPECT_EQ(message, "unknown key \"typo\" (this plugin takes no keys)");
}

TEST_F(ProtobufPluginTest, AcceptsOnlyTheDelimitedProtobufContentType) {
  EXPECT_TRUE(accepts(kContentType));
  EXPECT_FALSE(accepts(""));
  EXPECT_FALSE(accepts("text/plain; version=0.0.4"));
  EXPECT_FALSE(accepts("application/vnd.google.protobuf"));
}

TEST_F(ProtobufPluginTest, HandsOverTheParsedFamilies) {
  testkit::ParseResult result = parse(frameOf("a", 1) + frameOf("b", 2) + frameOf("a", 3));
  ASSERT_TRUE(result.call.ok()) << result.call.describe();
  EXPECT_EQ(result.output, frameOf("a", 3) + frameOf("b", 2));
  testkit::ParseResult empty = parse("");
  ASSERT_TRUE(empty.call.ok()) << empty.call.describe();
  EXPECT_EQ(empty.output, "");
}

TEST_F(ProtobufPluginTest, BadBodiesAreInvalidInputWithTheParserMessage) {
  testkit::ParseResult result = parse(frameOf("ok", 1) + "\xff\xff\xff");
  EXPECT_EQ(result.call.status, FERRY_ERR_INVALID_INPUT);
  EXPECT_EQ(result.call.message, "unexpected EOF");
  result = parse(frameOf("bad.name", 1));
  EXPECT_EQ(result.call.status, FERRY_ERR_INVALID_INPUT);
  EXPECT_EQ(result.call.message, "invalid metric name \"bad.name\"");
  EXPECT_EQ(result.output, "");
}

}  // namespace
}  // namespace ferry::plugins::protobuf
