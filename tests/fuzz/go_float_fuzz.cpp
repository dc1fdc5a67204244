// Go's number syntax (Ferry::support's go_strconv: strconv.ParseFloat for bit sizes 64 and 32,
// ParseInt, Go's float-to-uint64 conversion) and the text format's stricter expfmt parseFloat
// on top of it.
// Invariants:
//  - the error kinds mean what they say: a syntax error gives 0 at both bit sizes, a range
//    error an infinity, an infinity without a range error was spelled "inf"/"infinity";
//  - expfmt's parseFloat accepts exactly what ParseFloat(s, 64) accepts without error, minus
//    every token with 'p', 'P' or '_';
//  - plain decimal literals give what glibc's correctly rounded strtod/strtof give, and plain
//    integers what strtoll gives;
//  - formatting round-trips: Go's shortest 'g' form of a parsed value parses to the same bits
//    (float32: its own shortest form, at bit size 32).
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ferry/support/go_float_format.hpp>
#include <ferry/support/go_strconv.hpp>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "plugins/text/parser.h"
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

// ParseInt(s, 10, 64)'s syntax: an optional sign, then decimal digits, with any number of
// leading zeros (so no length bound: "000...0123" of any length is 123).
bool plainInteger(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool infinitySpelling(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "inf" || lower == "infinity";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace support = ferry::support;
  using support::GoNumError;
  const std::string s(ferry::fuzz::asView(data, size));

  const support::GoFloat go64 = support::parseGoFloat(s, 64);
  const support::GoFloat go32 = support::parseGoFloat(s, 32);
  const bool ok64 = go64.error != GoNumError::kSyntax;
  const bool ok32 = go32.error != GoNumError::kSyntax;
  FUZZ_CHECK(ok64 == ok32, printable(s));
  for (const auto& parsed : {go64, go32}) {
    if (parsed.error == GoNumError::kSyntax) FUZZ_CHECK(parsed.value == 0, printable(s));
    if (parsed.error == GoNumError::kRange) FUZZ_CHECK(std::isinf(parsed.value), printable(s));
    if (parsed.error == GoNumError::kNone && std::isinf(parsed.value)) {
      FUZZ_CHECK(infinitySpelling(s), "an infinity without a range error: " + printable(s));
    }
  }

  const std::optional<double> expfmt = ferry::plugins::text::detail::parseExpfmtFloat(s);
  if (s.find_first_of("pP_") != std::string::npos || go64.error != GoNumError::kNone) {
    FUZZ_CHECK(!expfmt, "expfmt accepted " + printable(s));
  } else {
    FUZZ_CHECK(expfmt && sameBits(*expfmt, go64.value),
               "expfmt and ParseFloat differ on " + printable(s));
  }

  if (plainDecimal(s)) {
    FUZZ_CHECK(ok64 && sameBits(go64.value, std::strtod(s.c_str(), nullptr)),
               "ParseFloat(64) and strtod differ on " + printable(s));
    FUZZ_CHECK(ok32 && sameBits(go32.value, static_cast<double>(std::strtof(s.c_str(), nullptr))),
               "ParseFloat(32) and strtof differ on " + printable(s));
  }
  if (ok64) {
    const std::string formatted = support::formatFloat(go64.value);
    const auto back = support::parseGoFloat(formatted, 64);
    FUZZ_CHECK(back.error != GoNumError::kSyntax && sameBits(back.value, go64.value),
               printable(s) + " -> " + formatted);
  }
  if (ok32) {
    const auto as_float = static_cast<float>(go32.value);
    FUZZ_CHECK(sameBits(static_cast<double>(as_float), go32.value),
               "ParseFloat(32) gave a value float32 cannot hold: " + printable(s));
    std::string formatted;
    support::appendFloat32(formatted, as_float);
    const auto back = support::parseGoFloat(formatted, 32);
    FUZZ_CHECK(back.error != GoNumError::kSyntax && sameBits(back.value, go32.value),
               printable(s) + " -> " + formatted);
  }

  const std::optional<int64_t> integer = support::parseGoInt64(s);
  if (plainInteger(s)) {
    errno = 0;
    const long long expected = std::strtoll(s.c_str(), nullptr, 10);
    const bool in_range = errno != ERANGE;
    FUZZ_CHECK(integer.has_value() == in_range && (!integer || *integer == expected),
               "ParseInt and strtoll differ on " + printable(s));
  } else {
    FUZZ_CHECK(!integer, "ParseInt accepted " + printable(s));
  }
  if (ok64) (void)support::goFloatToUint64(go64.value);
  return 0;
}
