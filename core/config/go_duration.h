#pragma once

#include <chrono>
#include <string>
#include <string_view>

// Go's time.ParseDuration and Duration.String, so --persistence.interval accepts and the status
// API shows exactly what the Pushgateway does ("5m" in, "5m0s" out). The implementation is
// Ferry::support's <ferry/support/go_duration.hpp>, shared with plugins; these wrap it with
// core's ConfigError.
namespace ferry::core::config {

// Accepts [-+]?([0-9]*(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+ or "0". Throws ConfigError with Go's
// message, e.g. `time: invalid duration "bogus"`, `time: missing unit in duration "3"`,
// `time: unknown unit "d" in duration "1d"`; values beyond int64 nanoseconds are invalid.
std::chrono::nanoseconds parseGoDuration(std::string_view text);

// "0s", "1ns", "1.1µs", "2.2ms", "3.3s", "4m5s", "1h30m0s", "-2562047h47m16.854775808s".
std::string formatGoDuration(std::chrono::nanoseconds d);

}  // namespace ferry::core::config
