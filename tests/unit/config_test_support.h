// What the command-line unit tests share: parsing a command line given as strings.
#pragma once

#include <string>
#include <vector>

#include "core/config/config.h"

namespace ferry::core::config::test_support {

// parseCommandLine of `args`, with the program name put in front as argv[0].
inline ParseOutcome parse(std::vector<std::string> args, Options& options) {
  args.insert(args.begin(), "ferry");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  return parseCommandLine(static_cast<int>(argv.size()), argv.data(), options);
}

}  // namespace ferry::core::config::test_support
