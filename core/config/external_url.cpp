#include "core/config/external_url.h"

#include <ferry/support/go_quote.hpp>
#include <ferry/support/go_url.hpp>
#include <stdexcept>

namespace ferry::core::config {
namespace {

// The url package's own error text, before kingpin's "invalid URL: parse ..." wrapping.
class UrlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using Mode = support::GoUrlEncoding;
using support::goShouldEscape;

bool isHex(unsigned char c) { return support::goHexValue(c) >= 0; }

int unhex(unsigned char c) { return support::goHexValue(c); }

// Go's url.unescape: decodes %XX, throwing the url package's error text on malformed input.
std::string unescape(std::string_view s, Mode mode) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 2 >= s.size() || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
        throw UrlError("invalid URL escape " + support::goQuote(s.substr(i, 3)));
      }
      // RFC 3986 allows %-encoding in a host only for non-ASCII bytes (and %25 in a zone).
      if (mode == Mode::kHost && unhex(s[i + 1]) < 8 && s.substr(i, 3) != "%25") {
        throw UrlError("invalid URL escape " + support::goQuote(s.substr(i, 3)));
      }
      if (mode == Mode::kZone) {
        int v = unhex(s[i + 1]) << 4 | unhex(s[i + 2]);
        if (s.substr(i, 3) != "%25" && v != ' ' && goShouldEscape(v, Mode::kHost)) {
          throw UrlError("invalid URL escape " + support::goQuote(s.substr(i, 3)));
        }
      }
      out += static_cast<char>(unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
      i += 3;
      continue;
    }
    if ((mode == Mode::kHost || mode == Mode::kZone) && c < 0x80 && goShouldEscape(c, mode)) {
      throw UrlError("invalid character " + support::goQuote(s.substr(i, 1)) + " in host name");
    }
    out += static_cast<char>(c);
    ++i;
  }
  return out;
}

bool validOptionalPort(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  for (char c : port.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void parseHost(std::string_view host) {
  if (!host.empty() && host[0] == '[') {
    size_t close = host.rfind(']');
    if (close == std::string_view::npos) throw UrlError("missing ']' in host");
    std::string_view colon_port = host.substr(close + 1);
    if (!validOptionalPort(colon_port)) {
      throw UrlError("invalid port " + support::goQuote(colon_port) + " after host");
    }
    size_t zone = host.substr(0, close).find("%25");
    if (zone != std::string_view::npos) {
      unescape(host.substr(0, zone), Mode::kHost);
      unescape(host.substr(zone, close - zone), Mode::kZone);
      unescape(host.substr(close), Mode::kHost);
      return;
    }
  } else if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    std::string_view colon_port = host.substr(colon);
    if (!validOptionalPort(colon_port)) {
      throw UrlError("invalid port " + support::goQuote(colon_port) + " after host");
    }
  }
  unescape(host, Mode::kHost);
}

bool validUserinfo(std::string_view s) {
  for (unsigned char c : s) {
    if (support::goIsAsciiAlnum(c)) continue;
    switch (c) {
      case '-':
      case '.':
      case '_':
      case ':':
      case '~':
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
      case '%':
      case '@':
        continue;
      default:
        return false;
    }
  }
  return true;
}

void parseAuthority(std::string_view authority) {
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    if (!validUserinfo(userinfo)) throw UrlError("net/url: invalid userinfo");
    unescape(userinfo, Mode::kUserPassword);
    authority = authority.substr(at + 1);
  }
  parseHost(authority);
}

// Go's url.parse (not via a request); returns the decoded path or throws the error text.
std::string parsePath(std::string_view raw) {
  for (unsigned char c : raw) {
    if (c < 0x20 || c == 0x7F) throw UrlError("net/url: invalid control character in URL");
  }
  if (raw == "*") return "*";

  // The scheme: a letter, then letters, digits, '+', '-', '.', up to ':'.
  std::string_view scheme;
  std::string_view rest = raw;
  for (size_t i = 0; i < raw.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) throw UrlError("missing protocol scheme");
      scheme = raw.substr(0, i);
      rest = raw.substr(i + 1);
    }
    break;
  }

  if (rest.size() >= 1 && rest.back() == '?' && rest.find('?') == rest.size() - 1) {
    rest.remove_suffix(1);
  } else if (size_t q = rest.find('?'); q != std::string_view::npos) {
    rest = rest.substr(0, q);
  }

  if (rest.empty() || rest[0] != '/') {
    if (!scheme.empty()) return "";  // opaque: "mailto:x" has no path
    // RFC 3986 §3.3: a relative path's first segment cannot contain a colon.
    if (rest.substr(0, rest.find('/')).find(':') != std::string_view::npos) {
      throw UrlError("first path segment in URL cannot contain colon");
    }
  }

  bool has_authority = rest.substr(0, 2) == "//" && (!scheme.empty() || rest.substr(0, 3) != "///");
  if (has_authority) {
    std::string_view authority = rest.substr(2);
    size_t slash = authority.find('/');
    rest = slash == std::string_view::npos ? std::string_view() : authority.substr(slash);
    parseAuthority(authority.substr(0, slash));
  }
  return unescape(rest, Mode::kPath);
}

// True for "" and for "/a/b": every segment non-empty and neither "." nor "..", no trailing
// "/". The paths a request can reach after the mux has cleaned them.
bool isCleanPrefix(std::string_view prefix) {
  if (prefix.empty()) return true;
  if (prefix[0] != '/') return false;
  size_t start = 1;
  while (true) {
    size_t slash = prefix.find('/', start);
    std::string_view segment = prefix.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

}  // namespace

std::string externalUrlPath(std::string_view url) {
  size_t hash = url.find('#');
  std::string_view without_fragment = url.substr(0, hash);
  try {
    std::string path = parsePath(without_fragment);
    if (hash != std::string_view::npos) {
      try {
        unescape(url.substr(hash + 1), Mode::kFragment);
      } catch (const UrlError& why) {
        throw ConfigError("invalid URL: parse " + support::goQuote(url) + ": " + why.what());
      }
    }
    return path;
  } catch (const UrlError& why) {
    throw ConfigError("invalid URL: parse " + support::goQuote(without_fragment) + ": " +
                      why.what());
  }
}

std::string computeRoutePrefix(std::string_view prefix, std::string_view external_url_path) {
  std::string result(prefix.empty() ? external_url_path : prefix);
  if (result == "/") return "";
  if (result.empty() || result[0] != '/') result.insert(0, "/");
  if (result.back() == '/') result.pop_back();
  return result;
}

std::string routePrefix(const Options& options) {
  std::string prefix =
      computeRoutePrefix(options.route_prefix, externalUrlPath(options.external_url));
  if (!isCleanPrefix(prefix)) {
    const bool from_flag = !options.route_prefix.empty();
    throw ConfigError(
        (from_flag ? "--web.route-prefix " + support::goQuote(options.route_prefix)
                   : "the path of --web.external-url " + support::goQuote(options.external_url)) +
        " gives the route prefix " + support::goQuote(prefix) +
        ", which is not a clean path (an empty, \".\" or \"..\" segment), so no "
        "route under it could be reached");
  }
  return prefix;
}

}  // namespace ferry::core::config
