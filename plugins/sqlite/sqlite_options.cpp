#include "sqlite_options.h"

#include <chrono>
#include <climits>
#include <ferry/support/go_duration.hpp>

namespace ferry::plugins::sqlite {

namespace {

// SQLite takes the busy timeout as an int of milliseconds.
int parseBusyTimeout(const nlohmann::json& value) {
  const std::string bad = "bad value for key \"busy_timeout\": " + value.dump() + ": ";
  if (value.is_number_unsigned()) {
    auto ms = value.get<uint64_t>();
    if (ms > static_cast<uint64_t>(INT_MAX)) throw sdk::configError(bad + "too large");
    return static_cast<int>(ms);
  }
  if (value.is_string()) {
    std::chrono::nanoseconds duration;
    try {
      duration = support::parseGoDuration(value.get<std::string>());
    } catch (const support::GoDurationError& e) {
      throw sdk::configError(bad + e.what());
    }
    if (duration.count() < 0) throw sdk::configError(bad + "must not be negative");
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(duration).count();
    if (ms > INT_MAX) throw sdk::configError(bad + "too large");
    return static_cast<int>(ms);
  }
  throw sdk::configError(bad +
                         "expected a Go duration string such as \"5s\" or a non-negative "
                         "number of milliseconds");
}

}  // namespace

Options parseOptions(sdk::Config& config) {
  Options options;
  options.path = config.get<std::string>("path");
  if (options.path.empty()) throw sdk::configError("bad value for key \"path\": must not be empty");

  // The declared choices ("full" or "normal") are checked before the plugin is created.
  options.synchronous_full = config.get<std::string>("synchronous") == "full";
  options.busy_timeout_ms = parseBusyTimeout(config.get<nlohmann::json>("busy_timeout"));
  return options;
}

}  // namespace ferry::plugins::sqlite
