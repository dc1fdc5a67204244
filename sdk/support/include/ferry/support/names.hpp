// Prometheus' legacy metric and label name rules. Part of Ferry::support: helpers Ferry and its
// plugins share, not part of the plugin ABI.
#pragma once

#include <string_view>

namespace ferry::support {

// Label names reserved for internal use start with this prefix; a push URL must not use them.
inline constexpr std::string_view kReservedLabelPrefix = "__";

// Legacy label-name rule ^[a-zA-Z_][a-zA-Z0-9_]*$. Reserved "__" names pass; callers that must
// refuse them check kReservedLabelPrefix themselves.
bool isValidLabelName(std::string_view name);

// Legacy metric-name rule ^[a-zA-Z_:][a-zA-Z0-9_:]*$.
bool isValidMetricName(std::string_view name);

}  // namespace ferry::support
