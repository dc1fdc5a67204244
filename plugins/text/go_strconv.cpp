#include "plugins/text/go_strconv.h"

#include <charconv>
#include <cstring>
#include <limits>
#include <system_error>

namespace ferry::plugins::text {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// `lower` is lower-case ASCII.
bool equalsIgnoreCase(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// math.NaN() is not the default quiet NaN of C++: its payload is 1. The bits survive a protobuf
// round trip, so they are kept identical.
double goNaN() {
  constexpr uint64_t kBits = 0x7FF8000000000001ULL;
  double d;
  std::memcpy(&d, &kBits, sizeof d);
  return d;
}

// Checks the unsigned decimal syntax ParseFloat accepts (digits with an optional point, at
// least one digit, optional exponent with at least one digit) and returns the decimal exponent
// of the leading significant digit, which tells overflow from underflow when the conversion
// reports a range error. nullopt for bad syntax.
std::optional<int64_t> scanDecimal(std::string_view s) {
  constexpr int64_t kClamp = 1'000'000;  // far beyond any double, small enough not to overflow
  size_t i = 0;
  bool saw_digit = false;
  bool saw_nonzero = false;
  int64_t lead = 0;  // exponent of the first nonzero digit
  int64_t int_digits_after_lead = 0;
  while (i < s.size() && isDigit(s[i])) {
    saw_digit = true;
    if (saw_nonzero) {
      if (int_digits_after_lead < kClamp) ++int_digits_after_lead;
    } else if (s[i] != '0') {
      saw_nonzero = true;
    }
    ++i;
  }
  if (saw_nonzero) lead = int_digits_after_lead;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int64_t zeros = 0;
    while (i < s.size() && isDigit(s[i])) {
      saw_digit = true;
      if (!saw_nonzero) {
        if (s[i] != '0') {
          saw_nonzero = true;
          lead = -(zeros + 1);
        } else if (zeros < kClamp) {
          ++zeros;
        }
      }
      ++i;
    }
  }
  if (!saw_digit) return std::nullopt;
  int64_t exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (i == s.size() || !isDigit(s[i])) return std::nullopt;
    while (i < s.size() && isDigit(s[i])) {
      if (exponent < kClamp) exponent = exponent * 10 + (s[i] - '0');
      ++i;
    }
    if (negative) exponent = -exponent;
  }
  if (i != s.size()) return std::nullopt;
  return lead + exponent;
}

}  // namespace

std::optional<double> parseGoFloat(std::string_view s) {
  for (char c : s) {
    if (c == 'p' || c == 'P' || c == '_') return std::nullopt;
  }
  if (s.empty()) return std::nullopt;
  std::string_view body = s;
  bool negative = false;
  if (body[0] == '+' || body[0] == '-') {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (!body.empty() && (body[0] == 'i' || body[0] == 'I')) {
    if (!equalsIgnoreCase(body, "inf") && !equalsIgnoreCase(body, "infinity")) return std::nullopt;
    const double inf = std::numeric_limits<double>::infinity();
    return negative ? -inf : inf;
  }
  if (body.size() == s.size() && equalsIgnoreCase(body, "nan")) return goNaN();
  const std::optional<int64_t> magnitude = scanDecimal(body);
  if (!magnitude) return std::nullopt;
  double value = 0;
  const auto result =
      std::from_chars(body.data(), body.data() + body.size(), value, std::chars_format::general);
  if (result.ec == std::errc::result_out_of_range) {
    if (*magnitude > 0) return std::nullopt;  // overflow: Go's ErrRange
    value = 0;                                // underflow: Go rounds to zero without error
  } else if (result.ec != std::errc() || result.ptr != body.data() + body.size()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

std::optional<int64_t> parseGoInt64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  uint64_t value = 0;
  for (char c : s) {
    if (!isDigit(c)) return std::nullopt;
    const auto digit = static_cast<uint64_t>(c - '0');
    if (value > (limit - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  if (negative) return static_cast<int64_t>(0 - value);
  return static_cast<int64_t>(value);
}

uint64_t goFloatToUint64(double f) {
  // amd64 has no float->uint64 instruction; Go emits CVTTSD2SQ, which yields 0x8000000000000000
  // for anything it cannot represent, below 2^63 and on (f - 2^63) with the top bit set above.
  constexpr double kTwo63 = 9223372036854775808.0;
  const auto truncate = [](double v) -> uint64_t {
    if (!(v >= -kTwo63 && v < kTwo63)) return uint64_t{1} << 63;
    return static_cast<uint64_t>(static_cast<int64_t>(v));
  };
  if (f < kTwo63) return truncate(f);
  return truncate(f - kTwo63) | (uint64_t{1} << 63);
}

}  // namespace ferry::plugins::text
