#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::core::model {

// A regular expression with PromQL's semantics for label matchers: the pattern must match the
// whole value (as if written ^(?s:pattern)$: anchored at both ends, '.' also matching a
// newline), in RE2 syntax.
//
// The engine is PCRE (libpcre3), the library Poco::RegularExpression wraps, used directly
// because Poco's wrapper cannot bound a match: a backtracking engine can take exponential time
// on patterns such as (a+)+b, and a selector comes from any client with read rights. Every match
// runs with a match limit, and a value that hits it fails the request (kTooComplex) instead of
// holding a thread. std::regex was not taken (slower, unbounded recursion, ECMAScript syntax);
// RE2 itself is not part of the stack.
//
// RE2 compatibility: PCRE accepts more than RE2. What RE2 (and so Prometheus) refuses is
// refused here too, with a message: back-references (\1, \k<n>, (?P=n)), look-around ((?=...),
// (?!...), (?<=...), (?<!...)), atomic groups, possessive quantifiers (a++), recursion and
// subroutine calls, conditionals, callouts, comments, backtracking verbs ((*...)), \C \X \R \K
// \G \Z \e \h \H \v \V \N, repeat counts above 1000, and inline flags other than i, m, s, U.
// PCRE's \d, \w, \s and \b are ASCII-only as in RE2. Remaining difference: for alternations
// RE2 prefers the leftmost-first match like PCRE, and since the whole value must match, the
// results agree.
class FullMatchRegex {
 public:
  enum class Result { kNoMatch, kMatch, kTooComplex };

  // The compiled pattern, or nullptr with `error` set ("invalid regular expression ...").
  static std::shared_ptr<const FullMatchRegex> compile(std::string_view pattern,
                                                       std::string& error);
  ~FullMatchRegex();
  FullMatchRegex(const FullMatchRegex&) = delete;
  FullMatchRegex& operator=(const FullMatchRegex&) = delete;

  // Safe to call from many threads at once. A value that is not valid UTF-8 does not match.
  Result match(std::string_view value) const;
  const std::string& pattern() const { return pattern_; }

 private:
  struct Compiled;
  FullMatchRegex(std::string pattern, std::unique_ptr<Compiled> compiled);

  std::string pattern_;
  std::unique_ptr<Compiled> compiled_;
};

// Why RE2 would refuse `pattern` although PCRE accepts it, or nullopt. Exposed for tests.
std::optional<std::string> re2Incompatibility(std::string_view pattern);

}  // namespace ferry::core::model
