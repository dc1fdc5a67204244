// The legacy metric and label name rules (Ferry::support), used by the grouping keys, the
// push rules and the protobuf plugin.
#include <gtest/gtest.h>

#include <ferry/support/names.hpp>
#include <string_view>

namespace ferry::support {
namespace {

using namespace std::literals;

TEST(Names, LabelName) {
  for (std::string_view ok : {"a", "_", "__", "__name__", "A_1", "_9", "job", "U__a_2e_b"}) {
    EXPECT_TRUE(isValidLabelName(ok)) << ok;
  }
  for (std::string_view bad :
       {""sv, "1a"sv, "a-b"sv, "a:b"sv, "a.b"sv, "é"sv, "a b"sv, "a=b"sv, "a\0"sv}) {
    EXPECT_FALSE(isValidLabelName(bad)) << bad;
  }
}

TEST(Names, MetricName) {
  for (std::string_view ok : {"a", "_", ":", "a:b", "http_requests_total", ":x1", "__name__"}) {
    EXPECT_TRUE(isValidMetricName(ok)) << ok;
  }
  for (std::string_view bad : {"", "1a", "a-b", "a.b", "é", "a b"}) {
    EXPECT_FALSE(isValidMetricName(bad)) << bad;
  }
}

}  // namespace
}  // namespace ferry::support
