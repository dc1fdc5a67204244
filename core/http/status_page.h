#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/store/store.h"

namespace ferry::core::http {

// The HTML page at <prefix>/ and <prefix>/status: every group with its grouping labels, last
// push times and families, plus build information and flags. Self-contained (no assets).
std::string renderStatusPage(const store::Store& store,
                             const std::map<std::string, std::string>& flags,
                             int64_t start_time_nanos);

// HTML-escapes text for element content and quoted attribute values (as Go's html.EscapeString).
void appendHtmlEscaped(std::string& out, std::string_view text);

}  // namespace ferry::core::http
