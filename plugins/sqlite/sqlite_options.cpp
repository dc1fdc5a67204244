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
  options.path = config.require<std::string>("path");
  if (options.path.empty()) throw sdk::configError("bad value for key \"path\": must not be empty");

  auto synchronous = config.get<std::string>("synchronous", "full");
  if (synchronous == "full") {
    options.synchronous_full = true;
  } else if (synchronous == "normal") {
    options.synchronous_full = false;
  } else {
    throw sdk::configError("bad value for key \"synchronous\": \"" + synchronous +
                           "\": expected \"full\" or \"normal\"");
  }

  auto busy_timeout = config.get<nlohmann::json>("busy_timeout", nlohmann::json());
  if (!busy_timeout.is_null()) options.busy_timeout_ms = parseBusyTimeout(busy_timeout);
  // The SDK rejects unknown keys after the constructor, which would be after the database file
  // was created: a typo in the config must not leave a new file behind.
  config.rejectUnknownKeys();
  return options;
}

}  // namespace ferry::plugins::sqlite
