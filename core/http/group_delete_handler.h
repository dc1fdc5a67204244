#pragma once

#include "core/http/request.h"
#include "core/http/response.h"

namespace ferry::core::auth {
class Rights;
}
namespace ferry::core::pipeline {
class Pipeline;
}
namespace ferry::core::telemetry {
class Telemetry;
}

namespace ferry::core::http {

// DELETE <prefix>/api/v1/groups?match[]=<selector>[&dry_run=true] (docs/configuration.md,
// "Selector delete"): deletes every group whose grouping labels match any selector, in one
// store write. Routed only with --web.enable-admin-api or "auth". With "auth" (`rights` not
// null) the caller needs the delete right on the job of every matched group, else 403 and
// nothing is deleted.
class GroupDeleteHandler {
 public:
  GroupDeleteHandler(pipeline::Pipeline& pipeline, const auth::Rights* rights,
                     telemetry::Telemetry& telemetry)
      : pipeline_(pipeline), rights_(rights), telemetry_(telemetry) {}
  void operator()(const Request& request, Response& response) const;

 private:
  pipeline::Pipeline& pipeline_;
  const auth::Rights* rights_;
  telemetry::Telemetry& telemetry_;
};

}  // namespace ferry::core::http
