#include "core/http/ui_handlers.h"

#include "core/http/status_page.h"

namespace ferry::core::http {

void StatusPageHandler::operator()(const Request&, Response& response) const {
  response.send(200, renderStatusPage(store_, flags_, start_time_nanos_),
                "text/html; charset=utf-8");
}

void answerStatic(const Request&, Response& response) {
  response.sendError(404, "404 page not found");
}

}  // namespace ferry::core::http
