#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <random>
#include <string>

#include "core/expo/go_parse_float.h"

namespace ferry::core::expo {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(ExpoGoParseFloat, DecimalLiterals) {
  EXPECT_EQ(parseGoFloat("1", 64), 1.0);
  EXPECT_EQ(parseGoFloat("+1.5", 64), 1.5);
  EXPECT_EQ(parseGoFloat("-0.25", 64), -0.25);
  EXPECT_EQ(parseGoFloat(".5", 64), 0.5);
  EXPECT_EQ(parseGoFloat("5.", 64), 5.0);
  EXPECT_EQ(parseGoFloat("1e3", 64), 1000.0);
  EXPECT_EQ(parseGoFloat("1E-2", 64), 0.01);
  EXPECT_EQ(parseGoFloat("000.7", 64), 0.7);
  EXPECT_EQ(parseGoFloat("1e39", 64), 1e39);
  const auto negative_zero = parseGoFloat("-0", 64);
  ASSERT_TRUE(negative_zero.has_value());
  EXPECT_TRUE(std::signbit(*negative_zero));
}

TEST(ExpoGoParseFloat, HexLiteralsNeedAnExponent) {
  EXPECT_EQ(parseGoFloat("0x1p-2", 64), 0.25);
  EXPECT_EQ(parseGoFloat("0X1.8P1", 64), 3.0);
  EXPECT_EQ(parseGoFloat("-0x.8p1", 64), -1.0);
  EXPECT_EQ(parseGoFloat("0x1p-2", 32), 0.25);
  EXPECT_EQ(parseGoFloat("0x1", 64), std::nullopt);
  EXPECT_EQ(parseGoFloat("0x", 64), std::nullopt);
  EXPECT_EQ(parseGoFloat("0xp1", 64), std::nullopt);
}

TEST(ExpoGoParseFloat, UnderscoresOnlyBetweenDigits) {
  // "q=0x_1p-1" and "q=1_0" were both accepted by Pushgateway 1.5.1's Accept parsing.
  EXPECT_EQ(parseGoFloat("0x_1p-1", 32), 0.5);
  EXPECT_EQ(parseGoFloat("1_0", 32), 10.0);
  EXPECT_EQ(parseGoFloat("1e1_0", 64), 1e10);
  EXPECT_EQ(parseGoFloat("_1", 64), std::nullopt);
  EXPECT_EQ(parseGoFloat("1_", 64), std::nullopt);
  EXPECT_EQ(parseGoFloat("1__0", 64), std::nullopt);
  EXPECT_EQ(parseGoFloat("1_.5", 64), std::nullopt);
}

TEST(ExpoGoParseFloat, SpecialNames) {
  EXPECT_EQ(parseGoFloat("inf", 64), kInf);
  EXPECT_EQ(parseGoFloat("+Inf", 64), kInf);
  EXPECT_EQ(parseGoFloat("-INFINITY", 32), -kInf);
  EXPECT_TRUE(std::isnan(*parseGoFloat("NaN", 64)));
  EXPECT_TRUE(std::isnan(*parseGoFloat("nan", 32)));
  EXPECT_EQ(parseGoFloat("+nan", 64), std::nullopt);
  EXPECT_EQ(parseGoFloat("infin", 64), std::nullopt);
  EXPECT_EQ(parseGoFloat("nan1", 64), std::nullopt);
  EXPECT_EQ(parseGoFloat("infinityx", 64), std::nullopt);
}

TEST(ExpoGoParseFloat, SyntaxErrors) {
  for (const char* bad : {"", " 1", "1 ", "1e", "1e+", "e5", ".", "+", "-", "1.2.3", "1,5", "0b101",
                          "0o7", "1f", "++1", "0x1p", "\t1"}) {
    EXPECT_EQ(parseGoFloat(bad, 64), std::nullopt) << bad;
    EXPECT_EQ(parseGoFloat(bad, 32), std::nullopt) << bad;
  }
}

TEST(ExpoGoParseFloat, RangeErrorsGiveInfinityAndUnderflowGivesZero) {
  EXPECT_EQ(parseGoFloat("1e100", 32), kInf);
  EXPECT_EQ(parseGoFloat("-1e39", 32), -kInf);
  EXPECT_EQ(parseGoFloat("1e400", 64), kInf);
  EXPECT_EQ(parseGoFloat("-0x1p2000", 64), -kInf);
  EXPECT_EQ(parseGoFloat("1e-50", 32), 0.0);
  EXPECT_EQ(parseGoFloat("1e-400", 64), 0.0);
  EXPECT_EQ(parseGoFloat("1e-45", 32), static_cast<double>(1e-45f));  // rounds to a denormal
}

TEST(ExpoGoParseFloat, Float32RoundsOnceFromTheLiteral) {
  EXPECT_EQ(parseGoFloat("0.1", 32), static_cast<double>(0.1f));
  EXPECT_EQ(parseGoFloat("0.10000000001", 32), parseGoFloat("0.1", 32));
  EXPECT_NE(parseGoFloat("0.1", 64), parseGoFloat("0.1", 32));
  // 2^24 + 1 is not a float32; it rounds to even (2^24), not up.
  EXPECT_EQ(parseGoFloat("16777217", 32), 16777216.0);
}

TEST(ExpoGoParseFloat, AcceptedDecimalsAgreeWithStrtod) {
  const std::string alphabet = "0123456789._eE+-xXpPaAfFinINtyY";
  std::mt19937 rng(3);
  int accepted = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string input(1 + rng() % 12, ' ');
    for (char& c : input) c = alphabet[rng() % alphabet.size()];
    const auto value = parseGoFloat(input, 64);
    if (!value || input.find('_') != std::string::npos || std::isnan(*value)) continue;
    ++accepted;
    // Every literal Go accepts without underscores is one strtod reads the same way.
    char* end = nullptr;
    EXPECT_EQ(std::strtod(input.c_str(), &end), *value) << input;
    EXPECT_EQ(*end, '\0') << input;
  }
  EXPECT_GT(accepted, 1000);
}

}  // namespace
}  // namespace ferry::core::expo
