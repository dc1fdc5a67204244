#include "core/expo/go_parse_float.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <system_error>

namespace ferry::core::expo {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

size_t commonPrefixLenIgnoreCase(std::string_view s, std::string_view prefix) {
  size_t n = 0;
  while (n < s.size() && n < prefix.size() && lower(s[n]) == prefix[n]) ++n;
  return n;
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
    value = std::numeric_limits<double>::quiet_NaN();
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

bool isDigit(char c) { return c >= '0' && c <= '9'; }

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
    if (isDigit(s[i]) || (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
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
    } else if (isDigit(c) || (base == 16 && lower(c) >= 'a' && lower(c) <= 'f')) {
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
    if (i >= s.size() || !isDigit(s[i])) return false;
    for (; i < s.size() && (isDigit(s[i]) || s[i] == '_'); ++i) {
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
std::optional<double> convert(std::string_view s, const Literal& lit) {
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
  const auto res = std::from_chars(clean.data(), clean.data() + clean.size(), value,
                                   lit.hex ? std::chars_format::hex : std::chars_format::general);
  if (res.ec == std::errc::result_out_of_range) {
    value = lit.magnitude_at_least_one ? std::numeric_limits<T>::infinity() : T{0};
  } else if (res.ec != std::errc() || res.ptr != clean.data() + clean.size()) {
    return std::nullopt;
  }
  return negative ? -static_cast<double>(value) : static_cast<double>(value);
}

}  // namespace

std::optional<double> parseGoFloat(std::string_view s, int bit_size) {
  double special_value = 0;
  size_t consumed = 0;
  if (special(s, special_value, consumed)) {
    if (consumed != s.size()) return std::nullopt;
    return special_value;
  }
  Literal lit;
  if (!readFloat(s, lit)) return std::nullopt;
  return bit_size == 32 ? convert<float>(s, lit) : convert<double>(s, lit);
}

}  // namespace ferry::core::expo
