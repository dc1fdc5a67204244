#include "core/config/go_duration.h"

#include <ferry/go_duration.hpp>

#include "core/config/options.h"

// The syntax lives once, in the SDK, because plugins (e.g. the file storage's "interval") parse
// the same durations; the core only maps the SDK's exception onto ConfigError.
namespace ferry::core::config {

std::chrono::nanoseconds parseGoDuration(std::string_view text) {
  try {
    return sdk::parseGoDuration(text);
  } catch (const sdk::GoDurationError& e) {
    throw ConfigError(e.what());
  }
}

std::string formatGoDuration(std::chrono::nanoseconds d) { return sdk::formatGoDuration(d); }

}  // namespace ferry::core::config
