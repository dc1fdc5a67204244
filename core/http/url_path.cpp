#include "core/http/url_path.h"

#include <ferry/support/go_url.hpp>

namespace ferry::core::http {
namespace {

int hexValue(char c) { return support::goHexValue(static_cast<unsigned char>(c)); }

bool shouldEscapeInPath(char c) {
  return support::goShouldEscape(static_cast<unsigned char>(c), support::GoUrlEncoding::kPath);
}

// Go's validEncoded(s, encodePath): could `s` have been produced by a sane encoder?
bool validEncodedPath(std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case ':':
      case '@':
      case '[':
      case ']':
      case '%':
        break;
      default:
        if (shouldEscapeInPath(c)) return false;
    }
  }
  return true;
}

}  // namespace

bool containsControlByte(std::string_view s) {
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) return true;
  }
  return false;
}

std::optional<std::string> unescapePath(std::string_view raw) {
  // Most paths have nothing escaped.
  if (raw.find('%') == std::string_view::npos) return std::string(raw);
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out.push_back(raw[i]);
      continue;
    }
    if (i + 2 >= raw.size()) return std::nullopt;
    const int hi = hexValue(raw[i + 1]);
    const int lo = hexValue(raw[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
    i += 2;
  }
  return out;
}

std::string escapePath(std::string_view path) {
  static constexpr char kUpperHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (!shouldEscapeInPath(c)) {
      out.push_back(c);
      continue;
    }
    const auto b = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(kUpperHex[b >> 4]);
    out.push_back(kUpperHex[b & 0xF]);
  }
  return out;
}

std::string escapedPath(std::string_view path, std::string_view raw_path) {
  if (!raw_path.empty() && validEncodedPath(raw_path)) {
    const std::optional<std::string> decoded = unescapePath(raw_path);
    if (decoded && *decoded == path) return std::string(raw_path);
  }
  return escapePath(path);
}

std::string_view rawPathField(std::string_view raw, std::string_view decoded) {
  // Cheap check first: most request paths need no escaping at all.
  if (raw.size() == decoded.size() && raw == decoded) {
    bool plain = true;
    for (char c : raw) plain = plain && !shouldEscapeInPath(c);
    if (plain) return {};
  }
  return escapePath(decoded) == raw ? std::string_view() : raw;
}

std::string cleanPath(std::string_view path) {
  if (path.empty()) return ".";
  const bool rooted = path[0] == '/';
  const size_t n = path.size();
  std::string out;
  out.reserve(n);
  size_t r = 0;
  size_t dotdot = 0;  // out[:dotdot] cannot be backtracked over by ".."
  if (rooted) {
    out.push_back('/');
    r = dotdot = 1;
  }
  while (r < n) {
    if (path[r] == '/') {
      ++r;
    } else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
      ++r;
    } else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
      r += 2;
      if (out.size() > dotdot) {
        // Back up to the '/' that starts the last element (or to dotdot) and cut there.
        size_t w = out.size() - 1;
        while (w > dotdot && out[w] != '/') --w;
        out.resize(w);
      } else if (!rooted) {
        if (!out.empty()) out.push_back('/');
        out += "..";
        dotdot = out.size();
      }
    } else {
      if ((rooted && out.size() != 1) || (!rooted && !out.empty())) out.push_back('/');
      for (; r < n && path[r] != '/'; ++r) out.push_back(path[r]);
    }
  }
  if (out.empty()) return ".";
  return out;
}

std::string cleanRequestPath(std::string_view path) {
  if (path.empty()) return "/";
  std::string p = path[0] == '/' ? std::string(path) : "/" + std::string(path);
  std::string cleaned = cleanPath(p);
  if (p.back() == '/' && cleaned != "/") cleaned.push_back('/');
  return cleaned;
}

bool isCleanRequestPath(std::string_view path) {
  if (path.empty() || path[0] != '/') return false;
  size_t start = 1;
  while (true) {
    const size_t slash = path.find('/', start);
    const std::string_view segment = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment == "." || segment == "..") return false;
    if (slash == std::string_view::npos) return true;  // last segment, may be "" (trailing '/')
    if (segment.empty()) return false;                 // "//"
    start = slash + 1;
  }
}

std::string joinPath(std::string_view a, std::string_view b) {
  if (!a.empty()) return cleanPath(std::string(a) + "/" + std::string(b));
  if (!b.empty()) return cleanPath(b);
  return "";
}

}  // namespace ferry::core::http
