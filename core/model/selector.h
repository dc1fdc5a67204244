#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/full_match_regex.h"
#include "core/model/grouping_key.h"

namespace ferry::core::model {

// A PromQL label matcher on grouping labels: name="value", name!="value", name=~"regex",
// name!~"regex". A label a group does not have counts as the empty string, as in PromQL.
class LabelMatcher {
 public:
  enum class Op { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };

  // Throws SelectorError for an invalid regular expression.
  LabelMatcher(std::string name, Op op, std::string value);

  const std::string& name() const { return name_; }
  Op op() const { return op_; }
  const std::string& value() const { return value_; }
  // Throws SelectorError when a regular expression needs too much backtracking on `value`.
  bool matches(std::string_view value) const;
  // `name="value"` as PromQL would print it.
  std::string toString() const;

 private:
  std::string name_;
  Op op_;
  std::string value_;
  std::shared_ptr<const FullMatchRegex> regex_;  // for the regex ops
};

class SelectorError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// {matcher, matcher, ...}: a group matches when every matcher matches its grouping labels.
class Selector {
 public:
  explicit Selector(std::vector<LabelMatcher> matchers) : matchers_(std::move(matchers)) {}

  // Throws SelectorError when a regular expression needs too much backtracking.
  bool matches(const LabelMap& labels) const;
  const std::vector<LabelMatcher>& matchers() const { return matchers_; }
  std::string toString() const;

 private:
  std::vector<LabelMatcher> matchers_;
};

// Parses `{job="a",instance=~"db-.*",env!="prod",x!~"y"}` as PromQL does: label names
// [a-zA-Z_][a-zA-Z0-9_]*, values as PromQL string literals ("...", '...' with Go escapes, or
// `raw`), a trailing comma allowed, whitespace around tokens. There is no metric name: these
// are grouping labels. As PromQL refuses {} and {x=""}, a selector needs at least one matcher
// that does not match the empty string; and since every group has a non-empty job, one whose
// only such matchers are job!="", job!~"" or job=~".+" would match every group and is refused
// too (the admin wipe is the way to remove everything). Throws SelectorError with a message
// that quotes the selector.
Selector parseSelector(std::string_view text);

}  // namespace ferry::core::model
