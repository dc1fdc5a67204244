// Go's time.ParseDuration and time.Duration.String. Pushgateway settings such as
// --persistence.interval are Go durations ("5m", "1h30m", "0"), and Ferry shows them back the
// way Go prints them ("5m0s"); plugins that take a duration in their config use the same
// syntax. Part of Ferry::support: helpers Ferry and its plugins share, not part of the plugin
// ABI.
//
// It throws a plain standard exception, which the caller turns into its own error type (a
// plugin: ferry::sdk::configError; the core: ConfigError).
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ferry::support {

// Thrown by parseGoDuration. what() is Go's message, e.g. `time: invalid duration "bogus"`.
class GoDurationError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Parses [-+]?([0-9]*(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+ or "0" exactly as Go does. Throws
// GoDurationError with Go's message: `time: invalid duration "bogus"`, `time: missing unit in
// duration "3"`, `time: unknown unit "d" in duration "1d"`; values beyond int64 nanoseconds are
// invalid. Pure function, thread-safe.
std::chrono::nanoseconds parseGoDuration(std::string_view text);

// Go's Duration.String: "0s", "1ns", "1.1µs", "2.2ms", "3.3s", "4m5s", "1h30m0s",
// "-2562047h47m16.854775808s". Pure function, thread-safe.
std::string formatGoDuration(std::chrono::nanoseconds d);

}  // namespace ferry::support
