// Not for plugin authors: Go's mime.ParseMediaType (Go 1.22+), behind ferry::sdk::parseMediaType
// (ferry/sdk/media_type.hpp). A transcription of Go's src/mime/mediatype.go: keeping Go's
// structure makes the odd corners match, which the protobuf input plugin needs to choose
// between protobuf and text exactly as the Pushgateway does: a trailing ';' is fine but ";;"
// is not, a repeated parameter is fine only with the same value, and RFC 2231 forms
// (name*=utf-8''value, name*0=...; name*1=...) override a plain parameter of the same name.
#pragma once

#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace ferry::sdk::detail::mime {

using Params = std::map<std::string, std::string>;

inline bool isTSpecial(unsigned char c) { return c != 0 && std::strchr("()<>@,;:\\\"/[]?=", c); }
inline bool isTokenChar(unsigned char c) { return c > 0x20 && c < 0x7f && !isTSpecial(c); }
inline unsigned char byteAt(std::string_view s, size_t i) {
  return static_cast<unsigned char>(s[i]);
}

// Length of the rune at s[i] if Go's unicode.IsSpace holds for it, else 0: ASCII \t\n\v\f\r and
// space, U+0085, U+00A0 and the other White_Space runes (U+1680, U+2000-U+200A, U+2028,
// U+2029, U+202F, U+205F, U+3000).
inline size_t spaceAt(std::string_view s, size_t i) {
  const unsigned char c = byteAt(s, i);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  const size_t left = s.size() - i;
  if (c == 0xC2 && left >= 2 && (byteAt(s, i + 1) == 0x85 || byteAt(s, i + 1) == 0xA0)) return 2;
  if (left < 3) return 0;
  const unsigned char c1 = byteAt(s, i + 1);
  const unsigned char c2 = byteAt(s, i + 2);
  if (c == 0xE1 && c1 == 0x9A && c2 == 0x80) return 3;
  if (c == 0xE2 && c1 == 0x80 &&
      ((c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF)) {
    return 3;
  }
  if (c == 0xE2 && c1 == 0x81 && c2 == 0x9F) return 3;
  if (c == 0xE3 && c1 == 0x80 && c2 == 0x80) return 3;
  return 0;
}

inline std::string_view trimLeftSpace(std::string_view s) {
  size_t n = 0;
  while (!s.empty() && (n = spaceAt(s, 0)) > 0) s.remove_prefix(n);
  return s;
}

inline std::string_view trimSpace(std::string_view s) {
  s = trimLeftSpace(s);
  for (;;) {
    const size_t size = s.size();
    if (size >= 1 && spaceAt(s, size - 1) == 1) {
      s.remove_suffix(1);
    } else if (size >= 2 && spaceAt(s, size - 2) == 2) {
      s.remove_suffix(2);
    } else if (size >= 3 && spaceAt(s, size - 3) == 3) {
      s.remove_suffix(3);
    } else {
      return s;
    }
  }
}

// Only ASCII letters matter: a media type or parameter name with any other byte is not a token.
inline std::string toLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

inline std::pair<std::string_view, std::string_view> consumeToken(std::string_view v) {
  size_t i = 0;
  while (i < v.size() && isTokenChar(byteAt(v, i))) ++i;
  return {v.substr(0, i), v.substr(i)};
}

inline bool checkMediaTypeDisposition(std::string_view s) {
  auto [type, rest] = consumeToken(s);
  if (type.empty()) return false;
  if (rest.empty()) return true;
  if (rest.front() != '/') return false;
  auto [subtype, after] = consumeToken(rest.substr(1));
  return !subtype.empty() && after.empty();
}

// A token or a quoted-string. `ok` is false where Go returns ("", v).
struct Value {
  bool ok;
  std::string value;
  std::string_view rest;
};

inline Value consumeValue(std::string_view v) {
  if (v.empty()) return {false, {}, v};
  if (v.front() != '"') {
    auto [token, rest] = consumeToken(v);
    return {!token.empty(), std::string(token), rest};
  }
  std::string buffer;
  for (size_t i = 1; i < v.size(); ++i) {
    const char r = v[i];
    if (r == '"') return {true, std::move(buffer), v.substr(i + 1)};
    // Go (for MSIE's sake) treats a backslash before anything but a tspecial as literal.
    if (r == '\\' && i + 1 < v.size() && isTSpecial(byteAt(v, i + 1))) {
      buffer.push_back(v[++i]);
      continue;
    }
    if (r == '\r' || r == '\n') return {false, {}, v};
    buffer.push_back(r);
  }
  return {false, {}, v};  // no closing quote
}

struct Param {
  bool ok;
  std::string name;
  std::string value;
  std::string_view rest;
};

inline Param consumeMediaParam(std::string_view v) {
  const Param failed{false, {}, {}, v};
  std::string_view rest = trimLeftSpace(v);
  if (rest.empty() || rest.front() != ';') return failed;
  rest = trimLeftSpace(rest.substr(1));
  auto [name, after_name] = consumeToken(rest);
  if (name.empty()) return failed;
  rest = trimLeftSpace(after_name);
  if (rest.empty() || rest.front() != '=') return failed;
  rest = trimLeftSpace(rest.substr(1));
  Value value = consumeValue(rest);
  if (!value.ok) return failed;
  return {true, toLowerAscii(name), std::move(value.value), value.rest};
}

inline bool isHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
inline int unhex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

inline std::optional<std::string> percentHexUnescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '%') {
      out.push_back(s[i++]);
      continue;
    }
    if (i + 2 >= s.size() || !isHex(s[i + 1]) || !isHex(s[i + 2])) return std::nullopt;
    out.push_back(static_cast<char>(unhex(s[i + 1]) << 4 | unhex(s[i + 2])));
    i += 3;
  }
  return out;
}

// RFC 2231 charset'language'percent-encoded-value; only us-ascii and utf-8 are understood.
inline std::optional<std::string> decode2231Enc(std::string_view v) {
  const size_t first = v.find('\'');
  if (first == std::string_view::npos) return std::nullopt;
  const size_t second = v.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const std::string charset = toLowerAscii(v.substr(0, first));
  if (charset != "us-ascii" && charset != "utf-8") return std::nullopt;
  return percentHexUnescape(v.substr(second + 1));
}

inline void stitchContinuations(const std::map<std::string, Params>& continuation, Params& params) {
  for (const auto& [key, pieces] : continuation) {
    if (auto single = pieces.find(key + "*"); single != pieces.end()) {
      if (auto decoded = decode2231Enc(single->second)) params[key] = std::move(*decoded);
      continue;
    }
    std::string buffer;
    bool valid = false;
    for (size_t n = 0;; ++n) {
      const std::string simple_part = key + "*" + std::to_string(n);
      if (auto simple = pieces.find(simple_part); simple != pieces.end()) {
        valid = true;
        buffer += simple->second;
        continue;
      }
      auto encoded = pieces.find(simple_part + "*");
      if (encoded == pieces.end()) break;
      valid = true;
      auto decoded = n == 0 ? decode2231Enc(encoded->second) : percentHexUnescape(encoded->second);
      if (decoded) buffer += *decoded;
    }
    if (valid) params[key] = std::move(buffer);
  }
}

}  // namespace ferry::sdk::detail::mime
