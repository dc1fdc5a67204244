#pragma once

#include <string>
#include <string_view>

namespace ferry::core::wire {

// A request refused before it is routed, answered the way Go's net/http server answers it:
// status line, Content-Type text/plain, Connection: close, no Content-Length, a short body,
// and the connection closed.
struct ProtocolError {
  int status = 0;  // 400, 431, 501 or 505
  // Go's statusError text: the status line and the body read "400 Bad Request: <detail>".
  // Empty for the plain form ("400 Bad Request").
  std::string_view detail;
  // What exactly was wrong, for the log line (always set; static text).
  std::string_view reason;
};

// The complete answer to `error`, byte for byte as Go 1.19's server writes it.
std::string protocolErrorResponse(const ProtocolError& error);

}  // namespace ferry::core::wire
