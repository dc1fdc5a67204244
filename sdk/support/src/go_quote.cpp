#include <algorithm>
#include <cstdint>
#include <ferry/support/go_quote.hpp>
#include <ferry/support/utf8.hpp>
#include <iterator>

namespace ferry::support {
namespace {

struct RuneRange {
  uint32_t first;
  uint32_t last;
};

constexpr RuneRange kPrintRanges[] = {
#include "unicode_print_ranges.inc"
};

constexpr char kLowerHex[] = "0123456789abcdef";

void appendHex(std::string& out, uint32_t value, int digits) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
    out.push_back(kLowerHex[(value >> shift) & 0xF]);
  }
}

// strconv's appendEscapedRune (ASCIIonly and graphicOnly off) for a valid rune.
void appendEscapedRune(std::string& out, char32_t r, char quote) {
  if (r == static_cast<char32_t>(quote) || r == '\\') {
    out.push_back('\\');
    out.push_back(static_cast<char>(r));
    return;
  }
  if (goIsPrint(r)) {
    appendRune(out, r);
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

bool goIsPrint(char32_t r) {
  // Upper bound on `first` finds the only range that can contain r.
  const auto* it =
      std::upper_bound(std::begin(kPrintRanges), std::end(kPrintRanges), r,
                       [](char32_t v, const RuneRange& range) { return v < range.first; });
  if (it == std::begin(kPrintRanges)) return false;
  --it;
  return r <= it->last;
}

std::string goQuote(std::string_view in) {
  std::string out;
  out.reserve(in.size() + 2);
  out.push_back('"');
  size_t i = 0;
  while (i < in.size()) {
    const auto byte = static_cast<unsigned char>(in[i]);
    if (byte < 0x80) {
      appendEscapedRune(out, byte, '"');
      ++i;
      continue;
    }
    const DecodedRune d = decodeRune(in.substr(i));
    if (d.width == 1) {
      out += "\\x";
      appendHex(out, byte, 2);
    } else {
      appendEscapedRune(out, d.rune, '"');
    }
    i += d.width;
  }
  out.push_back('"');
  return out;
}

std::string goQuoteRune(char32_t r) {
  // Go's utf8.ValidRune: a surrogate or a value past U+10FFFF is quoted as U+FFFD.
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  std::string out = "'";
  appendEscapedRune(out, r, '\'');
  out.push_back('\'');
  return out;
}

std::string goTimeQuote(std::string_view in) {
  std::string out = "\"";
  for (const char c : in) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || byte < ' ') {
      out += "\\x";
      appendHex(out, byte, 2);
      continue;
    }
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace ferry::support
