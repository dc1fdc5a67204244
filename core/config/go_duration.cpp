#include "core/config/go_duration.h"

#include <ferry/support/go_duration.hpp>

#include "core/config/options.h"

// The syntax lives once, in Ferry::support, because plugins (e.g. the file storage's "interval")
// parse the same durations; the core only maps its exception onto ConfigError.
namespace ferry::core::config {

std::chrono::nanoseconds parseGoDuration(std::string_view text) {
  try {
    return support::parseGoDuration(text);
  } catch (const support::GoDurationError& e) {
    throw ConfigError(e.what());
  }
}

std::string formatGoDuration(std::chrono::nanoseconds d) { return support::formatGoDuration(d); }

}  // namespace ferry::core::config
