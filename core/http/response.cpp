#include "core/http/response.h"

#include "core/wire/tokens.h"

namespace ferry::core::http {

void Response::setHeader(std::string_view name, std::string value) {
  for (auto& [key, old] : headers_) {
    if (wire::equalsIgnoreCase(key, name)) {
      old = std::move(value);
      return;
    }
  }
  headers_.emplace_back(std::string(name), std::move(value));
}

bool Response::hasHeader(std::string_view name) const {
  for (const auto& header : headers_) {
    if (wire::equalsIgnoreCase(header.first, name)) return true;
  }
  return false;
}

void Response::send(int status, std::string body, std::string_view content_type) {
  if (sent()) return;
  status_ = status;
  if (!content_type.empty()) setHeader("Content-Type", std::string(content_type));
  body_ = std::move(body);
}

void Response::sendPieces(int status, std::vector<std::string_view> pieces,
                          std::shared_ptr<const void> owner, std::string_view content_type) {
  if (sent()) return;
  status_ = status;
  if (!content_type.empty()) setHeader("Content-Type", std::string(content_type));
  pieces_ = std::move(pieces);
  owner_ = owner ? std::move(owner) : std::make_shared<int>(0);
}

void Response::sendError(int status, std::string_view message) {
  if (sent()) return;
  setHeader("X-Content-Type-Options", "nosniff");
  std::string body(message);
  body += '\n';
  send(status, std::move(body), "text/plain; charset=utf-8");
}

size_t Response::contentLength() const {
  if (!inPieces()) return body_.size();
  size_t total = 0;
  for (auto piece : pieces_) total += piece.size();
  return total;
}

std::string_view reasonPhrase(int status) {
  // Go's http.StatusText (1.19), which the Pushgateway's clients see.
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 102:
      return "Processing";
    case 103:
      return "Early Hints";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 205:
      return "Reset Content";
    case 206:
      return "Partial Content";
    case 207:
      return "Multi-Status";
    case 208:
      return "Already Reported";
    case 226:
      return "IM Used";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 305:
      return "Use Proxy";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Request Entity Too Large";
    case 414:
      return "Request URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Requested Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 418:
      return "I'm a teapot";
    case 421:
      return "Misdirected Request";
    case 422:
      return "Unprocessable Entity";
    case 423:
      return "Locked";
    case 424:
      return "Failed Dependency";
    case 425:
      return "Too Early";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    case 506:
      return "Variant Also Negotiates";
    case 507:
      return "Insufficient Storage";
    case 508:
      return "Loop Detected";
    case 510:
      return "Not Extended";
    case 511:
      return "Network Authentication Required";
    default:
      return {};
  }
}

}  // namespace ferry::core::http
