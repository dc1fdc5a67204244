#include <algorithm>
#include <array>
#include <cstdint>
#include <ferry/support/utf8.hpp>
#include <optional>
#include <string>
#include <utility>

#include "core/http/route_tree.h"
#include "core/http/route_tree_node.h"

// httprouter's case-insensitive path fixing (findCaseInsensitivePath), kept separate from the
// tree's construction and exact lookup.
namespace ferry::core::http {
namespace {

using Node = RouteTree::Node;
using Type = Node::Type;

using RuneBuf = std::array<uint8_t, 4>;

RuneBuf shiftRuneBytes(const RuneBuf& rb, size_t n) {
  RuneBuf out{};
  for (size_t i = n; i < rb.size(); ++i) out[i - n] = rb[i];
  return out;
}

// Go's utf8.EncodeRune into the front of `rb`; the bytes after the encoding are left alone.
void encodeRuneInto(RuneBuf& rb, char32_t r) {
  std::string bytes;
  support::appendRune(bytes, r);
  // appendRune writes at most 4 bytes; the explicit bound keeps GCC 12's -Wstringop-overflow
  // from assuming more.
  for (size_t i = 0; i < bytes.size() && i < rb.size(); ++i) {
    rb[i] = static_cast<uint8_t>(bytes[i]);
  }
}

// unicode.ToLower / ToUpper for ASCII plus the non-ASCII runes that map into ASCII (the only
// ones that can meet an ASCII route byte). Other non-ASCII runes are left unchanged.
char32_t toLowerRune(char32_t r) {
  if (r >= 'A' && r <= 'Z') return r + ('a' - 'A');
  switch (r) {
    case 0x0130:  // LATIN CAPITAL LETTER I WITH DOT ABOVE
      return 'i';
    case 0x212A:  // KELVIN SIGN
      return 'k';
    default:
      return r;
  }
}

char32_t toUpperRune(char32_t r) {
  if (r >= 'a' && r <= 'z') return r - ('a' - 'A');
  switch (r) {
    case 0x0131:  // LATIN SMALL LETTER DOTLESS I
      return 'I';
    case 0x017F:  // LATIN SMALL LETTER LONG S
      return 'S';
    default:
      return r;
  }
}

char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

// strings.EqualFold for equally long byte windows. With an ASCII side, Go's Unicode folding
// can only ever pair ASCII with ASCII here, so ASCII folding is exact; non-ASCII bytes (only
// possible in a configured route prefix or telemetry path) must match exactly.
bool equalFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (asciiLower(a[i]) != asciiLower(b[i])) return false;
  }
  return true;
}

struct CiResult {
  std::string path;
  bool found;
};

CiResult findCaseInsensitiveRec(const Node* n, std::string_view path, std::string ci, RuneBuf rb,
                                bool fix) {
  size_t np_len = n->path.size();
  while (path.size() >= np_len && (np_len == 0 || equalFold(path.substr(1, np_len - 1),
                                                            std::string_view(n->path).substr(1)))) {
    const std::string_view old_path = path;
    path.remove_prefix(np_len);
    ci += n->path;

    if (path.empty()) {
      if (n->handle >= 0) return {std::move(ci), true};
      if (fix) {
        if (const Node* slash = n->childAt('/')) {
          if ((slash->path.size() == 1 && slash->handle >= 0) ||
              (slash->type == Type::kCatchAll && slash->children[0]->handle >= 0)) {
            return {ci + "/", true};
          }
          return {std::move(ci), false};
        }
      }
      return {std::move(ci), false};
    }

    if (!n->wild_child) {
      // `rb` carries the not yet consumed bytes of the rune being matched. httprouter does not
      // reset it when a parameter is crossed, and that stale byte decides the next step.
      rb = shiftRuneBytes(rb, np_len);
      if (rb[0] != 0) {
        if (const Node* next = n->childAt(static_cast<char>(rb[0]))) {
          n = next;
          np_len = n->path.size();
          continue;
        }
      } else {
        char32_t rv = 0;
        size_t off = 0;
        for (const size_t max = std::min<size_t>(np_len, 3); off < max; ++off) {
          const size_t i = np_len - off;
          if ((static_cast<uint8_t>(old_path[i]) & 0xC0) != 0x80) {
            rv = support::decodeRune(old_path.substr(i)).rune;
            break;
          }
        }
        const char32_t lo = toLowerRune(rv);
        encodeRuneInto(rb, lo);
        rb = shiftRuneBytes(rb, off);
        if (const Node* next = n->childAt(static_cast<char>(rb[0]))) {
          // Both the lower- and the upper-case byte may be indices: try lower case first.
          CiResult r = findCaseInsensitiveRec(next, path, ci, rb, fix);
          if (r.found) return r;
        }
        const char32_t up = toUpperRune(rv);
        if (up != lo) {
          encodeRuneInto(rb, up);
          rb = shiftRuneBytes(rb, off);
          if (const Node* next = n->childAt(static_cast<char>(rb[0]))) {
            n = next;
            np_len = n->path.size();
            continue;
          }
        }
      }
      return {std::move(ci), fix && path == "/" && n->handle >= 0};
    }

    n = n->children[0].get();
    if (n->type == Type::kCatchAll) return {ci + std::string(path), true};
    const size_t k = std::min(path.find('/'), path.size());
    ci += path.substr(0, k);
    if (k < path.size()) {
      if (!n->children.empty()) {
        n = n->children[0].get();
        np_len = n->path.size();
        path.remove_prefix(k);
        continue;
      }
      return {std::move(ci), fix && path.size() == k + 1};
    }
    if (n->handle >= 0) return {std::move(ci), true};
    if (fix && n->children.size() == 1) {
      const Node* child = n->children[0].get();
      if (child->path == "/" && child->handle >= 0) return {ci + "/", true};
    }
    return {std::move(ci), false};
  }

  if (fix) {
    if (path == "/") return {std::move(ci), true};
    if (!path.empty() && path.size() + 1 == np_len && n->path[path.size()] == '/' &&
        equalFold(path.substr(1), std::string_view(n->path).substr(1, path.size() - 1)) &&
        n->handle >= 0) {
      return {ci + n->path, true};
    }
  }
  return {std::move(ci), false};
}

}  // namespace

std::optional<std::string> RouteTree::findCaseInsensitivePath(std::string_view path,
                                                              bool fix_trailing_slash) const {
  std::string ci;
  ci.reserve(path.size() + 1);
  CiResult r =
      findCaseInsensitiveRec(root_.get(), path, std::move(ci), RuneBuf{}, fix_trailing_slash);
  if (!r.found) return std::nullopt;
  return std::move(r.path);
}

}  // namespace ferry::core::http
