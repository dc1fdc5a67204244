// Go's time.ParseDuration and Duration.String, pinned with the cases of Go's own
// time_test.go (TestParseDuration, TestParseDurationErrors, TestDurationString).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "core/config/go_duration.h"
#include "core/config/options.h"

namespace ferry::core::config {
namespace {

using std::chrono::nanoseconds;

constexpr int64_t kNs = 1;
constexpr int64_t kUs = 1000 * kNs;
constexpr int64_t kMs = 1000 * kUs;
constexpr int64_t kS = 1000 * kMs;
constexpr int64_t kM = 60 * kS;
constexpr int64_t kH = 60 * kM;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

struct ParseCase {
  const char* text;
  int64_t want;
};

TEST(GoDurationTest, ParsesGoTestCases) {
  const ParseCase cases[] = {
      {"0", 0},
      {"5s", 5 * kS},
      {"30s", 30 * kS},
      {"1478s", 1478 * kS},
      {"-5s", -5 * kS},
      {"+5s", 5 * kS},
      {"-0", 0},
      {"+0", 0},
      {"5.0s", 5 * kS},
      {"5.6s", 5 * kS + 600 * kMs},
      {"5.s", 5 * kS},
      {".5s", 500 * kMs},
      {"1.0s", 1 * kS},
      {"1.00s", 1 * kS},
      {"1.004s", 1 * kS + 4 * kMs},
      {"1.0040s", 1 * kS + 4 * kMs},
      {"100.00100s", 100 * kS + 1 * kMs},
      {"10ns", 10 * kNs},
      {"11us", 11 * kUs},
      {"12\xC2\xB5s", 12 * kUs},  // U+00B5
      {"12\xCE\xBCs", 12 * kUs},  // U+03BC
      {"13ms", 13 * kMs},
      {"14s", 14 * kS},
      {"15m", 15 * kM},
      {"16h", 16 * kH},
      {"3h30m", 3 * kH + 30 * kM},
      {"10.5s4m", 4 * kM + 10 * kS + 500 * kMs},
      {"-2m3.4s", -(2 * kM + 3 * kS + 400 * kMs)},
      {"1h2m3s4ms5us6ns", 1 * kH + 2 * kM + 3 * kS + 4 * kMs + 5 * kUs + 6 * kNs},
      {"39h9m14.425s", 39 * kH + 9 * kM + 14 * kS + 425 * kMs},
      {"52763797000ns", 52763797000 * kNs},
      {"0.3333333333333333333h", 20 * kM},
      {"9007199254740993ns", (int64_t{1} << 53) + 1},
      {"9223372036854775807ns", kMax},
      {"9223372036854775.807us", kMax},
      {"9223372036s854ms775us807ns", kMax},
      {"-9223372036854775808ns", kMin},
      {"-9223372036854775.808us", kMin},
      {"-9223372036s854ms775us808ns", kMin},
      {"-2562047h47m16.854775808s", kMin},
      {"0.100000000000000000000h", 6 * kM},
      {"0.830103483285477580700h", 49 * kM + 48 * kS + 372539827 * kNs},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(parseGoDuration(c.text).count(), c.want);
  }
}

struct ErrorCase {
  std::string text;
  std::string message;
};

TEST(GoDurationTest, RejectsWithGoMessages) {
  const ErrorCase cases[] = {
      {"", R"(time: invalid duration "")"},
      {"3", R"(time: missing unit in duration "3")"},
      {"-", R"(time: invalid duration "-")"},
      {"s", R"(time: invalid duration "s")"},
      {".", R"(time: invalid duration ".")"},
      {"-.", R"(time: invalid duration "-.")"},
      {".s", R"(time: invalid duration ".s")"},
      {"+.s", R"(time: invalid duration "+.s")"},
      {"1d", R"(time: unknown unit "d" in duration "1d")"},
      {"\x85\x85", R"(time: invalid duration "\x85\x85")"},
      {"\xff"
       "ff",
       R"(time: invalid duration "\xffff")"},
      {"hello \xff"
       "ff world",
       R"(time: invalid duration "hello \xffff world")"},
      {"\xEF\xBF\xBD", R"(time: invalid duration "\xef\xbf\xbd")"},
      {"\xEF\xBF\xBD hello \xEF\xBF\xBD world",
       R"(time: invalid duration "\xef\xbf\xbd hello \xef\xbf\xbd world")"},
      {"9223372036854775810ns", R"(time: invalid duration "9223372036854775810ns")"},
      {"9223372036854775808ns", R"(time: invalid duration "9223372036854775808ns")"},
      {"-9223372036854775809ns", R"(time: invalid duration "-9223372036854775809ns")"},
      {"9223372036854776us", R"(time: invalid duration "9223372036854776us")"},
      {"3000000h", R"(time: invalid duration "3000000h")"},
      {"9223372036854775.808us", R"(time: invalid duration "9223372036854775.808us")"},
      {"9223372036854ms775us808ns", R"(time: invalid duration "9223372036854ms775us808ns")"},
      // Checked against Pushgateway 1.5.1's --persistence.interval.
      {"5.5.5s", R"(time: missing unit in duration "5.5.5s")"},
      {"1h2", R"(time: missing unit in duration "1h2")"},
      {"5 m", R"(time: unknown unit " m" in duration "5 m")"},
      {"bogus\"\\", R"(time: invalid duration "bogus\"\\")"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    try {
      parseGoDuration(c.text);
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.what(), c.message);
    }
  }
}

TEST(GoDurationTest, FormatsLikeGo) {
  const ParseCase cases[] = {
      {"0s", 0},
      {"1ns", 1 * kNs},
      {"1.1\xC2\xB5s", 1100 * kNs},
      {"2.2ms", 2200 * kUs},
      {"3.3s", 3300 * kMs},
      {"4m5s", 4 * kM + 5 * kS},
      {"4m5.001s", 4 * kM + 5001 * kMs},
      {"5h6m7.001s", 5 * kH + 6 * kM + 7001 * kMs},
      {"8m0.000000001s", 8 * kM + 1 * kNs},
      {"2562047h47m16.854775807s", kMax},
      {"-2562047h47m16.854775808s", kMin},
      // The values the status API shows for Pushgateway defaults and common settings.
      {"5m0s", 5 * kM},
      {"2s", 2 * kS},
      {"1h30m0s", 90 * kM},
      {"300ms", 300 * kMs},
      {"-1.5s", -1500 * kMs},
      {"999ns", 999},
      {"1\xC2\xB5s", 1000},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(formatGoDuration(nanoseconds(c.want)), c.text);
  }
}

TEST(GoDurationTest, FormatThenParseRoundTrips) {
  for (int64_t v :
       {int64_t{0}, int64_t{1}, 999 * kUs, kS, 61 * kS + 1, 25 * kH + kNs, kMax, kMin, -7 * kM}) {
    EXPECT_EQ(parseGoDuration(formatGoDuration(nanoseconds(v))).count(), v);
  }
}

}  // namespace
}  // namespace ferry::core::config
