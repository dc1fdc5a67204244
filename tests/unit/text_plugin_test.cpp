// The built input-text.so, driven through the plugin ABI the way the host drives it: the
// descriptor, create/destroy, accepts, and parse writing delimited MetricFamily messages or
// failing with FERRY_ERR_INVALID_INPUT and the parser's exact text.
#include <dlfcn.h>
#include <ferry/metrics.pb.h>
#include <ferry/plugin_abi.h>
#include <google/protobuf/io/coded_stream.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "plugins/text/text_parser.h"

namespace ferry::plugins::text {
namespace {

using io::prometheus::client::MetricFamily;

struct Captured {
  std::string bytes;
};

void sinkWrite(ferry_sink* sink, ferry_bytes data) {
  reinterpret_cast<Captured*>(sink)->bytes.append(data.data, data.size);
}
void errorSet(ferry_error* err, ferry_bytes message) {
  reinterpret_cast<Captured*>(err)->bytes.assign(message.data, message.size);
}
void logLine(void*, ferry_log_level, ferry_bytes) {}

ferry_bytes bytesOf(std::string_view s) { return ferry_bytes{s.data(), s.size()}; }

class TextPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    handle_ = dlopen(FERRY_TEXT_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << dlerror();
    using Entry = const ferry_plugin_descriptor* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle_, FERRY_PLUGIN_ENTRY_SYMBOL));
    ASSERT_NE(entry, nullptr);
    descriptor_ = entry();
    ASSERT_NE(descriptor_, nullptr);
    host_ = ferry_host{sizeof(ferry_host), FERRY_ABI_MAJOR, FERRY_ABI_MINOR, nullptr,
                       &logLine,           &errorSet,       &sinkWrite};
  }
  void TearDown() override {
    if (instance_) descriptor_->destroy(instance_);
    // Plugins are never unloaded while the host runs; the test does not either.
  }
  void create(std::string_view config) {
    Captured error;
    instance_ =
        descriptor_->create(&host_, bytesOf(config), reinterpret_cast<ferry_error*>(&error));
    ASSERT_NE(instance_, nullptr) << error.bytes;
  }
  const ferry_input_vtable& vtable() const {
    return *static_cast<const ferry_input_vtable*>(descriptor_->vtable);
  }
  ferry_status parse(std::string_view body, Captured& out, Captured& error) {
    return vtable().parse(instance_, bytesOf("text/plain; version=0.0.4"), bytesOf(body),
                          reinterpret_cast<ferry_sink*>(&out),
                          reinterpret_cast<ferry_error*>(&error));
  }

  void* handle_ = nullptr;
  const ferry_plugin_descriptor* descriptor_ = nullptr;
  ferry_host host_{};
  void* instance_ = nullptr;
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

// Byte equality of the encodings: unlike MessageDifferencer it holds for NaN values, and it
// pins their bits.
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

TEST(ParseTextDelimited, EncodesWhatParseTextReturns) {
  for (std::string_view body :
       {"", "# TYPE a counter\n", "a 1\n", "x_count 1\n# TYPE x summary\nx_count 2\nx_sum 3\n",
        "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n"
        "b{v=\"\\n\"} NaN 5\n# TYPE s summary\ns{quantile=\"0.5\"} 1\n"}) {
    SCOPED_TRACE(std::string(body));
    std::string bytes;
    ASSERT_FALSE(parseTextDelimited(body, [&](std::string_view chunk) { bytes += chunk; }));
    std::vector<MetricFamily> want;
    ASSERT_FALSE(parseText(body, want));
    expectSameFamilies(decodeDelimited(bytes), want);
  }
}

TEST(ParseTextDelimited, WritesLargeOutputsInChunks) {
  std::string body;
  for (int i = 0; i < 60000; ++i) {
    body += "family_" + std::to_string(i % 3000) + "{instance=\"" + std::to_string(i) +
            "\",path=\"/some/longer/path\"} " + std::to_string(i) + "\n";
  }
  std::vector<std::string> chunks;
  ASSERT_FALSE(
      parseTextDelimited(body, [&](std::string_view chunk) { chunks.emplace_back(chunk); }));
  ASSERT_GT(chunks.size(), 1u);
  std::string bytes;
  for (size_t i = 0; i < chunks.size(); ++i) {
    if (i + 1 < chunks.size()) {
      EXPECT_GE(chunks[i].size(), size_t{1} << 20);
    }
    bytes += chunks[i];
  }
  std::vector<MetricFamily> want;
  ASSERT_FALSE(parseText(body, want));
  expectSameFamilies(decodeDelimited(bytes), want);
}

TEST(ParseTextDelimited, WritesNothingOnError) {
  bool written = false;
  const auto error = parseTextDelimited("a 1\nb 2\nc 3", [&](std::string_view) { written = true; });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, "text format parsing error in line 3: unexpected end of input stream");
  EXPECT_FALSE(written);
}

TEST_F(TextPluginTest, Descriptor) {
  EXPECT_EQ(descriptor_->kind, FERRY_KIND_INPUT);
  EXPECT_EQ(descriptor_->abi_major, FERRY_ABI_MAJOR);
  EXPECT_STREQ(descriptor_->name, "text");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  EXPECT_STREQ(descriptor_->description, "Prometheus text exposition format 0.0.4");
  EXPECT_STREQ(descriptor_->default_config, "{}");
}

TEST_F(TextPluginTest, RejectsEveryConfigKey) {
  Captured error;
  void* instance = descriptor_->create(&host_, bytesOf(R"({"strict": true})"),
                                       reinterpret_cast<ferry_error*>(&error));
  EXPECT_EQ(instance, nullptr);
  EXPECT_EQ(error.bytes, "unknown key \"strict\"");
}

TEST_F(TextPluginTest, AcceptsEveryContentType) {  // the fallback format (spec 3.1)
  create("{}");
  for (std::string_view type : {"", "text/plain; version=0.0.4", "application/json",
                                "application/openmetrics-text; version=1.0.0",
                                "application/vnd.google.protobuf; encoding=text"}) {
    EXPECT_EQ(vtable().accepts(instance_, bytesOf(type)), 1) << type;
  }
}

TEST_F(TextPluginTest, WritesDelimitedFamilies) {
  create("");
  const std::string body =
      "# HELP a Help.\n# TYPE a counter\na{x=\"1\"} 1\nb 2\n# TYPE h histogram\n"
      "h_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n";
  Captured out, error;
  ASSERT_EQ(parse(body, out, error), FERRY_OK) << error.bytes;
  std::vector<MetricFamily> want;
  ASSERT_FALSE(parseText(body, want));
  const std::vector<MetricFamily> got = decodeDelimited(out.bytes);
  ASSERT_EQ(got.size(), 3u);
  expectSameFamilies(got, want);
}

TEST_F(TextPluginTest, LargeBodyIsWrittenCompletely) {
  create("{}");
  std::string body;
  for (int i = 0; i < 50000; ++i) {
    body += "metric_" + std::to_string(i % 500) + "{instance=\"host-" + std::to_string(i) + "\"} " +
            std::to_string(i) + "\n";
  }
  Captured out, error;
  ASSERT_EQ(parse(body, out, error), FERRY_OK) << error.bytes;
  const std::vector<MetricFamily> got = decodeDelimited(out.bytes);
  ASSERT_EQ(got.size(), 500u);
  size_t samples = 0;
  for (const auto& family : got) samples += static_cast<size_t>(family.metric_size());
  EXPECT_EQ(samples, 50000u);
}

TEST_F(TextPluginTest, EmptyBodyWritesNothing) {
  create("{}");
  Captured out, error;
  ASSERT_EQ(parse("", out, error), FERRY_OK);
  EXPECT_TRUE(out.bytes.empty());
}

TEST_F(TextPluginTest, ParseErrorIsInvalidInputWithTheGoText) {
  create("{}");
  Captured out, error;
  EXPECT_EQ(parse("crlf 1\r\n", out, error), FERRY_ERR_INVALID_INPUT);
  EXPECT_EQ(error.bytes,
            "text format parsing error in line 1: expected float as value, got \"1\\r\"");
  EXPECT_TRUE(out.bytes.empty());
}

}  // namespace
}  // namespace ferry::plugins::text
