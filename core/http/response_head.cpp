#include "core/http/response_head.h"

#include <algorithm>
#include <ctime>

namespace ferry::core::http {
namespace {

bool bodyAllowed(int status) {
  return !(status >= 100 && status < 200) && status != 204 && status != 304;
}

}  // namespace

const std::string& httpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    cached_second = now;
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[64];
    size_t n = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached.assign(text, n);
  }
  return cached;
}

std::string serializeHead(const Response& response, const ResponseFraming& framing) {
  std::string out;
  out.reserve(160);
  out += framing.minor_version == 0 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(response.status());
  out += ' ';
  std::string_view reason = reasonPhrase(response.status());
  if (reason.empty()) {
    out += "status code " + std::to_string(response.status());
  } else {
    out += reason;
  }
  out += "\r\n";
  // Go writes the handler's headers in sorted order.
  std::vector<const std::pair<std::string, std::string>*> headers;
  headers.reserve(response.headers().size());
  for (const auto& header : response.headers()) headers.push_back(&header);
  std::sort(headers.begin(), headers.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* header : headers) {
    out += header->first;
    out += ": ";
    out += header->second;
    out += "\r\n";
  }
  out += "Date: ";
  out += httpDate();
  out += "\r\n";
  if (bodyAllowed(response.status())) {
    out += "Content-Length: ";
    out += std::to_string(response.contentLength());
    out += "\r\n";
  }
  if (framing.minor_version >= 1 && !framing.keep_alive) out += "Connection: close\r\n";
  if (framing.minor_version == 0 && framing.keep_alive) out += "Connection: keep-alive\r\n";
  out += "\r\n";
  return out;
}

}  // namespace ferry::core::http
