#include "ferry/support/go_float_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <system_error>

namespace ferry::support {
namespace {

// std::to_chars in scientific mode without a precision yields the shortest round-trip digits
// (Ryu, like Go's ryuFtoaShortest) as "-d.ddde±XX"; Go's 'g' layout is rebuilt from them.
template <typename T>
void appendShortest(std::string& out, T v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  if (!sci.empty() && sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  const size_t e_pos = sci.find('e');
  char digits[32];
  size_t nd = 0;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits[nd++] = c;
  }
  int exp10 = 0;
  std::from_chars(sci.data() + e_pos + 2, sci.data() + sci.size(), exp10);
  if (sci[e_pos + 1] == '-') exp10 = -exp10;
  if (nd == 1 && digits[0] == '0') exp10 = 0;  // Zero: Go prints "0" via the %f branch.

  if (exp10 < -4 || exp10 >= 6) {
    out.push_back(digits[0]);
    if (nd > 1) {
      out.push_back('.');
      out.append(digits + 1, nd - 1);
    }
    out.push_back('e');
    out.push_back(exp10 < 0 ? '-' : '+');
    const int abs_exp = exp10 < 0 ? -exp10 : exp10;
    if (abs_exp < 10) out.push_back('0');
    char exp_buf[8];
    const auto exp_res = std::to_chars(exp_buf, exp_buf + sizeof(exp_buf), abs_exp);
    out.append(exp_buf, exp_res.ptr);
    return;
  }
  if (exp10 < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exp10 - 1), '0');
    out.append(digits, nd);
    return;
  }
  const size_t int_digits = static_cast<size_t>(exp10) + 1;
  if (nd <= int_digits) {
    out.append(digits, nd);
    out.append(int_digits - nd, '0');
    return;
  }
  out.append(digits, int_digits);
  out.push_back('.');
  out.append(digits + int_digits, nd - int_digits);
}

}  // namespace

void appendFloat(std::string& out, double v) {
  // Whole numbers below 1e6 (most counters and many gauges) print as plain integers in Go's
  // 'g' layout too; this skips the scientific round trip for them.
  if (v != 0 && std::fabs(v) < 1e6 && v == std::trunc(v)) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof(buf), static_cast<int64_t>(v));
    out.append(buf, res.ptr);
    return;
  }
  appendShortest(out, v);
}

void appendFloat32(std::string& out, float v) { appendShortest(out, v); }

std::string formatFloat(double v) {
  std::string out;
  appendFloat(out, v);
  return out;
}

}  // namespace ferry::support
