// The Go-compatibility helpers of the text parser: %q/%c formatting, UTF-8 validity,
// ParseFloat/ParseInt syntax, float-to-uint64 conversion and TYPE name matching. Expected values
// are what Go 1.19 (the toolchain of Pushgateway 1.5.1) produces.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "plugins/text/go_quote.h"
#include "plugins/text/go_strconv.h"
#include "plugins/text/parser.h"

namespace ferry::plugins::text {
namespace {

TEST(GoQuote, Strings) {
  EXPECT_EQ(goQuote(""), "\"\"");
  EXPECT_EQ(goQuote("plain text 123"), "\"plain text 123\"");
  EXPECT_EQ(goQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(goQuote("\a\b\f\n\r\t\v"), "\"\\a\\b\\f\\n\\r\\t\\v\"");
  EXPECT_EQ(goQuote(std::string("\x00\x01\x1b\x7f", 4)), "\"\\x00\\x01\\x1b\\x7f\"");
  EXPECT_EQ(goQuote("'"), "\"'\"");
  // Printable non-ASCII stays raw; invalid bytes become \x, non-printable runes \u or \U.
  EXPECT_EQ(goQuote("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
            "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
  EXPECT_EQ(goQuote("\xff"), "\"\\xff\"");
  EXPECT_EQ(goQuote("\xe2\x82"), "\"\\xe2\\x82\"");                    // truncated
  EXPECT_EQ(goQuote("\xc0\xaf"), "\"\\xc0\\xaf\"");                    // overlong
  EXPECT_EQ(goQuote("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");           // surrogate
  EXPECT_EQ(goQuote("\xf4\x90\x80\x80"), "\"\\xf4\\x90\\x80\\x80\"");  // above U+10FFFF
  EXPECT_EQ(goQuote("\xef\xbf\xbd"), "\"\xef\xbf\xbd\"");              // a real U+FFFD
  EXPECT_EQ(goQuote("\xc2\x85\xc2\xa0\xc2\xad"), "\"\\u0085\\u00a0\\u00ad\"");
  EXPECT_EQ(goQuote("\xe2\x80\x8b\xee\x80\x80"), "\"\\u200b\\ue000\"");
  EXPECT_EQ(goQuote("\xf4\x8f\xbf\xbf\xf3\xa0\x80\x81"), "\"\\U0010ffff\\U000e0001\"");
}

TEST(GoQuote, Bytes) {
  EXPECT_EQ(goQuoteByte('='), "'='");
  EXPECT_EQ(goQuoteByte('"'), "'\"'");
  EXPECT_EQ(goQuoteByte('\''), "'\\''");
  EXPECT_EQ(goQuoteByte('\\'), "'\\\\'");
  EXPECT_EQ(goQuoteByte('\n'), "'\\n'");
  EXPECT_EQ(goQuoteByte(0), "'\\x00'");
  EXPECT_EQ(goQuoteByte(0x7f), "'\\x7f'");
  EXPECT_EQ(goQuoteByte(0x80), "'\\u0080'");
  EXPECT_EQ(goQuoteByte(0xa0), "'\\u00a0'");
  EXPECT_EQ(goQuoteByte(0xad), "'\\u00ad'");
  EXPECT_EQ(goQuoteByte(0xe9), "'\xc3\xa9'");
  EXPECT_EQ(goQuoteByte(0xff), "'\xc3\xbf'");
  EXPECT_EQ(goCharOfByte('q'), "q");
  EXPECT_EQ(goCharOfByte('\n'), "\n");
  EXPECT_EQ(goCharOfByte(0xc3), "\xc3\x83");
}

TEST(GoQuote, IsPrintFollowsUnicode13) {
  EXPECT_TRUE(goIsPrint(' '));
  EXPECT_FALSE(goIsPrint('\t'));
  EXPECT_FALSE(goIsPrint(0x3000));   // ideographic space: graphic, not printable
  EXPECT_TRUE(goIsPrint(0x9FFC));    // added in Unicode 13
  EXPECT_FALSE(goIsPrint(0x9FFD));   // added in Unicode 14: not yet known to Go 1.19
  EXPECT_FALSE(goIsPrint(0x0870));   // Unicode 14
  EXPECT_TRUE(goIsPrint(0x1FAD6));   // Unicode 13
  EXPECT_FALSE(goIsPrint(0x1FAD7));  // Unicode 14
  EXPECT_TRUE(goIsPrint(0x1F600));
  EXPECT_FALSE(goIsPrint(0xE000));  // private use
  EXPECT_FALSE(goIsPrint(0xFFFF));
  EXPECT_TRUE(goIsPrint(0xE0100));  // variation selector (a mark)
  EXPECT_FALSE(goIsPrint(0x10FFFF));
}

TEST(GoUtf8, Validity) {
  EXPECT_TRUE(goValidUtf8(""));
  EXPECT_TRUE(goValidUtf8("abc \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"));
  EXPECT_TRUE(goValidUtf8(std::string("a\0b", 3)));
  for (const char* bad :
       {"\x80", "\xc2", "\xc1\xbf", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xf0\x8f\xbf\xbf",
        "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xfe", "ok\xe2\x82"}) {
    EXPECT_FALSE(goValidUtf8(bad)) << goQuote(bad);
  }
}

TEST(GoStrconv, AcceptedFloats) {
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
    const auto got = parseGoFloat(text);
    ASSERT_TRUE(got) << text;
    EXPECT_EQ(*got, want) << text;
  }
  for (const char* nan : {"NaN", "nan", "nAn"}) {
    const auto got = parseGoFloat(nan);
    ASSERT_TRUE(got) << nan;
    uint64_t bits;
    std::memcpy(&bits, &*got, sizeof bits);
    EXPECT_EQ(bits, 0x7FF8000000000001u) << nan;
  }
}

TEST(GoStrconv, RejectedFloats) {
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
    EXPECT_FALSE(parseGoFloat(text)) << text;
  }
  EXPECT_TRUE(parseGoFloat("1.7976931348623158e308"));  // rounds down to the maximum
}

TEST(GoStrconv, Int64) {
  EXPECT_EQ(parseGoInt64("0"), 0);
  EXPECT_EQ(parseGoInt64("+5"), 5);
  EXPECT_EQ(parseGoInt64("-05"), -5);
  EXPECT_EQ(parseGoInt64("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(parseGoInt64("-9223372036854775808"), std::numeric_limits<int64_t>::min());
  for (const char* bad : {"", "+", "-", "9223372036854775808", "-9223372036854775809", "1_0",
                          "0x10", "1.0", "1e3", " 1", "99999999999999999999999"}) {
    EXPECT_FALSE(parseGoInt64(bad)) << bad;
  }
}

TEST(GoStrconv, FloatToUint64LikeAmd64) {
  const double inf = std::numeric_limits<double>::infinity();
  constexpr uint64_t kTop = uint64_t{1} << 63;
  EXPECT_EQ(goFloatToUint64(0), 0u);
  EXPECT_EQ(goFloatToUint64(2.9), 2u);
  EXPECT_EQ(goFloatToUint64(-0.5), 0u);
  EXPECT_EQ(goFloatToUint64(-1), 18446744073709551615u);
  EXPECT_EQ(goFloatToUint64(-2.5), 18446744073709551614u);
  EXPECT_EQ(goFloatToUint64(1e19), 10000000000000000000u);
  EXPECT_EQ(goFloatToUint64(9223372036854775808.0), kTop);
  EXPECT_EQ(goFloatToUint64(1e20), kTop);
  EXPECT_EQ(goFloatToUint64(-1e19), kTop);
  EXPECT_EQ(goFloatToUint64(inf), kTop);
  EXPECT_EQ(goFloatToUint64(-inf), kTop);
  EXPECT_EQ(goFloatToUint64(std::nan("")), kTop);
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
