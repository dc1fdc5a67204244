#pragma once

#include <string>

#include "core/http/response.h"

namespace ferry::core::http {

struct ResponseFraming {
  int minor_version = 1;      // of the request: HTTP/1.0 requests get HTTP/1.0 answers
  bool keep_alive = true;     // the connection stays open after this answer
  bool head_request = false;  // HEAD: headers only
};

// The status line and header block of `response` as Go's server writes them: the handler's
// headers sorted by name, then Date and Content-Length (none for 1xx, 204, 304), and
// "Connection: close" (HTTP/1.1) or "Connection: keep-alive" (HTTP/1.0) when that differs from
// the version's default.
std::string serializeHead(const Response& response, const ResponseFraming& framing);
// The same, appended to `out` (a connection reuses its buffer from one answer to the next).
void appendHead(const Response& response, const ResponseFraming& framing, std::string& out);

// The Date header's value for now (RFC 1123, GMT), formatted once per second per thread.
const std::string& httpDate();

}  // namespace ferry::core::http
