// Ferry::support's strconv: ParseFloat (bit sizes 32 and 64, as the Accept header's q-values and
// the text format use it), ParseInt and Go's float-to-uint64 conversion. Expected values are what
// Go 1.19 (the toolchain of Pushgateway 1.5.1) produces.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ferry/support/go_strconv.hpp>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace ferry::support {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Go's value, or nullopt where Go reports a syntax error (a range error still has its value).
std::optional<double> parseGoFloatValue(std::string_view s, int bit_size) {
  const GoFloat parsed = parseGoFloat(s, bit_size);
  if (parsed.error == GoNumError::kSyntax) return std::nullopt;
  return parsed.value;
}

TEST(GoParseFloat, DecimalLiterals) {
  EXPECT_EQ(parseGoFloatValue("1", 64), 1.0);
  EXPECT_EQ(parseGoFloatValue("+1.5", 64), 1.5);
  EXPECT_EQ(parseGoFloatValue("-0.25", 64), -0.25);
  EXPECT_EQ(parseGoFloatValue(".5", 64), 0.5);
  EXPECT_EQ(parseGoFloatValue("5.", 64), 5.0);
  EXPECT_EQ(parseGoFloatValue("1e3", 64), 1000.0);
  EXPECT_EQ(parseGoFloatValue("1E-2", 64), 0.01);
  EXPECT_EQ(parseGoFloatValue("000.7", 64), 0.7);
  EXPECT_EQ(parseGoFloatValue("1e39", 64), 1e39);
  const auto negative_zero = parseGoFloatValue("-0", 64);
  ASSERT_TRUE(negative_zero.has_value());
  EXPECT_TRUE(std::signbit(*negative_zero));
}

TEST(GoParseFloat, HexLiteralsNeedAnExponent) {
  EXPECT_EQ(parseGoFloatValue("0x1p-2", 64), 0.25);
  EXPECT_EQ(parseGoFloatValue("0X1.8P1", 64), 3.0);
  EXPECT_EQ(parseGoFloatValue("-0x.8p1", 64), -1.0);
  EXPECT_EQ(parseGoFloatValue("0x1p-2", 32), 0.25);
  EXPECT_EQ(parseGoFloatValue("0x1", 64), std::nullopt);
  EXPECT_EQ(parseGoFloatValue("0x", 64), std::nullopt);
  EXPECT_EQ(parseGoFloatValue("0xp1", 64), std::nullopt);
}

TEST(GoParseFloat, UnderscoresOnlyBetweenDigits) {
  // "q=0x_1p-1" and "q=1_0" were both accepted by Pushgateway 1.5.1's Accept parsing.
  EXPECT_EQ(parseGoFloatValue("0x_1p-1", 32), 0.5);
  EXPECT_EQ(parseGoFloatValue("1_0", 32), 10.0);
  EXPECT_EQ(parseGoFloatValue("1e1_0", 64), 1e10);
  EXPECT_EQ(parseGoFloatValue("_1", 64), std::nullopt);
  EXPECT_EQ(parseGoFloatValue("1_", 64), std::nullopt);
  EXPECT_EQ(parseGoFloatValue("1__0", 64), std::nullopt);
  EXPECT_EQ(parseGoFloatValue("1_.5", 64), std::nullopt);
}

TEST(GoParseFloat, SpecialNames) {
  EXPECT_EQ(parseGoFloatValue("inf", 64), kInf);
  EXPECT_EQ(parseGoFloatValue("+Inf", 64), kInf);
  EXPECT_EQ(parseGoFloatValue("-INFINITY", 32), -kInf);
  EXPECT_TRUE(std::isnan(*parseGoFloatValue("NaN", 64)));
  EXPECT_TRUE(std::isnan(*parseGoFloatValue("nan", 32)));
  EXPECT_EQ(parseGoFloatValue("+nan", 64), std::nullopt);
  EXPECT_EQ(parseGoFloatValue("infin", 64), std::nullopt);
  EXPECT_EQ(parseGoFloatValue("nan1", 64), std::nullopt);
  EXPECT_EQ(parseGoFloatValue("infinityx", 64), std::nullopt);
}

TEST(GoParseFloat, SyntaxErrors) {
  for (const char* bad : {"", " 1", "1 ", "1e", "1e+", "e5", ".", "+", "-", "1.2.3", "1,5", "0b101",
                          "0o7", "1f", "++1", "0x1p", "\t1"}) {
    EXPECT_EQ(parseGoFloatValue(bad, 64), std::nullopt) << bad;
    EXPECT_EQ(parseGoFloatValue(bad, 32), std::nullopt) << bad;
  }
}

TEST(GoParseFloat, RangeErrorsGiveInfinityAndUnderflowGivesZero) {
  EXPECT_EQ(parseGoFloat("1e100", 32).error, GoNumError::kRange);
  EXPECT_EQ(parseGoFloat("-1e400", 64).error, GoNumError::kRange);
  EXPECT_EQ(parseGoFloat("1e-400", 64).error, GoNumError::kNone);
  EXPECT_EQ(parseGoFloat("1e308", 64).error, GoNumError::kNone);
  EXPECT_EQ(parseGoFloat("1e", 64).error, GoNumError::kSyntax);
  EXPECT_EQ(parseGoFloat("1e", 64).value, 0.0);
  EXPECT_EQ(parseGoFloatValue("1e100", 32), kInf);
  EXPECT_EQ(parseGoFloatValue("-1e39", 32), -kInf);
  EXPECT_EQ(parseGoFloatValue("1e400", 64), kInf);
  EXPECT_EQ(parseGoFloatValue("-0x1p2000", 64), -kInf);
  EXPECT_EQ(parseGoFloatValue("1e-50", 32), 0.0);
  EXPECT_EQ(parseGoFloatValue("1e-400", 64), 0.0);
  EXPECT_EQ(parseGoFloatValue("1e-45", 32), static_cast<double>(1e-45f));  // rounds to a denormal
}

TEST(GoParseFloat, Float32RoundsOnceFromTheLiteral) {
  EXPECT_EQ(parseGoFloatValue("0.1", 32), static_cast<double>(0.1f));
  EXPECT_EQ(parseGoFloatValue("0.10000000001", 32), parseGoFloatValue("0.1", 32));
  EXPECT_NE(parseGoFloatValue("0.1", 64), parseGoFloatValue("0.1", 32));
  // 2^24 + 1 is not a float32; it rounds to even (2^24), not up.
  EXPECT_EQ(parseGoFloatValue("16777217", 32), 16777216.0);
}

TEST(GoParseFloat, AcceptedDecimalsAgreeWithStrtod) {
  const std::string alphabet = "0123456789._eE+-xXpPaAfFinINtyY";
  std::mt19937 rng(3);
  int accepted = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string input(1 + rng() % 12, ' ');
    for (char& c : input) c = alphabet[rng() % alphabet.size()];
    const auto value = parseGoFloatValue(input, 64);
    if (!value || input.find('_') != std::string::npos || std::isnan(*value)) continue;
    ++accepted;
    // Every literal Go accepts without underscores is one strtod reads the same way.
    char* end = nullptr;
    EXPECT_EQ(std::strtod(input.c_str(), &end), *value) << input;
    EXPECT_EQ(*end, '\0') << input;
  }
  EXPECT_GT(accepted, 1000);
}

TEST(GoParseFloat, NanHasGosBitPattern) {
  for (const char* nan : {"NaN", "nan", "nAn"}) {
    const GoFloat parsed = parseGoFloat(nan, 64);
    ASSERT_EQ(parsed.error, GoNumError::kNone) << nan;
    uint64_t bits;
    std::memcpy(&bits, &parsed.value, sizeof bits);
    EXPECT_EQ(bits, 0x7FF8000000000001u) << nan;  // math.NaN()
  }
}

TEST(GoParseInt, Int64) {
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

TEST(GoFloatToUint64, LikeAmd64) {
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

}  // namespace
}  // namespace ferry::support
