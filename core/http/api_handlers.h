#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/http/request.h"
#include "core/http/response.h"

namespace ferry::core::store {
class Exposition;
}

namespace ferry::core::http {

// The CORS and cache headers Pushgateway's API router sets on every answer.
void setApiHeaders(Response& response);

// GET <prefix>/api/v1/status: build information, the effective flags and the start time.
class ApiStatusHandler {
 public:
  ApiStatusHandler(std::map<std::string, std::string> flags, int64_t start_time_nanos)
      : flags_(std::move(flags)), start_time_nanos_(start_time_nanos) {}
  void operator()(const Request& request, Response& response) const;

 private:
  std::map<std::string, std::string> flags_;
  int64_t start_time_nanos_;
};

// GET <prefix>/api/v1/metrics: every group with its families, as JSON.
class ApiMetricsHandler {
 public:
  explicit ApiMetricsHandler(store::Exposition& exposition) : exposition_(exposition) {}
  void operator()(const Request& request, Response& response) const;

 private:
  store::Exposition& exposition_;
};

// OPTIONS <prefix>/api/v1/*: the CORS preflight answer.
void answerApiOptions(const Request& request, Response& response);

}  // namespace ferry::core::http
