// input-protobuf.so through the C ABI, loaded the way the host loads plugins.
#include <dlfcn.h>
#include <ferry/plugin_abi.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "protobuf_parser.h"

// The host's opaque objects, as a host would define them.
struct ferry_error {
  std::string message;
};
struct ferry_sink {
  std::string data;
};

namespace ferry::plugins::protobuf {
namespace {

using io::prometheus::client::MetricFamily;

void setError(ferry_error* err, ferry_bytes message) {
  err->message.assign(message.data, message.size);
}
void sinkWrite(ferry_sink* sink, ferry_bytes data) { sink->data.append(data.data, data.size); }

ferry_bytes bytes(std::string_view s) { return ferry_bytes{s.data(), s.size()}; }

class ProtobufPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    library_ = dlopen(FERRY_PROTOBUF_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(library_, nullptr) << dlerror();
    auto entry =
        reinterpret_cast<ferry_plugin_entry_fn>(dlsym(library_, FERRY_PLUGIN_ENTRY_SYMBOL));
    ASSERT_NE(entry, nullptr) << dlerror();
    descriptor_ = entry();
    ASSERT_NE(descriptor_, nullptr);
    host_.struct_size = sizeof(host_);
    host_.abi_major = FERRY_ABI_MAJOR;
    host_.abi_minor = FERRY_ABI_MINOR;
    host_.error_set = &setError;
    host_.sink_write = &sinkWrite;
    ferry_error err;
    instance_ = descriptor_->create(&host_, bytes("{}"), &err);
    ASSERT_NE(instance_, nullptr) << err.message;
    vtable_ = static_cast<const ferry_input_vtable*>(descriptor_->vtable);
  }
  // Plugins are never unloaded while the host runs, so the library stays open.
  void TearDown() override {
    if (instance_) descriptor_->destroy(instance_);
  }

  bool accepts(std::string_view content_type) {
    return vtable_->accepts(instance_, bytes(content_type)) != 0;
  }
  ferry_status parse(std::string_view body, ferry_sink& out, ferry_error& err) {
    return vtable_->parse(instance_, bytes(kContentType), bytes(body), &out, &err);
  }

  static constexpr char kContentType[] =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
      "encoding=delimited";
  void* library_ = nullptr;
  const ferry_plugin_descriptor* descriptor_ = nullptr;
  ferry_host host_{};
  void* instance_ = nullptr;
  const ferry_input_vtable* vtable_ = nullptr;
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
  ferry_error err;
  EXPECT_EQ(descriptor_->create(&host_, bytes(R"({"typo": 1})"), &err), nullptr);
  EXPECT_EQ(err.message, "unknown key \"typo\"");
}

TEST_F(ProtobufPluginTest, AcceptsOnlyTheDelimitedProtobufContentType) {
  EXPECT_TRUE(accepts(kContentType));
  EXPECT_FALSE(accepts(""));
  EXPECT_FALSE(accepts("text/plain; version=0.0.4"));
  EXPECT_FALSE(accepts("application/vnd.google.protobuf"));
}

TEST_F(ProtobufPluginTest, WritesTheParsedFamiliesBack) {
  ferry_sink out;
  ferry_error err;
  ASSERT_EQ(parse(frameOf("a", 1) + frameOf("b", 2) + frameOf("a", 3), out, err), FERRY_OK)
      << err.message;
  EXPECT_EQ(out.data, frameOf("a", 3) + frameOf("b", 2));
  ferry_sink empty;
  ASSERT_EQ(parse("", empty, err), FERRY_OK) << err.message;
  EXPECT_EQ(empty.data, "");
}

TEST_F(ProtobufPluginTest, BadBodiesAreInvalidInputWithTheParserMessage) {
  ferry_sink out;
  ferry_error err;
  EXPECT_EQ(parse(frameOf("ok", 1) + "\xff\xff\xff", out, err), FERRY_ERR_INVALID_INPUT);
  EXPECT_EQ(err.message, "unexpected EOF");
  EXPECT_EQ(parse(frameOf("bad.name", 1), out, err), FERRY_ERR_INVALID_INPUT);
  EXPECT_EQ(err.message, "invalid metric name \"bad.name\"");
  EXPECT_EQ(out.data, "");
}

}  // namespace
}  // namespace ferry::plugins::protobuf
