#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::http {

// One request/response pair with the response conventions Pushgateway clients see: every
// response has a Content-Length (without one Poco closes keep-alive connections) and a Date;
// error bodies are Go http.Error style (text/plain, nosniff, message + "\n").
class Exchange {
 public:
  Exchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

  Poco::Net::HTTPServerRequest& request() { return request_; }
  Poco::Net::HTTPServerResponse& response() { return response_; }
  const std::string& method() const { return request_.getMethod(); }
  // The request target's path, still percent-encoded, without the query string.
  std::string rawPath() const;
  // The raw query string after '?', or nullopt when the target has no '?'.
  std::optional<std::string> rawQuery() const;
  std::string header(const std::string& name) const;

  enum class BodyRead { kOk, kTooLarge, kFailed };
  // Reads the whole body into `out`, at most `limit` bytes (0 = unlimited).
  BodyRead readBody(size_t limit, std::string& out);

  void setHeader(const std::string& name, const std::string& value);
  void send(int status, std::string_view body, std::string_view content_type = {});
  // The same for a body in pieces, written one after the other (Content-Length is their sum).
  void sendPieces(int status, const std::vector<std::string_view>& pieces,
                  std::string_view content_type);
  // http.Error: text/plain; charset=utf-8, X-Content-Type-Options: nosniff, message + "\n".
  void sendError(int status, std::string_view message);
  void closeAfterResponse();

  bool sent() const { return sent_; }
  int status() const { return status_; }

 private:
  Poco::Net::HTTPServerRequest& request_;
  Poco::Net::HTTPServerResponse& response_;
  bool sent_ = false;
  int status_ = 0;
};

}  // namespace ferry::core::http
