#include <cstdint>
#include <ferry/support/ascii.hpp>
#include <ferry/support/go_duration.hpp>
#include <ferry/support/go_quote.hpp>

namespace ferry::support {
namespace {

constexpr uint64_t kMinInt64Magnitude = uint64_t{1} << 63;

[[noreturn]] void invalid(std::string_view orig) {
  throw GoDurationError("time: invalid duration " + goTimeQuote(orig));
}

// Consumes [0-9]*; false on overflow past 1<<63 (which only the negative minimum may use).
bool leadingInt(std::string_view& s, uint64_t& x) {
  x = 0;
  size_t i = 0;
  for (; i < s.size() && isAsciiDigit(s[i]); ++i) {
    if (x > kMinInt64Magnitude / 10) return false;
    x = x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (x > kMinInt64Magnitude) return false;
  }
  s.remove_prefix(i);
  return true;
}

// Consumes the digits after the point; past 63 bits it keeps consuming but stops accumulating
// precision, as Go does, so "0.3333333333333333333h" is still 20m.
void leadingFraction(std::string_view& s, uint64_t& x, double& scale) {
  x = 0;
  scale = 1;
  bool overflow = false;
  size_t i = 0;
  for (; i < s.size() && isAsciiDigit(s[i]); ++i) {
    if (overflow) continue;
    if (x > (kMinInt64Magnitude - 1) / 10) {
      overflow = true;
      continue;
    }
    uint64_t y = x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (y > kMinInt64Magnitude) {
      overflow = true;
      continue;
    }
    x = y;
    scale *= 10;
  }
  s.remove_prefix(i);
}

// Nanoseconds per unit, or 0 for an unknown unit.
uint64_t unitNanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xC2\xB5s" /* U+00B5 micro sign */ ||
      unit == "\xCE\xBCs" /* U+03BC Greek small letter mu */) {
    return 1000;
  }
  if (unit == "ms") return 1000 * 1000;
  if (unit == "s") return 1000 * 1000 * 1000;
  if (unit == "m") return uint64_t{60} * 1000 * 1000 * 1000;
  if (unit == "h") return uint64_t{3600} * 1000 * 1000 * 1000;
  return 0;
}

// Writes v's last prec digits as a fraction (".25"), without trailing zeros; returns v/10^prec.
uint64_t formatFraction(std::string& reversed, uint64_t v, int prec) {
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    uint64_t digit = v % 10;
    print = print || digit != 0;
    if (print) reversed += static_cast<char>('0' + digit);
    v /= 10;
  }
  if (print) reversed += '.';
  return v;
}

void formatInt(std::string& reversed, uint64_t v) {
  if (v == 0) {
    reversed += '0';
    return;
  }
  for (; v > 0; v /= 10) reversed += static_cast<char>('0' + v % 10);
}

}  // namespace

std::chrono::nanoseconds parseGoDuration(std::string_view text) {
  const std::string_view orig = text;
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds(0);
  if (s.empty()) invalid(orig);

  uint64_t d = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || isAsciiDigit(s[0]))) invalid(orig);
    uint64_t v = 0;
    size_t before = s.size();
    if (!leadingInt(s, v)) invalid(orig);
    bool pre = before != s.size();

    uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t frac_before = s.size();
      leadingFraction(s, f, scale);
      post = frac_before != s.size();
    }
    if (!pre && !post) invalid(orig);  // no digits, e.g. ".s"

    size_t i = 0;
    while (i < s.size() && s[i] != '.' && !isAsciiDigit(s[i])) ++i;
    if (i == 0) throw GoDurationError("time: missing unit in duration " + goTimeQuote(orig));
    std::string_view unit_name = s.substr(0, i);
    s.remove_prefix(i);
    uint64_t unit = unitNanos(unit_name);
    if (unit == 0) {
      throw GoDurationError("time: unknown unit " + goTimeQuote(unit_name) + " in duration " +
                            goTimeQuote(orig));
    }
    if (v > kMinInt64Magnitude / unit) invalid(orig);
    v *= unit;
    if (f > 0) {
      // float64, as in Go, keeps fractions of an hour nanosecond-accurate.
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > kMinInt64Magnitude) invalid(orig);
    }
    d += v;
    if (d > kMinInt64Magnitude) invalid(orig);
  }
  if (neg) {
    // Two's complement negation: 1<<63 maps onto INT64_MIN without signed overflow.
    return std::chrono::nanoseconds(static_cast<int64_t>(~d + 1));
  }
  if (d > kMinInt64Magnitude - 1) invalid(orig);
  return std::chrono::nanoseconds(static_cast<int64_t>(d));
}

std::string formatGoDuration(std::chrono::nanoseconds d) {
  const int64_t count = d.count();
  const bool neg = count < 0;
  uint64_t u = static_cast<uint64_t>(count);
  if (neg) u = ~u + 1;

  std::string r;  // built backwards
  constexpr uint64_t kSecond = 1000 * 1000 * 1000;
  if (u < kSecond) {
    if (u == 0) return "0s";
    int prec = 0;
    r += 's';
    if (u < 1000) {
      r += 'n';
    } else if (u < 1000 * 1000) {
      prec = 3;
      r += "\xB5\xC2";  // "µ" (U+00B5), reversed
    } else {
      prec = 6;
      r += 'm';
    }
    u = formatFraction(r, u, prec);
    formatInt(r, u);
  } else {
    r += 's';
    u = formatFraction(r, u, 9);
    formatInt(r, u % 60);  // seconds
    u /= 60;
    if (u > 0) {
      r += 'm';
      formatInt(r, u % 60);
      u /= 60;
      if (u > 0) {  // Go stops at hours because days vary in length.
        r += 'h';
        formatInt(r, u);
      }
    }
  }
  if (neg) r += '-';
  return std::string(r.rbegin(), r.rend());
}

}  // namespace ferry::support
