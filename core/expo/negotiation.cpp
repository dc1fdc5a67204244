#include "core/expo/negotiation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ferry/support/go_strconv.hpp>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ferry::core::expo {
namespace {

struct Clause {
  std::string_view type;
  std::string_view subtype;
  double q = 1.0;
  std::map<std::string_view, std::string_view> params;
};

std::vector<std::string_view> split(std::string_view s, char sep, size_t max_parts = SIZE_MAX) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const size_t pos = s.find(sep);
    if (pos == std::string_view::npos) break;
    parts.push_back(s.substr(0, pos));
    s.remove_prefix(pos + 1);
  }
  parts.push_back(s);
  return parts;
}

// strings.Trim(s, " "): spaces only, not tabs.
std::string_view trimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// goautoneg.ParseAccept without the sort.
std::vector<Clause> parseAccept(std::string_view header) {
  std::vector<Clause> clauses;
  for (std::string_view part : split(header, ',')) {
    part = trimSpaces(part);
    Clause clause;
    const std::vector<std::string_view> mrp = split(part, ';');
    const std::vector<std::string_view> sp = split(mrp[0], '/');
    clause.type = trimSpaces(sp[0]);
    if (sp.size() == 1 && clause.type == "*") {
      clause.subtype = "*";
    } else if (sp.size() == 2) {
      clause.subtype = trimSpaces(sp[1]);
    } else {
      continue;
    }
    for (size_t i = 1; i < mrp.size(); ++i) {
      const std::vector<std::string_view> kv = split(mrp[i], '=', 2);
      if (kv.size() != 2) continue;
      const std::string_view token = trimSpaces(kv[0]);
      if (token == "q") {
        // Go ignores the error: a syntax error leaves 0, overflow leaves ±Inf. The value is
        // not trimmed, so "q= 0.5" is 0.
        clause.q = support::parseGoFloat(kv[1], 32).value;
      } else {
        clause.params[token] = trimSpaces(kv[1]);
      }
    }
    clauses.push_back(std::move(clause));
  }
  return clauses;
}

// goautoneg's Less. It is not a strict weak ordering (a concrete type with a lower q sorts
// before a wildcard, NaN q compares false both ways), so the result depends on the algorithm.
bool goautonegLess(const Clause& a, const Clause& b) {
  if (a.q > b.q) return true;
  if (a.type != "*" && b.type == "*") return true;
  if (a.subtype != "*" && b.subtype == "*") return true;
  return false;
}

// Go 1.19's sort.Sort runs a plain insertion sort on up to 12 elements, which covers every
// real Accept header; replaying it keeps even the odd cases (NaN q) identical. Longer lists
// go through pdqsort in Go, which is not stable; there a stable sort on a consistent key
// (q descending, NaN last, concrete before wildcard) gives the order those clauses mean.
void sortClauses(std::vector<Clause>& clauses) {
  constexpr size_t kMaxInsertion = 12;
  if (clauses.size() <= kMaxInsertion) {
    for (size_t i = 1; i < clauses.size(); ++i) {
      for (size_t j = i; j > 0 && goautonegLess(clauses[j], clauses[j - 1]); --j) {
        std::swap(clauses[j], clauses[j - 1]);
      }
    }
    return;
  }
  auto rank = [](const Clause& c) {
    const double q = std::isnan(c.q) ? -std::numeric_limits<double>::infinity() : c.q;
    return std::make_tuple(-q, c.type == "*", c.subtype == "*");
  };
  std::stable_sort(clauses.begin(), clauses.end(),
                   [&](const Clause& a, const Clause& b) { return rank(a) < rank(b); });
}

std::string_view param(const Clause& clause, std::string_view key) {
  const auto it = clause.params.find(key);
  return it == clause.params.end() ? std::string_view() : it->second;
}

// strings.TrimSpace: ASCII whitespace plus the Unicode White_Space code points Go's
// unicode.IsSpace knows (U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F,
// U+205F, U+3000), UTF-8 encoded.
size_t leadingSpaceLen(std::string_view s) {
  if (s.empty()) return 0;
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 == ' ' || (b0 >= '\t' && b0 <= '\r')) return 1;
  if (s.size() >= 2 && b0 == 0xC2) {
    const auto b1 = static_cast<unsigned char>(s[1]);
    return (b1 == 0x85 || b1 == 0xA0) ? 2 : 0;
  }
  if (s.size() < 3) return 0;
  const auto b1 = static_cast<unsigned char>(s[1]);
  const auto b2 = static_cast<unsigned char>(s[2]);
  if (b0 == 0xE1 && b1 == 0x9A && b2 == 0x80) return 3;  // U+1680
  if (b0 == 0xE2 && b1 == 0x80 &&
      ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)) {
    return 3;  // U+2000..U+200A, U+2028, U+2029, U+202F
  }
  if (b0 == 0xE2 && b1 == 0x81 && b2 == 0x9F) return 3;  // U+205F
  if (b0 == 0xE3 && b1 == 0x80 && b2 == 0x80) return 3;  // U+3000
  return 0;
}

size_t trailingSpaceLen(std::string_view s) {
  for (size_t len : {size_t{1}, size_t{2}, size_t{3}}) {
    if (s.size() >= len && leadingSpaceLen(s.substr(s.size() - len)) == len) return len;
  }
  return 0;
}

std::string_view trimGoSpace(std::string_view s) {
  for (size_t n; (n = leadingSpaceLen(s)) > 0;) s.remove_prefix(n);
  for (size_t n; (n = trailingSpaceLen(s)) > 0;) s.remove_suffix(n);
  return s;
}

}  // namespace

Format negotiate(std::string_view accept) {
  std::vector<Clause> clauses = parseAccept(accept);
  sortClauses(clauses);
  for (const Clause& clause : clauses) {
    if (clause.type == "application" && clause.subtype == "vnd.google.protobuf" &&
        param(clause, "proto") == "io.prometheus.client.MetricFamily") {
      const std::string_view encoding = param(clause, "encoding");
      if (encoding == "delimited") return Format::kProtoDelimited;
      if (encoding == "text") return Format::kProtoText;
      if (encoding == "compact-text") return Format::kProtoCompactText;
    }
    const std::string_view version = param(clause, "version");
    if (clause.type == "text" && clause.subtype == "plain" &&
        (version == "0.0.4" || version.empty())) {
      return Format::kText;
    }
  }
  return Format::kText;
}

std::string_view contentType(Format f) {
  switch (f) {
    case Format::kProtoDelimited:
      return "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
             "encoding=delimited";
    case Format::kProtoText:
      return "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
             "encoding=text";
    case Format::kProtoCompactText:
      return "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
             "encoding=compact-text";
    case Format::kText:
      break;
  }
  return "text/plain; version=0.0.4; charset=utf-8";
}

bool acceptsGzip(std::string_view accept_encoding) {
  for (std::string_view part : split(accept_encoding, ',')) {
    part = trimGoSpace(part);
    if (part == "gzip" || part.substr(0, 5) == "gzip;") return true;
  }
  return false;
}

}  // namespace ferry::core::expo
