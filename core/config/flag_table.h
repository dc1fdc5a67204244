#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/config/options.h"

// The one list of command-line flags, in --help order. The parser, the usage text, the man page
// and the status API's "flags" object all read it, so a flag cannot be added to one and
// forgotten in another.
namespace ferry::core::config::detail {

enum class FlagAction { kNone, kHelp, kHelpLong, kHelpMan, kVersion };

struct FlagSpec {
  std::string_view name;
  std::string_view help;
  // What usage shows after '=' (kingpin: the quoted default for strings, the bare default
  // otherwise, or a placeholder); empty for bool flags, which take no value.
  std::string_view placeholder;
  bool is_bool;
  bool repeatable;
  bool hidden;        // kept out of usage and the man page (kingpin's --help-long/-man)
  bool pushgateway;   // also a Pushgateway 1.11 flag (else Ferry's own)
  FlagAction action;  // help/version: kingpin's boilerplate, absent from the status API
  char short_name;    // 0 when none
  // Applies one occurrence (bools get "true"/"false"); throws ValueError. Null for actions.
  void (*set)(Options&, const std::string& value);
  // Forgets earlier values before the first occurrence of a repeatable flag on the command
  // line, so flags replace the config file's list instead of extending it.
  void (*reset)(Options&);
  // The status API's string for the current value. Null for actions.
  std::string (*get)(const Options&);
};

const std::vector<FlagSpec>& flagTable();
const FlagSpec* findLongFlag(std::string_view name);
const FlagSpec* findShortFlag(char name);

}  // namespace ferry::core::config::detail
