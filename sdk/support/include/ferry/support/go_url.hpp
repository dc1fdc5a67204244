// Go's net/url escaping rules, which the Pushgateway applies both to the request path (what it
// routes and how it re-escapes a path) and to --web.external-url (url.Parse's validation). Part of
// Ferry::support. Inline: the request path is checked byte by byte on every request.
#pragma once

namespace ferry::support {

// The url package's encoding modes that Ferry needs.
enum class GoUrlEncoding { kPath, kHost, kZone, kUserPassword, kFragment };

constexpr bool goIsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The value of a hex digit, or -1 if `c` is none (Go's ishex/unhex).
constexpr int goHexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Go's url.shouldEscape(c, mode): must `c` be %-escaped in that part of a URL?
constexpr bool goShouldEscape(unsigned char c, GoUrlEncoding mode) {
  if (goIsAsciiAlnum(c)) return false;
  if (mode == GoUrlEncoding::kHost || mode == GoUrlEncoding::kZone) {
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
      case '[':
      case ']':
      case '<':
      case '>':
      case '"':
        return false;
      default:
        break;
    }
  }
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '~':
      return false;
    case '$':
    case '&':
    case '+':
    case ',':
    case '/':
    case ':':
    case ';':
    case '=':
    case '?':
    case '@':
      switch (mode) {
        case GoUrlEncoding::kPath:
          return c == '?';
        case GoUrlEncoding::kUserPassword:
          return c == '@' || c == '/' || c == '?' || c == ':';
        case GoUrlEncoding::kFragment:
          return false;
        default:
          break;
      }
      break;
    default:
      break;
  }
  if (mode == GoUrlEncoding::kFragment && (c == '!' || c == '(' || c == ')' || c == '*')) {
    return false;
  }
  return true;
}

}  // namespace ferry::support
