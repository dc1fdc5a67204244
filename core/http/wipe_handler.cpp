#include "core/http/wipe_handler.h"

#include "core/pipeline/pipeline.h"
#include "core/util/log.h"

namespace ferry::core::http {

void WipeHandler::operator()(const Request& request, Response& response) const {
  auto outcome = pipeline_.wipe();
  if (outcome.status >= 400) {
    response.sendError(outcome.status, outcome.message);
    return;
  }
  util::logInfo("wiped every group", {{"remote", request.remote_address}});
  response.send(202);
}

}  // namespace ferry::core::http
