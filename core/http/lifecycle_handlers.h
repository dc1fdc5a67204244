#pragma once

#include <functional>

#include "core/http/request.h"
#include "core/http/response.h"

namespace ferry::core::store {
class Store;
}

namespace ferry::core::http {

// GET <prefix>/-/healthy: "OK".
void answerHealthy(const Request& request, Response& response);

// GET <prefix>/-/ready: "OK", as /-/healthy; but a replica on a shared store answers 503 until
// it has taken the store's state (at start, and again after a gap in the change feed), because
// until then it would serve a partial state.
class ReadyHandler {
 public:
  explicit ReadyHandler(const store::Store& store) : store_(store) {}
  void operator()(const Request& request, Response& response) const;

 private:
  const store::Store& store_;
};

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
