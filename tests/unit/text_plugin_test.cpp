// The built input-text.so, driven through the plugin ABI the way the host drives it (the input
// kit's driver: the descriptor, create/destroy, accepts, and parse_families handing families to
// the family builder), or failing with FERRY_ERR_INVALID_INPUT and the parser's exact text.
#include <ferry/metrics.pb.h>
#include <ferry/plugin_abi.h>
#include <ferry/testkit/input_driver.h>
#include <google/protobuf/io/coded_stream.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/text/text_parser.h"

namespace ferry::plugins::text {
namespace {

using io::prometheus::client::MetricFamily;

ferry_bytes bytesOf(std::string_view s) { return ferry_bytes{s.data(), s.size()}; }

class TextPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    library_ = &testkit::PluginLibrary::loadInput(FERRY_TEXT_PLUGIN_PATH);
    descriptor_ = &library_->descriptor();
    testkit::CallResult error;
    input_ = testkit::InputDriver::open(*library_, "{}", &error);
    ASSERT_NE(input_, nullptr) << error.message;
  }
  testkit::ParseResult parse(const std::string& body) {
    return input_->parse("text/plain; version=0.0.4", body);
  }

  const testkit::PluginLibrary* library_ = nullptr;
  const ferry_plugin_descriptor* descriptor_ = nullptr;
  std::unique_ptr<testkit::InputDriver> input_;
};

std::vector<MetricFamily> decodeDelimited(const std::string& bytes) {
  std::vector<MetricFamily> families;
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  uint32_t size;
  while (input.ReadVarint32(&size)) {
    const auto limit = input.PushLimit(static_cast<int>(size));
    families.emplace_back();
    EXPECT_TRUE(families.back().ParseFromCodedStream(&input));
    EXPECT_TRUE(input.ConsumedEntireMessage());
    input.PopLimit(limit);
  }
  EXPECT_EQ(input.CurrentPosition(), static_cast<int>(bytes.size()));
  return families;
}

// Byte equality of the encodings: unlike MessageDifferencer it holds for NaN values, pins their
// bits, and sees a field that is set to its default apart from one that is not set.
void expectSameFamilies(const std::vector<MetricFamily>& got,
                        const std::vector<MetricFamily>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].SerializeAsString(), want[i].SerializeAsString())
        << "got:\n"
        << got[i].DebugString() << "want:\n"
        << want[i].DebugString();
  }
}

// Bodies whose messages have every kind of field the text format can give, and fields left
// unset: a summary or histogram without _sum or _count, a HELP that is empty, timestamps.
const std::vector<std::string> kBodies = {
    "",
    "# TYPE a counter\n",
    "a 1\n",
    "x_count 1\n# TYPE x summary\nx_count 2\nx_sum 3\n",
    "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n"
    "b{v=\"\\n\"} NaN 5\n# TYPE s summary\ns{quantile=\"0.5\"} 1\n",
    "# HELP e \n# TYPE e gauge\ne{a=\"1\",b=\"\"} -Inf 1700000000000\n",
    "# TYPE g histogram\ng_bucket{le=\"+Inf\"} 3\n# TYPE q summary\nq_sum 2\n",
    "# TYPE u untyped\nu 1e-300\nu{x=\"y\"} 3\n"};

TEST(ParseTextEach, HandsOverWhatParseTextReturns) {
  for (const std::string& body : kBodies) {
    SCOPED_TRACE(body);
    std::vector<MetricFamily> got;
    ASSERT_FALSE(parseTextEach(body, [&](const MetricFamily& f) { got.push_back(f); }));
    std::vector<MetricFamily> want;
    ASSERT_FALSE(parseText(body, want));
    expectSameFamilies(got, want);
  }
}

TEST(ParseTextEach, HandsOverNothingOnError) {
  bool called = false;
  const auto error = parseTextEach("a 1\nb 2\nc 3", [&](const MetricFamily&) { called = true; });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, "text format parsing error in line 3: unexpected end of input stream");
  EXPECT_FALSE(called);
}

TEST_F(TextPluginTest, Descriptor) {
  EXPECT_EQ(descriptor_->kind, FERRY_KIND_INPUT);
  EXPECT_EQ(descriptor_->abi_major, FERRY_ABI_MAJOR);
  EXPECT_EQ(descriptor_->abi_minor, FERRY_ABI_MINOR);
  EXPECT_STREQ(descriptor_->name, "text");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  EXPECT_STREQ(descriptor_->description, "Prometheus text exposition format 0.0.4");
  EXPECT_STREQ(descriptor_->default_config, "{}");
  ASSERT_TRUE(library_->configKeys().has_value());
  EXPECT_TRUE(library_->configKeys()->empty());
  EXPECT_TRUE(library_->hasParseFamilies());
}

TEST_F(TextPluginTest, RejectsEveryConfigKey) {
  std::string message;
  testkit::TestHost host("text");
  void* instance =
      descriptor_->create(host.raw(), bytesOf(R"({"strict": true})"), testkit::asError(&message));
  EXPECT_EQ(instance, nullptr);
  EXPECT_EQ(message, "unknown key \"strict\" (this plugin takes no keys)");
}

TEST_F(TextPluginTest, AcceptsEveryContentType) {  // the fallback format (spec 3.1)
  for (const char* type : {"", "text/plain; version=0.0.4", "application/json",
                           "application/openmetrics-text; version=1.0.0",
                           "application/vnd.google.protobuf; encoding=text"}) {
    EXPECT_TRUE(input_->accepts(type)) << type;
  }
}

// Through the family builder the families are exactly the parser's, field presence included.
TEST_F(TextPluginTest, HandsOverTheParsersFamilies) {
  for (const std::string& body : kBodies) {
    SCOPED_TRACE(body);
    testkit::ParseResult result = parse(body);
    ASSERT_TRUE(result.call.ok()) << result.call.describe();
    std::vector<MetricFamily> want;
    ASSERT_FALSE(parseText(body, want));
    expectSameFamilies(decodeDelimited(result.output), want);
  }
}

TEST_F(TextPluginTest, LargeBodyIsHandedOverCompletely) {
  std::string body;
  for (int i = 0; i < 50000; ++i) {
    body += "metric_" + std::to_string(i % 500) + "{instance=\"host-" + std::to_string(i) + "\"} " +
            std::to_string(i) + "\n";
  }
  testkit::ParseResult result = parse(body);
  ASSERT_TRUE(result.call.ok()) << result.call.describe();
  const std::vector<MetricFamily> got = decodeDelimited(result.output);
  ASSERT_EQ(got.size(), 500u);
  size_t samples = 0;
  for (const auto& family : got) samples += static_cast<size_t>(family.metric_size());
  EXPECT_EQ(samples, 50000u);
}

TEST_F(TextPluginTest, ParseErrorIsInvalidInputWithTheGoText) {
  testkit::ParseResult result = parse("crlf 1\r\n");
  EXPECT_EQ(result.call.status, FERRY_ERR_INVALID_INPUT);
  EXPECT_EQ(result.call.message,
            "text format parsing error in line 1: expected float as value, got \"1\\r\"");
  EXPECT_TRUE(result.output.empty());
}

}  // namespace
}  // namespace ferry::plugins::text
