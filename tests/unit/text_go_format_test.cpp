// The Go rules only the text parser has: expfmt's float syntax (strconv.ParseFloat without hex,
// digit separators or out-of-range values) and TYPE name matching. Expected values are what
// Go 1.19 (the toolchain of Pushgateway 1.5.1) produces. The shared Go helpers are tested in
// support_*_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "plugins/text/parser.h"

namespace ferry::plugins::text {
namespace {

TEST(ExpfmtFloat, Accepted) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::pair<const char*, double> cases[] = {
      {"1", 1},
      {"+1", 1},
      {"-2.5", -2.5},
      {"01", 1},
      {".5", 0.5},
      {"5.", 5},
      {"-.5e-3", -5e-4},
      {"1E5", 1e5},
      {"1e+2", 100},
      {"Inf", inf},
      {"inf", inf},
      {"+Inf", inf},
      {"-inf", -inf},
      {"INFINITY", inf},
      {"-Infinity", -inf},
      {"1e-400", 0},
      {"123456789012345678901234567890", 1.2345678901234568e29},
      {"0.1", 0.1},
      {"2.2250738585072011e-308", 2.2250738585072011e-308},
  };
  for (const auto& [text, want] : cases) {
    const auto got = detail::parseExpfmtFloat(text);
    ASSERT_TRUE(got) << text;
    EXPECT_EQ(*got, want) << text;
  }
  for (const char* nan : {"NaN", "nan", "nAn"}) {
    const auto got = detail::parseExpfmtFloat(nan);
    ASSERT_TRUE(got) << nan;
    uint64_t bits;
    std::memcpy(&bits, &*got, sizeof bits);
    EXPECT_EQ(bits, 0x7FF8000000000001u) << nan;
  }
}

TEST(ExpfmtFloat, Rejected) {
  for (const char* text : {"",
                           "+",
                           "-",
                           ".",
                           "e5",
                           "1e",
                           "1e+",
                           "1.2.3",
                           "++1",
                           "+-1",
                           "1 ",
                           " 1",
                           "1\r",
                           "0x10",
                           "0x1p-2",
                           "0X1P3",
                           "1p3",
                           "1_000",
                           "0b1",
                           "0o7",
                           "+NaN",
                           "-nan",
                           "nana",
                           "infinit",
                           "infx",
                           "Infinityy",
                           "1e400",
                           "-1e400",
                           "1.7976931348623159e308",
                           "0.000001e320",
                           "1,5",
                           "١"}) {
    EXPECT_FALSE(detail::parseExpfmtFloat(text)) << text;
  }
  EXPECT_TRUE(detail::parseExpfmtFloat("1.7976931348623158e308"));  // rounds down to the maximum
}

TEST(GoStrings, MetricTypeNames) {
  using io::prometheus::client::MetricType;
  EXPECT_EQ(detail::metricTypeFromName("counter"), io::prometheus::client::COUNTER);
  EXPECT_EQ(detail::metricTypeFromName("Gauge"), io::prometheus::client::GAUGE);
  EXPECT_EQ(detail::metricTypeFromName("UNTYPED"), io::prometheus::client::UNTYPED);
  EXPECT_EQ(detail::metricTypeFromName("\xc5\xbfummary"), io::prometheus::client::SUMMARY);
  EXPECT_EQ(detail::metricTypeFromName("h\xc4\xb1stogram"), io::prometheus::client::HISTOGRAM);
  EXPECT_EQ(detail::metricTypeFromName("gauge_histogram"), io::prometheus::client::GAUGE_HISTOGRAM);
  for (const char* bad : {"", "foo", "counter ", " counter", "count", "counters",
                          "h\xc3\xadstogram", "summary\xff", "gauge-histogram"}) {
    EXPECT_FALSE(detail::metricTypeFromName(bad)) << bad;
  }
}

}  // namespace
}  // namespace ferry::plugins::text
