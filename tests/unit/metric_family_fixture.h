// A MetricFamily written as protobuf text format, for the unit tests of everything that reads or
// renders families: the fixtures read like the Pushgateway's own protobuf examples.
#pragma once

#include <ferry/metrics.pb.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <string>

namespace ferry::test {

inline io::prometheus::client::MetricFamily family(const std::string& text_proto) {
  io::prometheus::client::MetricFamily mf;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text_proto, &mf)) << text_proto;
  return mf;
}

}  // namespace ferry::test
