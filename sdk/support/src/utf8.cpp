#include <ferry/support/utf8.hpp>

namespace ferry::support {
namespace {

bool isContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

}  // namespace

DecodedRune decodeRune(std::string_view in) {
  if (in.empty()) return {kRuneError, 0};
  const auto b0 = static_cast<unsigned char>(in[0]);
  if (b0 < 0x80) return {b0, 1};
  const DecodedRune invalid{kRuneError, 1};
  // The second byte's range depends on the lead byte; this is what rules out overlong
  // encodings, surrogates (ED A0..BF) and code points above U+10FFFF (F4 90..).
  size_t width;
  unsigned char lo = 0x80, hi = 0xBF;
  char32_t rune;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    width = 2;
    rune = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    width = 3;
    rune = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    width = 4;
    rune = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return invalid;
  }
  if (in.size() < 2) return invalid;
  const auto b1 = static_cast<unsigned char>(in[1]);
  if (b1 < lo || b1 > hi) return invalid;
  rune = (rune << 6) | (b1 & 0x3F);
  for (size_t i = 2; i < width; ++i) {
    if (in.size() <= i) return invalid;
    const auto b = static_cast<unsigned char>(in[i]);
    if (!isContinuation(b)) return invalid;
    rune = (rune << 6) | (b & 0x3F);
  }
  return {rune, width};
}

void appendRune(std::string& out, char32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  if (r < 0x80) {
    out.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (r >> 6)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (r >> 12)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (r >> 18)));
    out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

bool isValidUtf8(std::string_view in) {
  size_t i = 0;
  while (i < in.size()) {
    if (static_cast<unsigned char>(in[i]) < 0x80) {
      ++i;
      continue;
    }
    const DecodedRune d = decodeRune(in.substr(i));
    // A genuine U+FFFD is 3 bytes wide; width 1 means the byte was invalid.
    if (d.width == 1) return false;
    i += d.width;
  }
  return true;
}

}  // namespace ferry::support
