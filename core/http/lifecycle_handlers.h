#pragma once

#include <functional>

#include "core/http/request.h"
#include "core/http/response.h"

namespace ferry::core::http {

// GET <prefix>/-/healthy and <prefix>/-/ready: "OK".
void answerHealthy(const Request& request, Response& response);

// PUT/POST <prefix>/-/quit: answers, then asks for a graceful shutdown; 403 without
// --web.enable-lifecycle.
class QuitHandler {
 public:
  QuitHandler(bool enabled, std::function<void()> request_shutdown)
      : enabled_(enabled), request_shutdown_(std::move(request_shutdown)) {}
  void operator()(const Request& request, Response& response) const;

 private:
  bool enabled_;
  std::function<void()> request_shutdown_;
};

// GET /-/quit (always at the root, whatever the prefix): 405 with Pushgateway's text.
void answerQuitGet(const Request& request, Response& response);

}  // namespace ferry::core::http
