#include "core/wire/tokens.h"

#include <array>

namespace ferry::core::wire {
namespace {

using ByteClass = std::array<bool, 256>;

ByteClass makeClass(std::string_view extra) {
  ByteClass c{};
  for (int b = '0'; b <= '9'; ++b) c[b] = true;
  for (int b = 'a'; b <= 'z'; ++b) c[b] = true;
  for (int b = 'A'; b <= 'Z'; ++b) c[b] = true;
  for (char b : extra) c[static_cast<unsigned char>(b)] = true;
  return c;
}

const ByteClass kToken = makeClass("!#$%&'*+-.^_`|~");
// Go's validHostByte: unreserved, sub-delims, '%' (escapes, IPv6 zones), ':' and brackets.
const ByteClass kHost = makeClass("!$%&'()*+,-.:;=[]_~");

unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

}  // namespace

bool isTokenByte(unsigned char c) { return kToken[c]; }

bool isToken(std::string_view s) {
  for (unsigned char c : s) {
    if (!kToken[c]) return false;
  }
  return !s.empty();
}

bool containsControl(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

bool isFieldValue(std::string_view s) {
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\t') || c == 0x7F) return false;
  }
  return true;
}

bool isValidHost(std::string_view s) {
  for (unsigned char c : s) {
    if (!kHost[c]) return false;
  }
  return true;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(static_cast<unsigned char>(a[i])) != lower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool hasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view element = value.substr(0, comma);
    while (!element.empty() && (element.front() == ' ' || element.front() == '\t')) {
      element.remove_prefix(1);
    }
    while (!element.empty() && (element.back() == ' ' || element.back() == '\t')) {
      element.remove_suffix(1);
    }
    if (equalsIgnoreCase(element, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace ferry::core::wire
