// Go durations (time.ParseDuration / Duration.String): Ferry::support's go_duration, which
// plugins use for their settings, and the core's wrapper for --persistence.interval and the
// config file.
// Invariants:
//  - a bad duration throws GoDurationError with Go's message, and the core's wrapper throws
//    ConfigError with the same message; nothing else escapes;
//  - what parses prints as Go prints it, and that text parses to the same duration;
//  - every int64 nanosecond count (the input's first 8 bytes) prints and parses back.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ferry/support/go_duration.hpp>
#include <string>
#include <string_view>

#include "core/config/go_duration.h"
#include "core/config/options.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using ferry::fuzz::printable;

void checkRoundTrip(std::chrono::nanoseconds d, const std::string& what) {
  const std::string text = ferry::support::formatGoDuration(d);
  FUZZ_CHECK(ferry::core::config::formatGoDuration(d) == text, what);
  std::chrono::nanoseconds back{};
  try {
    back = ferry::support::parseGoDuration(text);
  } catch (const ferry::support::GoDurationError& e) {
    FUZZ_CHECK(false,
               what + " printed as " + printable(text) + ", which does not parse: " + e.what());
  }
  FUZZ_CHECK(back == d, what + " printed as " + printable(text) + " parses to " +
                            std::to_string(back.count()) + "ns");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view s = ferry::fuzz::asView(data, size);
  if (size >= 8) {
    int64_t ns = 0;
    std::memcpy(&ns, data, sizeof ns);
    checkRoundTrip(std::chrono::nanoseconds(ns), std::to_string(ns) + "ns");
  }

  std::string sdk_error;
  std::chrono::nanoseconds parsed{};
  try {
    parsed = ferry::support::parseGoDuration(s);
  } catch (const ferry::support::GoDurationError& e) {
    sdk_error = e.what();
    FUZZ_CHECK(sdk_error.rfind("time: ", 0) == 0, sdk_error);
  }
  try {
    const auto core = ferry::core::config::parseGoDuration(s);
    FUZZ_CHECK(sdk_error.empty() && core == parsed, "the core's parser accepted " + printable(s));
  } catch (const ferry::core::config::ConfigError& e) {
    FUZZ_CHECK(!sdk_error.empty() && sdk_error == e.what(),
               "the core and the SDK disagree on " + printable(s) + ": " + e.what());
  }
  if (sdk_error.empty()) checkRoundTrip(parsed, printable(s));
  return 0;
}
