#pragma once

#include <map>
#include <string>

#include "core/config/options.h"

namespace ferry::core::config {

// The "flags" object of GET /api/v1/status: every Pushgateway 1.11 application flag (not
// kingpin's help/version) and Ferry's own, name → value as the Pushgateway formats it: bools
// "true"/"false", durations Go-formatted ("5m0s"), repeated values comma-joined. Sorted by name,
// as Go marshals a map. Values are the effective ones, whether set by flag or config file.
std::map<std::string, std::string> statusFlags(const Options& options);

}  // namespace ferry::core::config
