#include "core/http/lifecycle_handlers.h"

#include "core/util/log.h"

namespace ferry::core::http {

void answerHealthy(const Request&, Response& response) {
  response.send(200, "OK", "text/plain; charset=utf-8");
}

void QuitHandler::operator()(const Request&, Response& response) const {
  if (!enabled_) {
    response.send(403, "Lifecycle API is not enabled.", "text/plain; charset=utf-8");
    return;
  }
  response.closeConnection();
  response.send(200, "Requesting termination... Goodbye!", "text/plain; charset=utf-8");
  util::logWarn("received termination request via web service, exiting gracefully...");
  // The server finishes writing the answers in flight before it stops.
  if (request_shutdown_) request_shutdown_();
}

void answerQuitGet(const Request&, Response& response) {
  response.send(405, "Only POST or PUT requests allowed.", "text/plain; charset=utf-8");
}

}  // namespace ferry::core::http
