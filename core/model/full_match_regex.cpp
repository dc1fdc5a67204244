#include "core/model/full_match_regex.h"

#include <pcre.h>

#include <climits>
#include <cstring>

namespace ferry::core::model {
namespace {

// Bounds one match: a few milliseconds of backtracking at most. A label value that needs more
// fails the request (kTooComplex) rather than holding the thread.
constexpr unsigned long kMatchLimit = 200000;
constexpr unsigned long kRecursionLimit = 2000;
// RE2 refuses larger repeat counts.
constexpr unsigned long kMaxRepeat = 1000;

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isOctal(char c) { return c >= '0' && c <= '7'; }
bool isNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

// At p[i] == '{': the end of a repeat {n}, {n,} or {n,m} (just past '}'), or 0 if it is none
// (then RE2 and PCRE both take the brace literally). `too_large` is set for counts > 1000.
size_t repeatEnd(std::string_view p, size_t i, bool& too_large) {
  size_t j = i + 1;
  auto number = [&](unsigned long& value) {
    size_t start = j;
    value = 0;
    while (j < p.size() && isDigit(p[j])) {
      if (value <= kMaxRepeat) value = value * 10 + static_cast<unsigned long>(p[j] - '0');
      ++j;
    }
    return j > start;
  };
  unsigned long low = 0, high = 0;
  if (!number(low)) return 0;
  if (j < p.size() && p[j] == ',') {
    ++j;
    number(high);
  }
  if (j >= p.size() || p[j] != '}') return 0;
  too_large = low > kMaxRepeat || high > kMaxRepeat;
  return j + 1;
}

std::optional<std::string> groupIncompatibility(std::string_view p, size_t i) {
  // p[i] == '(' and p[i + 1] == '?'
  char d = i + 2 < p.size() ? p[i + 2] : '\0';
  char e = i + 3 < p.size() ? p[i + 3] : '\0';
  if (d == ':') return std::nullopt;
  if (d == 'P' && e == '<') return std::nullopt;        // (?P<name>...)
  if (d == '<' && isNameStart(e)) return std::nullopt;  // (?<name>...)
  if (d == '=' || d == '!') return "look-ahead assertions (?" + std::string(1, d) + "...)";
  if (d == '<') return "look-behind assertions (?<" + std::string(1, e) + "...)";
  if (d == '>') return "atomic groups (?>...)";
  if (d == '#') return "comments (?#...)";
  if (d == 'P') return "(?P" + std::string(1, e) + "...)";
  size_t j = i + 2;
  while (j < p.size() && std::strchr("imsU-", p[j]) != nullptr && p[j] != '\0') ++j;
  if (j < p.size() && j > i + 2 && (p[j] == ')' || p[j] == ':')) return std::nullopt;
  return "(?" + std::string(p.substr(i + 2, std::min<size_t>(j - i - 1, 3))) +
         "...) (it knows the groups (?:...), (?P<name>...), (?<name>...) and the flags i, m, s, "
         "U)";
}

}  // namespace

std::optional<std::string> re2Incompatibility(std::string_view p) {
  bool in_class = false;
  for (size_t i = 0; i < p.size();) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size()) return std::nullopt;  // the compiler reports the trailing '\'
      const char e = p[i + 1];
      if (e == 'Q') {  // literal text up to \E
        size_t end = p.find("\\E", i + 2);
        i = end == std::string_view::npos ? p.size() : end + 2;
        continue;
      }
      if (!in_class && e >= '1' && e <= '9' &&
          !(isOctal(e) && i + 2 < p.size() && isOctal(p[i + 2]))) {
        return "back-references (\\" + std::string(1, e) + ")";
      }
      const char* refused = in_class ? "CXRehHvVN" : "CXRKGZehHvVNgk";
      if (e != '\0' && std::strchr(refused, e) != nullptr) return "\\" + std::string(1, e);
      i += 2;
      continue;
    }
    if (in_class) {
      if (c == '[' && i + 1 < p.size() && p[i + 1] == ':') {  // [:alpha:]
        size_t end = p.find(":]", i + 2);
        i = end == std::string_view::npos ? p.size() : end + 2;
        continue;
      }
      if (c == ']') in_class = false;
      ++i;
      continue;
    }
    switch (c) {
      case '[':
        in_class = true;
        ++i;
        if (i < p.size() && p[i] == '^') ++i;
        if (i < p.size() && p[i] == ']') ++i;  // a leading ']' is literal
        continue;
      case '(':
        if (i + 1 < p.size() && p[i + 1] == '*') return "backtracking verbs (*...)";
        if (i + 1 < p.size() && p[i + 1] == '?') {
          if (auto why = groupIncompatibility(p, i)) return why;
        }
        break;
      case '{': {
        bool too_large = false;
        size_t end = repeatEnd(p, i, too_large);
        if (end == 0) break;
        if (too_large) return "repeat counts above 1000";
        if (end < p.size() && p[end] == '+') return "possessive quantifiers ({n}+)";
        i = end;
        continue;
      }
      case '*':
      case '+':
      case '?':
        if (i + 1 < p.size() && p[i + 1] == '+') {
          return "possessive quantifiers (" + std::string(p.substr(i, 2)) + ")";
        }
        break;
      default:
        break;
    }
    ++i;
  }
  return std::nullopt;
}

struct FullMatchRegex::Compiled {
  pcre* code = nullptr;
  pcre_extra* studied = nullptr;  // from pcre_study, may be null
  pcre_extra limits{};            // used when pcre_study had nothing to add

  ~Compiled() {
    if (studied) pcre_free_study(studied);
    if (code) pcre_free(code);
  }
  pcre_extra* extra() { return studied ? studied : &limits; }
};

FullMatchRegex::FullMatchRegex(std::string pattern, std::unique_ptr<Compiled> compiled)
    : pattern_(std::move(pattern)), compiled_(std::move(compiled)) {}

FullMatchRegex::~FullMatchRegex() = default;

std::shared_ptr<const FullMatchRegex> FullMatchRegex::compile(std::string_view pattern,
                                                              std::string& error) {
  const std::string text(pattern);
  if (text.find('\0') != std::string::npos) {
    error = "invalid regular expression: contains a NUL byte";
    return nullptr;
  }
  const int options =
      PCRE_UTF8 | PCRE_DOTALL | PCRE_DOLLAR_ENDONLY | PCRE_NO_AUTO_CAPTURE | PCRE_ANCHORED;
  const char* message = nullptr;
  int offset = 0;
  // RE2's refusals first, with their own message; then PCRE on the pattern alone, so that
  // "a)|(b" cannot slip through the wrapping group.
  if (auto why = re2Incompatibility(text)) {
    error = "invalid regular expression: RE2 syntax (as in PromQL) has no " + *why;
    return nullptr;
  }
  pcre* alone = pcre_compile(text.c_str(), options, &message, &offset, nullptr);
  if (!alone) {
    error = "invalid regular expression: " + std::string(message ? message : "error") +
            " at offset " + std::to_string(offset);
    return nullptr;
  }
  pcre_free(alone);
  auto compiled = std::make_unique<Compiled>();
  const std::string anchored = "(?:" + text + ")\\z";
  compiled->code = pcre_compile(anchored.c_str(), options, &message, &offset, nullptr);
  if (!compiled->code) {
    error = "invalid regular expression: " + std::string(message ? message : "error");
    return nullptr;
  }
  compiled->studied = pcre_study(compiled->code, PCRE_STUDY_JIT_COMPILE, &message);
  pcre_extra* extra = compiled->extra();
  extra->flags |= PCRE_EXTRA_MATCH_LIMIT | PCRE_EXTRA_MATCH_LIMIT_RECURSION;
  extra->match_limit = kMatchLimit;
  extra->match_limit_recursion = kRecursionLimit;
  return std::shared_ptr<const FullMatchRegex>(new FullMatchRegex(text, std::move(compiled)));
}

FullMatchRegex::Result FullMatchRegex::match(std::string_view value) const {
  if (value.size() > static_cast<size_t>(INT_MAX)) return Result::kNoMatch;
  int ovector[3];
  int rc = pcre_exec(compiled_->code, compiled_->extra(), value.data(),
                     static_cast<int>(value.size()), 0, 0, ovector, 3);
  if (rc >= 0) return Result::kMatch;
  switch (rc) {
    case PCRE_ERROR_NOMATCH:
    case PCRE_ERROR_BADUTF8:
    case PCRE_ERROR_SHORTUTF8:
      return Result::kNoMatch;
    default:  // match, recursion or JIT stack limit: too much backtracking for this value
      return Result::kTooComplex;
  }
}

}  // namespace ferry::core::model
