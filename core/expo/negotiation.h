#pragma once

#include <string_view>

// Response format selection for GET /metrics, as prometheus/common expfmt.Negotiate (v0.37,
// goautoneg) and client_golang promhttp's gzipAccepted (v1.14) do it for Pushgateway 1.5.1.
namespace ferry::core::expo {

enum class Format { kText, kProtoDelimited, kProtoText, kProtoCompactText };

// Clauses are ordered by q (goautoneg's sort; see negotiation.cpp) and the first one that is
// `application/vnd.google.protobuf` with proto=io.prometheus.client.MetricFamily and
// encoding=delimited|text|compact-text, or `text/plain` with no version or version=0.0.4,
// decides. Nothing else is offered: absent, */*, OpenMetrics, unknown types, and protobuf
// with another proto= or encoding= all end in kText. q=0 does not exclude a clause (Go
// ignores q beyond sorting).
Format negotiate(std::string_view accept);

// The exact Content-Type header value of each format, e.g.
// "text/plain; version=0.0.4; charset=utf-8".
std::string_view contentType(Format f);

// True if a comma-separated element of Accept-Encoding, trimmed of whitespace, is exactly
// "gzip" or starts with "gzip;". Like Go, q is not looked at ("gzip;q=0" still gets gzip) and
// the match is case-sensitive.
bool acceptsGzip(std::string_view accept_encoding);

}  // namespace ferry::core::expo
