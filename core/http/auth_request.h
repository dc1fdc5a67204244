#pragma once

#include <Poco/Net/HTTPServerRequest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "core/auth/rights.h"
#include "core/http/router.h"

namespace ferry::core::http {

// What the rights table calls this request: push and delete by method, the UI and the read API
// as api_read, wipe as admin, /-/quit as lifecycle. nullopt for answers no right covers
// (404, 405, redirects, the CORS preflight, GET /-/quit's 405).
std::optional<auth::RouteKind> routeKindOf(const RouteMatch& match, const std::string& method);

// The job of a push or delete, decoded as the handler decodes it (job@base64 included); ""
// when the grouping key does not parse (the push answers 400 once the rights allow it).
std::string jobOf(const RouteMatch& match);

// What the connection's TLS handshake tells the auth plugins.
struct TlsPeer {
  uint32_t flags = 0;   // FERRY_AUTH_TLS_* (ferry/plugin_abi.h)
  std::string subject;  // RFC 2253 ("CN=ci,O=Example"); only of a verified certificate
};

// The TLS facts of the request's connection: none over plain HTTP; the subject only when the
// handshake verified the client certificate against the web config's client CAs.
TlsPeer tlsPeerOf(Poco::Net::HTTPServerRequest& request);

}  // namespace ferry::core::http
