#include "core/wire/protocol_error.h"

namespace ferry::core::wire {
namespace {

std::string_view statusText(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 431:
      return "Request Header Fields Too Large";
    case 501:
      return "Not Implemented";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Bad Request";
  }
}

}  // namespace

std::string protocolErrorResponse(const ProtocolError& error) {
  constexpr std::string_view kHeaders =
      "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n";
  std::string status = std::to_string(error.status) + " ";
  status += statusText(error.status);
  if (!error.detail.empty()) {
    status += ": ";
    status += error.detail;
  }
  std::string out = "HTTP/1.1 ";
  out += status;
  out += kHeaders;
  // Go does not echo a refused Transfer-Encoding (it could carry markup).
  out += error.status == 501 ? std::string("Unsupported transfer encoding") : status;
  return out;
}

}  // namespace ferry::core::wire
