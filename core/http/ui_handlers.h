#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/http/request.h"
#include "core/http/response.h"

namespace ferry::core::store {
class Store;
}

namespace ferry::core::http {

// GET <prefix>/ and <prefix>/status: the HTML status page (core/http/status_page.h).
class StatusPageHandler {
 public:
  StatusPageHandler(const store::Store& store, std::map<std::string, std::string> flags,
                    int64_t start_time_nanos)
      : store_(store), flags_(std::move(flags)), start_time_nanos_(start_time_nanos) {}
  void operator()(const Request& request, Response& response) const;

 private:
  const store::Store& store_;
  std::map<std::string, std::string> flags_;
  int64_t start_time_nanos_;
};

// GET <prefix>/static/*: the status page is self-contained, so there are no assets (404).
void answerStatic(const Request& request, Response& response);

}  // namespace ferry::core::http
