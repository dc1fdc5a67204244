// Group API selectors (core/model: parseSelector, PromQL label matchers on grouping labels,
// regular expressions through FullMatchRegex with RE2's syntax rules and a match limit).
// Input: "<selector>\0<label name>\0<label value>\0<second label value>"; the label is matched
// as the group's label `<label name>` (and `job` with the second value).
// Invariants:
//  - a refusal is a SelectorError with a message, nothing else escapes;
//  - an accepted selector has at least one matcher, label names [a-zA-Z_][a-zA-Z0-9_]*, and
//    never matches a group without labels (PromQL refuses selectors that match "");
//  - what toString() writes parses again to the same text (Go quoting and PromQL string
//    literals agree), and both selectors answer every match alike (or both give up on a
//    regular expression that needs too much backtracking).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/model/selector.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using ferry::core::model::LabelMap;
using ferry::core::model::parseSelector;
using ferry::core::model::Selector;
using ferry::core::model::SelectorError;
using ferry::fuzz::printable;

bool validName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// The answer, or nullopt when a regular expression hit the match limit.
std::optional<bool> tryMatch(const Selector& selector, const LabelMap& labels) {
  try {
    return selector.matches(labels);
  } catch (const SelectorError& e) {
    FUZZ_CHECK(*e.what() != '\0', "empty match error");
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto fields = ferry::fuzz::splitFields(ferry::fuzz::asView(data, size), 4);
  std::optional<Selector> selector;
  try {
    selector.emplace(parseSelector(fields[0]));
  } catch (const SelectorError& e) {
    FUZZ_CHECK(*e.what() != '\0', "refusal without a message for " + printable(fields[0]));
    return 0;
  }

  const std::string text = selector->toString();
  FUZZ_CHECK(!selector->matchers().empty(), "accepted without matchers: " + printable(fields[0]));
  for (const auto& m : selector->matchers()) {
    FUZZ_CHECK(validName(m.name()), "invalid label name " + printable(m.name()) + " in " + text);
  }
  const auto on_nothing = tryMatch(*selector, LabelMap{});
  FUZZ_CHECK(on_nothing != true, "matches a group without labels: " + text);

  std::optional<Selector> again;
  try {
    again.emplace(parseSelector(text));
  } catch (const SelectorError& e) {
    FUZZ_CHECK(false, "toString() does not parse: " + text + ": " + e.what());
  }
  FUZZ_CHECK(again->toString() == text,
             "round trip changed " + text + " into " + again->toString());

  LabelMap labels;
  labels[std::string(fields[1])] = std::string(fields[2]);
  labels["job"] = std::string(fields[3]);
  FUZZ_CHECK(tryMatch(*selector, labels) == tryMatch(*again, labels),
             "the parsed-again selector answers differently: " + text);
  return 0;
}
