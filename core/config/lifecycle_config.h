#pragma once

#include "core/config/config_reader.h"
#include "core/config/options.h"

namespace ferry::core::config::detail {

// The config file's "lifecycle" section (TTLs, "expired") into o.lifecycle. Errors name the
// key's full path, e.g. `"lifecycle.ttl.jobs[1].ttl": time: invalid duration "1d"`.
void applyLifecycle(const Reader& r, const json& v, Options& o);

// The "limits" section (with per-job overrides in "jobs") into o.lifecycle.
void applyLimits(const Reader& r, const json& v, Options& o);

// Checks that hold across the config file and the flags (applied last): min_ttl <= max_ttl.
void checkLifecycle(const Options& o);

}  // namespace ferry::core::config::detail
