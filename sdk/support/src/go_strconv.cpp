#include <charconv>
#include <cstring>
#include <ferry/support/ascii.hpp>
#include <ferry/support/go_strconv.hpp>
#include <limits>
#include <string>
#include <system_error>

namespace ferry::support {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

size_t commonPrefixLenIgnoreCase(std::string_view s, std::string_view prefix) {
  size_t n = 0;
  while (n < s.size() && n < prefix.size() && lower(s[n]) == prefix[n]) ++n;
  return n;
}

// math.NaN() is not the default quiet NaN of C++: its payload is 1.
double goNaN() {
  constexpr uint64_t kBits = 0x7FF8000000000001ULL;
  double d;
  std::memcpy(&d, &kBits, sizeof d);
  return d;
}

// strconv.special: the length of a leading inf/infinity/nan and its value.
bool special(std::string_view s, double& value, size_t& consumed) {
  if (s.empty()) return false;
  double sign = 1;
  size_t nsign = 0;
  if (s[0] == '+' || s[0] == '-') {
    sign = s[0] == '-' ? -1 : 1;
    nsign = 1;
    s.remove_prefix(1);
  } else if (lower(s[0]) == 'n') {
    if (commonPrefixLenIgnoreCase(s, "nan") != 3) return false;
    value = goNaN();
    consumed = 3;
    return true;
  }
  size_t n = commonPrefixLenIgnoreCase(s, "infinity");
  if (n > 3 && n < 8) n = 3;
  if (n != 3 && n != 8) return false;
  value = sign * std::numeric_limits<double>::infinity();
  consumed = nsign + n;
  return true;
}

// strconv.underscoreOK: underscores only between digits or between a base prefix and a digit.
bool underscoreOk(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    if (isAsciiDigit(s[i]) || (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
      saw = '0';
      continue;
    }
    if (s[i] == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

struct Literal {
  bool hex = false;
  bool magnitude_at_least_one = false;  // decides overflow vs underflow when out of range
};

// strconv.readFloat, reduced to validation: true if all of `s` is one float literal.
bool readFloat(std::string_view s, Literal& lit) {
  size_t i = 0;
  bool underscores = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  int base = 10;
  char exp_char = 'e';
  if (i + 2 < s.size() && s[i] == '0' && lower(s[i + 1]) == 'x') {
    base = 16;
    i += 2;
    exp_char = 'p';
    lit.hex = true;
  }
  bool saw_dot = false;
  bool saw_digits = false;
  long nd = 0;  // significant digits seen (leading zeros excluded)
  long dp = 0;  // decimal point position relative to the significant digits
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '_') {
      underscores = true;
    } else if (c == '.') {
      if (saw_dot) break;
      saw_dot = true;
      dp = nd;
    } else if (isAsciiDigit(c) || (base == 16 && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw_digits = true;
      if (c == '0' && nd == 0) {
        --dp;
      } else {
        ++nd;
      }
    } else {
      break;
    }
  }
  if (!saw_digits) return false;
  if (!saw_dot) dp = nd;
  long exp = 0;
  if (i < s.size() && lower(s[i]) == exp_char) {
    ++i;
    if (i >= s.size()) return false;
    long esign = 1;
    if (s[i] == '+' || s[i] == '-') {
      esign = s[i] == '-' ? -1 : 1;
      ++i;
    }
    if (i >= s.size() || !isAsciiDigit(s[i])) return false;
    for (; i < s.size() && (isAsciiDigit(s[i]) || s[i] == '_'); ++i) {
      if (s[i] == '_') {
        underscores = true;
      } else if (exp < 100000) {
        exp = exp * 10 + (s[i] - '0');
      }
    }
    exp *= esign;
  } else if (base == 16) {
    return false;
  }
  if (underscores && !underscoreOk(s.substr(0, i))) return false;
  if (i != s.size()) return false;
  // dp counts hex digits for base 16 (4 bits each) and the exponent is binary there.
  lit.magnitude_at_least_one = nd > 0 && (base == 16 ? dp * 4 + exp > 0 : dp + exp > 0);
  return true;
}

template <typename T>
GoFloat convert(std::string_view s, const Literal& lit) {
  std::string clean;
  clean.reserve(s.size());
  bool negative = false;
  size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    i = 1;
  }
  if (lit.hex) i += 2;
  for (; i < s.size(); ++i) {
    if (s[i] != '_') clean.push_back(s[i]);
  }
  T value{};
  GoNumError error = GoNumError::kNone;
  const auto res = std::from_chars(clean.data(), clean.data() + clean.size(), value,
                                   lit.hex ? std::chars_format::hex : std::chars_format::general);
  if (res.ec == std::errc::result_out_of_range) {
    // Overflow is Go's ErrRange with ±Inf; underflow rounds to zero without an error.
    if (lit.magnitude_at_least_one) {
      value = std::numeric_limits<T>::infinity();
      error = GoNumError::kRange;
    } else {
      value = T{0};
    }
  } else if (res.ec != std::errc() || res.ptr != clean.data() + clean.size()) {
    return {0, GoNumError::kSyntax};
  }
  const double magnitude = static_cast<double>(value);
  return {negative ? -magnitude : magnitude, error};
}

}  // namespace

GoFloat parseGoFloat(std::string_view s, int bit_size) {
  double special_value = 0;
  size_t consumed = 0;
  if (special(s, special_value, consumed)) {
    if (consumed != s.size()) return {0, GoNumError::kSyntax};
    if (bit_size == 32) special_value = static_cast<double>(static_cast<float>(special_value));
    return {special_value, GoNumError::kNone};
  }
  Literal lit;
  if (!readFloat(s, lit)) return {0, GoNumError::kSyntax};
  return bit_size == 32 ? convert<float>(s, lit) : convert<double>(s, lit);
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
    if (!isAsciiDigit(c)) return std::nullopt;
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

}  // namespace ferry::support
