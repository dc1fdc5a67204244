#include "core/config/option_values.h"

#include <cctype>
#include <limits>

#include "core/config/external_url.h"
#include "core/config/go_duration.h"
#include "core/config/options.h"

namespace ferry::core::config::detail {
namespace {

// Decimal digits only: "0x10" or "1e6" in a byte count is far more likely a typo than intended.
bool parseUnsigned(std::string_view text, unsigned long long& out) {
  if (text.empty()) return false;
  unsigned long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    unsigned digit = static_cast<unsigned>(c - '0');
    if (value > (std::numeric_limits<unsigned long long>::max() - digit) / 10) return false;
    value = value * 10 + digit;
  }
  out = value;
  return true;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

std::string canonicalLogLevel(std::string_view value) {
  std::string lower(value);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "debug" || lower == "info" || lower == "warn" || lower == "error") return lower;
  throw ValueError("unrecognized log level " + std::string(value), true);
}

std::string checkLogFormat(std::string_view value) {
  if (value == "logfmt" || value == "json") return std::string(value);
  throw ValueError("unrecognized log format " + std::string(value), true);
}

std::string checkTelemetryPath(std::string_view value) {
  if (value.empty() || value[0] != '/') {
    throw ValueError("must start with \"/\", got " + quoted(value), false);
  }
  return std::string(value);
}

std::string checkExternalUrl(std::string_view value) {
  try {
    externalUrlPath(value);
  } catch (const ConfigError& e) {
    throw ValueError(e.what(), true);
  }
  return std::string(value);
}

std::chrono::nanoseconds persistenceInterval(std::string_view value) {
  try {
    return parseGoDuration(value);
  } catch (const ConfigError& e) {
    throw ValueError(e.what(), true);
  }
}

std::chrono::nanoseconds parseTtl(std::string_view value) {
  std::chrono::nanoseconds ttl;
  try {
    ttl = parseGoDuration(value);
  } catch (const ConfigError& e) {
    throw ValueError(e.what(), false);
  }
  if (ttl.count() < 0) throw ValueError("a TTL must not be negative, got " + quoted(value), false);
  return ttl;
}

size_t parseByteCount(std::string_view value) {
  unsigned long long parsed = 0;
  if (!parseUnsigned(value, parsed) || parsed > std::numeric_limits<size_t>::max()) {
    throw ValueError("expected a number of bytes (0 = unlimited), got " + quoted(value), false);
  }
  return static_cast<size_t>(parsed);
}

size_t checkMaxConnections(unsigned long long value) {
  if (value > std::numeric_limits<size_t>::max()) {
    throw ValueError("too large: " + std::to_string(value), false);
  }
  return static_cast<size_t>(value);
}

size_t parseMaxConnections(std::string_view value) {
  unsigned long long parsed = 0;
  if (!parseUnsigned(value, parsed)) {
    throw ValueError("expected a whole number (0 = no limit), got " + quoted(value), false);
  }
  return checkMaxConnections(parsed);
}

unsigned checkHandlerThreads(unsigned long long value) {
  if (value < 1) throw ValueError("must be at least 1, got " + std::to_string(value), false);
  // Each is a thread with its stack; more than this is a typo, not a plan.
  if (value > 4096) throw ValueError("at most 4096, got " + std::to_string(value), false);
  return static_cast<unsigned>(value);
}

unsigned parseHandlerThreads(std::string_view value) {
  unsigned long long parsed = 0;
  if (!parseUnsigned(value, parsed)) {
    throw ValueError("expected a whole number, got " + quoted(value), false);
  }
  return checkHandlerThreads(parsed);
}

std::chrono::nanoseconds positiveDuration(std::string_view value) {
  std::chrono::nanoseconds d{0};
  try {
    d = parseGoDuration(value);
  } catch (const ConfigError& e) {
    throw ValueError(e.what(), false);
  }
  // A timeout of 0 would mean none: every phase of a connection has a bound.
  if (d < std::chrono::milliseconds(1)) {
    throw ValueError("must be at least 1ms, got " + quoted(value), false);
  }
  return d;
}

size_t checkPositiveByteCount(unsigned long long value) {
  if (value == 0) throw ValueError("must be at least 1, got 0", false);
  if (value > std::numeric_limits<size_t>::max()) {
    throw ValueError("too large: " + std::to_string(value), false);
  }
  return static_cast<size_t>(value);
}

size_t positiveByteCount(std::string_view value) {
  unsigned long long parsed = 0;
  if (!parseUnsigned(value, parsed)) {
    throw ValueError("expected a number of bytes, got " + quoted(value), false);
  }
  return checkPositiveByteCount(parsed);
}

std::chrono::seconds keepAliveTimeout(std::string_view value) {
  std::chrono::nanoseconds d{0};
  try {
    d = parseGoDuration(value);
  } catch (const ConfigError& e) {
    throw ValueError(e.what(), false);
  }
  // Whole seconds, as it always was; rounding silently would change behaviour.
  if (d < std::chrono::seconds(1) || d % std::chrono::seconds(1) != std::chrono::nanoseconds(0)) {
    throw ValueError("must be a whole number of seconds, at least 1s, got " + quoted(value), false);
  }
  return std::chrono::duration_cast<std::chrono::seconds>(d);
}

bool parseBool(std::string_view value) {
  if (value == "1" || value == "t" || value == "T" || value == "TRUE" || value == "true" ||
      value == "True") {
    return true;
  }
  if (value == "0" || value == "f" || value == "F" || value == "FALSE" || value == "false" ||
      value == "False") {
    return false;
  }
  throw ValueError("expected true or false, got " + quoted(value), false);
}

}  // namespace ferry::core::config::detail
