#include "core/config/command_line.h"

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/config/config_file.h"
#include "core/config/flag_table.h"
#include "core/config/lifecycle_config.h"
#include "core/config/option_values.h"
#include "core/config/usage.h"
#include "core/config/validate.h"
#include "core/config/version.h"

namespace ferry::core::config {
namespace {

using detail::FlagAction;
using detail::FlagSpec;

constexpr char kImportCommand[] = "import-pushgateway";

// One flag occurrence, in command-line order.
struct Element {
  const FlagSpec* flag;
  std::string value;  // bools: "true" or "false"
};

// Like kingpin, lexing stops at the first syntax error but keeps what came before it, so
// "--version --bogus" still prints the version.
struct Lexed {
  std::vector<Element> elements;
  std::optional<ConfigError> error;
  bool command = false;                    // "import-pushgateway" was given
  std::optional<std::string> import_file;  // its argument
};

bool looksLikeFlag(const std::string& arg) { return !arg.empty() && arg[0] == '-'; }

// Reads argv into flag occurrences with kingpin's rules (kingpin's lexer and flag parser
// together); the only positional arguments are "import-pushgateway FILE".
class Lexer {
 public:
  Lexer(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) args_.emplace_back(argv[i] != nullptr ? argv[i] : "");
  }

  Lexed run() {
    while (!out_.error && next_ < args_.size()) {
      const std::string arg = args_[next_++];
      if (!args_only_ && arg == "--") {
        args_only_ = true;
      } else if (args_only_ || !looksLikeFlag(arg)) {
        positional(arg);
      } else if (arg.rfind("--", 0) == 0) {
        longFlag(arg.substr(2));
      } else {
        shortFlags(arg);
      }
    }
    return std::move(out_);
  }

 private:
  void fail(const std::string& message) { out_.error = ConfigError(message, /*usage_error=*/true); }

  // The only positional arguments are the command "import-pushgateway" and its FILE.
  void positional(const std::string& arg) {
    if (!out_.command && arg == kImportCommand) {
      out_.command = true;
    } else if (out_.command && !out_.import_file) {
      out_.import_file = arg;
    } else {
      fail("unexpected " + arg);
    }
  }

  void longFlag(const std::string& body) {
    const size_t eq = body.find('=');
    const std::string name = body.substr(0, eq);
    std::optional<std::string> inline_value;
    if (eq != std::string::npos) inline_value = body.substr(eq + 1);

    const FlagSpec* spec = detail::findLongFlag(name);
    bool invert = false;
    if (spec == nullptr && name.rfind("no-", 0) == 0) {
      spec = detail::findLongFlag(name.substr(3));
      invert = spec != nullptr;
    }
    if (spec == nullptr || (invert && !spec->is_bool)) {
      return fail("unknown long flag '--" + name + "'");
    }

    if (spec->is_bool) {
      std::string value = invert ? "false" : "true";
      if (inline_value) {
        // kingpin would read "=false" as a stray argument; Ferry takes the obvious meaning.
        if (invert) return fail("--" + name + " does not take a value");
        try {
          value = detail::parseBool(*inline_value) ? "true" : "false";
        } catch (const detail::ValueError& e) {
          return fail("--" + name + ": " + e.what());
        }
      }
      out_.elements.push_back({spec, value});
      return;
    }

    if (inline_value) {
      out_.elements.push_back({spec, *inline_value});
      return;
    }
    if (!args_only_ && next_ < args_.size() && args_[next_] == "--") {
      args_only_ = true;  // kingpin: "--x -- -v" gives --x the value "-v"
      ++next_;
    }
    if (next_ >= args_.size() || (!args_only_ && looksLikeFlag(args_[next_]))) {
      return fail("expected argument for flag '--" + name + "'");
    }
    out_.elements.push_back({spec, args_[next_++]});
  }

  void shortFlags(const std::string& arg) {
    if (arg.size() == 1) return fail("unknown short flag '-'");
    // Every short flag is a bool, so "-hh" is two of them, as kingpin reads it.
    for (size_t k = 1; k < arg.size(); ++k) {
      const FlagSpec* spec = detail::findShortFlag(arg[k]);
      if (spec == nullptr) return fail(std::string("unknown short flag '-") + arg[k] + "'");
      out_.elements.push_back({spec, "true"});
    }
  }

  std::vector<std::string> args_;
  size_t next_ = 0;
  bool args_only_ = false;  // after "--" every argument is positional
  Lexed out_;
};

// kingpin runs --version, --help-long and --help-man as pre-actions, before it reports a syntax
// error found later on the command line; --help only after syntax errors but before bad values.
std::optional<ParseOutcome> actionOutcome(const std::vector<Element>& elements,
                                          bool after_syntax_check) {
  for (const auto& e : elements) {
    if (e.value != "true") continue;  // "--no-version" asks for nothing
    switch (e.flag->action) {
      case FlagAction::kNone:
        break;
      case FlagAction::kHelp:
        if (after_syntax_check) return ParseOutcome{ParseOutcome::Action::kExit, 0, usageText()};
        break;
      case FlagAction::kHelpLong:  // the same as --help: Ferry has no subcommands to expand
        if (!after_syntax_check) {
          return ParseOutcome{ParseOutcome::Action::kExit, 0, usageText()};
        }
        break;
      case FlagAction::kHelpMan:
        if (!after_syntax_check) {
          return ParseOutcome{ParseOutcome::Action::kExit, 0, manPageText()};
        }
        break;
      case FlagAction::kVersion:
        if (!after_syntax_check) {
          return ParseOutcome{ParseOutcome::Action::kExit, 0, versionText()};
        }
        break;
    }
  }
  return std::nullopt;
}

// Sets the flags' values in order, as kingpin's setValues does: a repeated single-valued flag or
// a bad value fails at its first occurrence.
void applyFlags(const std::vector<Element>& elements, Options& options) {
  std::set<std::string_view> seen;
  for (const auto& e : elements) {
    const FlagSpec& spec = *e.flag;
    if (spec.action != FlagAction::kNone) continue;
    const std::string name(spec.name);
    if (!seen.insert(spec.name).second) {
      if (!spec.repeatable) {
        throw ConfigError("flag '" + name + "' cannot be repeated", /*usage_error=*/true);
      }
    } else if (spec.reset != nullptr) {
      spec.reset(options);
    }
    try {
      spec.set(options, e.value);
    } catch (const detail::ValueError& error) {
      throw ConfigError(error.verbatim() ? error.what() : "--" + name + ": " + error.what(),
                        /*usage_error=*/true);
    }
    auto [it, inserted] = options.explicitly_set.emplace(name, e.value);
    if (!inserted) it->second += "," + e.value;
  }
}

}  // namespace

ParseOutcome parseCommandLine(int argc, const char* const* argv, Options& options) {
  Lexed lexed = Lexer(argc, argv).run();
  if (auto outcome = actionOutcome(lexed.elements, /*after_syntax_check=*/false)) return *outcome;
  if (lexed.error) throw *lexed.error;
  if (auto outcome = actionOutcome(lexed.elements, /*after_syntax_check=*/true)) return *outcome;
  if (lexed.command && (!lexed.import_file || lexed.import_file->empty())) {
    throw ConfigError(std::string(kImportCommand) + ": required argument 'FILE' not provided",
                      /*usage_error=*/true);
  }

  // The flags are judged before the config file is read, so a typo in a flag is reported as
  // such even when the file has problems too.
  Options from_flags;
  applyFlags(lexed.elements, from_flags);

  const std::string& check = from_flags.check_config;
  const std::string& file = from_flags.config_file;
  if (!check.empty() && !file.empty() && check != file) {
    throw ConfigError("--check-config: checks \"" + check + "\" but --config.file names \"" + file +
                      "\"; give one of them");
  }

  Options result = options;
  result.explicitly_set.clear();
  const std::string& path = check.empty() ? file : check;
  if (!path.empty()) applyConfigFile(path, result);
  applyFlags(lexed.elements, result);
  resolvePersistence(result);
  validateSupported(result);
  detail::checkLifecycle(result);
  if (lexed.import_file) result.import_file = *lexed.import_file;
  options = std::move(result);
  return ParseOutcome{ParseOutcome::Action::kRun, 0, ""};
}

}  // namespace ferry::core::config
