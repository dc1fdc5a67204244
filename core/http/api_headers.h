#pragma once

#include "core/http/exchange.h"

namespace ferry::core::http {

// The CORS and cache headers of every /api/v1 answer, as the Pushgateway sends them.
void setApiHeaders(Exchange& exchange);

}  // namespace ferry::core::http
