// Go's number syntax, in both places Ferry implements it: strconv.ParseFloat for the core
// (core/expo/go_parse_float.h: flags, JSON, bit sizes 64 and 32) and expfmt's stricter
// parseFloat/ParseInt for the text format (plugins/text/go_strconv.h).
// Invariants:
//  - the two agree: the text format's parseGoFloat accepts what ParseFloat(s, 64) accepts,
//    with the same bits, except what expfmt refuses on purpose ('p', 'P', '_' anywhere, and
//    out-of-range values, which ParseFloat turns into infinities);
//  - plain decimal literals give what glibc's correctly rounded strtod/strtof give, and plain
//    integers what strtoll gives;
//  - formatting round-trips: Go's shortest 'g' form of a parsed value parses to the same bits
//    (float32: its own shortest form, at bit size 32).
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "core/expo/float_format.h"
#include "core/expo/go_parse_float.h"
#include "plugins/text/go_strconv.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using ferry::fuzz::printable;

bool sameBits(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::memcmp(&a, &b, sizeof a) == 0;
}

bool plainDecimal(std::string_view s) {
  static const std::regex kDecimal(R"([+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?)");
  return s.size() < 400 && std::regex_match(s.begin(), s.end(), kDecimal);
}

bool plainInteger(std::string_view s) {
  static const std::regex kInteger(R"([+-]?[0-9]+)");
  return s.size() < 400 && std::regex_match(s.begin(), s.end(), kInteger);
}

bool infinitySpelling(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "inf" || lower == "infinity";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace expo = ferry::core::expo;
  namespace text = ferry::plugins::text;
  const std::string s(ferry::fuzz::asView(data, size));

  const std::optional<double> go64 = expo::parseGoFloat(s, 64);
  const std::optional<double> go32 = expo::parseGoFloat(s, 32);
  const std::optional<double> expfmt = text::parseGoFloat(s);
  FUZZ_CHECK(go64.has_value() == go32.has_value(), printable(s));

  if (s.find_first_of("pP_") != std::string::npos) {
    FUZZ_CHECK(!expfmt, "expfmt accepted " + printable(s));
  } else if (!go64) {
    FUZZ_CHECK(!expfmt, "expfmt accepted what ParseFloat refuses: " + printable(s));
  } else if (std::isinf(*go64) && !infinitySpelling(s)) {
    FUZZ_CHECK(!expfmt, "expfmt accepted an out-of-range value: " + printable(s));
  } else {
    FUZZ_CHECK(expfmt && sameBits(*expfmt, *go64),
               "expfmt and ParseFloat differ on " + printable(s));
  }

  if (plainDecimal(s)) {
    FUZZ_CHECK(go64 && sameBits(*go64, std::strtod(s.c_str(), nullptr)),
               "ParseFloat(64) and strtod differ on " + printable(s));
    FUZZ_CHECK(go32 && sameBits(*go32, static_cast<double>(std::strtof(s.c_str(), nullptr))),
               "ParseFloat(32) and strtof differ on " + printable(s));
  }
  if (go64) {
    const std::string formatted = expo::formatFloat(*go64);
    const auto back = expo::parseGoFloat(formatted, 64);
    FUZZ_CHECK(back && sameBits(*back, *go64), printable(s) + " -> " + formatted);
  }
  if (go32) {
    const auto as_float = static_cast<float>(*go32);
    FUZZ_CHECK(sameBits(static_cast<double>(as_float), *go32),
               "ParseFloat(32) gave a value float32 cannot hold: " + printable(s));
    std::string formatted;
    expo::appendFloat32(formatted, as_float);
    const auto back = expo::parseGoFloat(formatted, 32);
    FUZZ_CHECK(back && sameBits(*back, *go32), printable(s) + " -> " + formatted);
  }

  const std::optional<int64_t> integer = text::parseGoInt64(s);
  if (plainInteger(s)) {
    errno = 0;
    const long long expected = std::strtoll(s.c_str(), nullptr, 10);
    const bool in_range = errno != ERANGE;
    FUZZ_CHECK(integer.has_value() == in_range && (!integer || *integer == expected),
               "ParseInt and strtoll differ on " + printable(s));
  } else {
    FUZZ_CHECK(!integer, "ParseInt accepted " + printable(s));
  }
  if (expfmt) (void)text::goFloatToUint64(*expfmt);
  return 0;
}
