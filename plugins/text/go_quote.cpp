#include "plugins/text/go_quote.h"

#include <cstdint>

namespace ferry::plugins::text {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// One decoded rune with utf8.DecodeRuneInString's rules; width 0 marks an invalid byte, which
// Go reports as (RuneError, 1).
struct Decoded {
  char32_t rune;
  size_t width;
};

Decoded decodeRune(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return {b0, 1};
  size_t need;
  char32_t rune;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    rune = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    rune = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    rune = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return {0, 0};
  }
  if (s.size() <= need) return {0, 0};
  for (size_t i = 1; i <= need; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < lo || b > hi) return {0, 0};
    lo = 0x80;
    hi = 0xBF;
    rune = (rune << 6) | (b & 0x3F);
  }
  return {rune, need + 1};
}

void appendUtf8(std::string& out, char32_t r) {
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

void appendHex(std::string& out, uint32_t value, int digits) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}

// strconv's appendEscapedRune for a valid rune (ASCIIonly and graphicOnly off).
void appendEscapedRune(std::string& out, char32_t r, char quote) {
  if (r == static_cast<char32_t>(quote) || r == '\\') {
    out += '\\';
    out += static_cast<char>(r);
    return;
  }
  if (goIsPrint(r)) {
    appendUtf8(out, r);
    return;
  }
  switch (r) {
    case '\a':
      out += "\\a";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\v':
      out += "\\v";
      return;
    default:
      break;
  }
  if (r < ' ' || r == 0x7F) {
    out += "\\x";
    appendHex(out, r, 2);
  } else if (r < 0x10000) {
    out += "\\u";
    appendHex(out, r, 4);
  } else {
    out += "\\U";
    appendHex(out, r, 8);
  }
}

}  // namespace

bool goValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const Decoded d = decodeRune(s.substr(i));
    if (d.width == 0) return false;
    i += d.width;
  }
  return true;
}

std::string goQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    const Decoded d = decodeRune(s.substr(i));
    if (d.width == 0) {
      const auto b = static_cast<unsigned char>(s[i]);
      out += "\\x";
      appendHex(out, b, 2);
      ++i;
      continue;
    }
    appendEscapedRune(out, d.rune, '"');
    i += d.width;
  }
  out += '"';
  return out;
}

std::string goQuoteByte(unsigned char b) {
  std::string out = "'";
  appendEscapedRune(out, b, '\'');
  out += '\'';
  return out;
}

std::string goCharOfByte(unsigned char b) {
  std::string out;
  appendUtf8(out, b);
  return out;
}

}  // namespace ferry::plugins::text
