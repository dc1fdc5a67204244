#include "core/migrate/go_time.h"

#include <limits>

namespace ferry::core::migrate {
namespace {

// Seconds from 0001-01-01 to 1970-01-01, Go's internal epoch to Unix.
constexpr int64_t kInternalToUnixSeconds = 62135596800;

uint64_t bigEndian(std::string_view bytes, size_t at, size_t n) {
  uint64_t value = 0;
  for (size_t i = 0; i < n; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[at + i]);
  return value;
}

}  // namespace

bool decodeGoTime(std::string_view bytes, int64_t& unix_nanos, std::string& error) {
  if (bytes.empty()) {
    error = "empty time value";
    return false;
  }
  const int version = static_cast<uint8_t>(bytes[0]);
  if (version != 1 && version != 2) {
    error = "unsupported time encoding version " + std::to_string(version);
    return false;
  }
  const size_t want = version == 1 ? 15 : 16;
  if (bytes.size() != want) {
    error = "time value of version " + std::to_string(version) + " has " +
            std::to_string(bytes.size()) + " bytes, expected " + std::to_string(want);
    return false;
  }
  const auto seconds = static_cast<int64_t>(bigEndian(bytes, 1, 8));
  const auto nanos = static_cast<int32_t>(bigEndian(bytes, 9, 4));
  // The zone offset (bytes 13..) only says how the time was displayed; the instant is UTC.
  if (nanos < 0 || nanos >= 1000000000) {
    error = "time value has invalid nanoseconds " + std::to_string(nanos);
    return false;
  }
  if (seconds == 0 && nanos == 0) {
    unix_nanos = 0;
    return true;
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  // seconds - epoch must fit, and then seconds * 1e9 + nanos.
  if (seconds < kMin + kInternalToUnixSeconds) {
    error = "time value out of range";
    return false;
  }
  const int64_t unix_seconds = seconds - kInternalToUnixSeconds;
  if (unix_seconds > (kMax - nanos) / 1000000000 || unix_seconds < kMin / 1000000000 + 1) {
    error = "time value out of range (seconds " + std::to_string(unix_seconds) + " since 1970)";
    return false;
  }
  unix_nanos = unix_seconds * 1000000000 + nanos;
  return true;
}

}  // namespace ferry::core::migrate
