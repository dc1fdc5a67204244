#pragma once

#include "core/config/options.h"

// The command line, parsed as kingpin v2.4 parses the Pushgateway's: "--name=value",
// "--name value", "--name" / "--no-name" for bools (Ferry also takes "--name=true|false"),
// repeatable --web.listen-address, -h, --help, --help-long, --help-man and --version.
namespace ferry::core::config {

// Parses argv into options, starting from their current values (normally the defaults): then
// the config file named by --config.file (or --check-config), then the flags, which win.
// Help, man page and version return kExit with the text for stdout and exit code 0, in kingpin
// v2.4's order: --version, --help-long and --help-man win over any later error; -h/--help wins
// over bad values but not over syntax errors. Throws ConfigError with kingpin's texts for syntax
// errors ("unknown long flag '--foo'", "expected argument for flag '--x'", "flag 'x' cannot be
// repeated", "unexpected x"), the Pushgateway's own texts for bad values of its flags
// ("unrecognized log level x", `time: invalid duration "x"`), and "--flag: ..." for Ferry's
// checks; usageError() is true for all of these. Config file errors name the file. Ends with
// validateSupported(). options is only written on success.
ParseOutcome parseCommandLine(int argc, const char* const* argv, Options& options);

}  // namespace ferry::core::config
