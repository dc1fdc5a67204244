#pragma once

#include <string>

#include "core/http/app_context.h"

namespace ferry::core::http {

// The HTML page at <prefix>/ and <prefix>/status: every group with its grouping labels, last
// push times and families, plus build information and flags. Self-contained (no assets).
std::string renderStatusPage(const AppContext& context);

}  // namespace ferry::core::http
