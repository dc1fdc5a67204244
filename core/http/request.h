#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/http/router.h"
#include "core/http/tls_peer.h"

namespace ferry::core::http {

struct HeaderField {
  std::string_view name;
  std::string_view value;
};

// One routed request as handlers see it, independent of the connection code. The views point
// into the connection's buffers and stay valid while the request is handled.
struct Request {
  std::string_view method;
  std::string_view target;  // the request-target as sent
  std::string_view path;    // the target's path, still percent-encoded, without the query
  std::optional<std::string_view> query;  // after the first '?', nullopt without one
  std::vector<HeaderField> headers;       // as received, in order
  std::string_view remote_address;        // "host:port" of the client
  const TlsPeer* tls = nullptr;           // null over plain HTTP
  RouteMatch match;
  // Who admission found the request to be ("user:ci", "anonymous" with "auth"); nullopt when
  // nothing identified it (no credentials configured).
  std::optional<std::string> identity;
  // The body with its Content-Encoding undone, at most --push.max-body-bytes.
  std::string body;

  // The first value of the header `name` (ASCII case-insensitive), "" when there is none.
  std::string_view header(std::string_view name) const;
  // The same, telling an absent header from an empty one.
  std::optional<std::string_view> findHeader(std::string_view name) const;
};

}  // namespace ferry::core::http
