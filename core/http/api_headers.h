#pragma once

#include "core/http/exchange.h"

namespace ferry::core::http {

// Ferry's lifecycle headers: the TTL a pusher asks for, and the deadline a push got.
inline constexpr char kTtlHeader[] = "Ferry-TTL";
inline constexpr char kExpiresHeader[] = "Ferry-Expires";

// The CORS and cache headers of every /api/v1 answer, as the Pushgateway sends them.
void setApiHeaders(Exchange& exchange);

}  // namespace ferry::core::http
