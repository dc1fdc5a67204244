#pragma once

#include "core/config/config_reader.h"
#include "core/config/options.h"

namespace ferry::core::config::detail {

// The route kinds the rights table knows, in the order the docs list them.
inline constexpr const char* kAuthRouteKinds[] = {"push",  "delete",    "scrape", "api_read",
                                                  "admin", "lifecycle", "health"};

// Applies the config file's "auth" section to o.auth. Errors name the key's full path, e.g.
// `"auth.rights.user:ci.scrape": job patterns only apply to "push" and "delete"`.
void applyAuth(const Reader& r, const json& v, Options& o);

}  // namespace ferry::core::config::detail
