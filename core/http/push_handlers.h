#pragma once

#include <string>

#include "core/http/request.h"
#include "core/http/response.h"
#include "core/model/grouping_key.h"

namespace ferry::core::pipeline {
class Pipeline;
}
namespace ferry::core::telemetry {
class Telemetry;
}

namespace ferry::core::http {

// PUT and POST <prefix>/metrics/job[@base64]/<job>{/<label>/<value>}: the body goes through the
// pipeline's input plugins into the store (PUT replaces the group, POST the families sent).
class PushHandler {
 public:
  PushHandler(pipeline::Pipeline& pipeline, telemetry::Telemetry& telemetry)
      : pipeline_(pipeline), telemetry_(telemetry) {}
  void operator()(const Request& request, Response& response) const;

 private:
  pipeline::Pipeline& pipeline_;
  telemetry::Telemetry& telemetry_;
};

// DELETE on the same path: removes the group.
class DeleteHandler {
 public:
  explicit DeleteHandler(pipeline::Pipeline& pipeline) : pipeline_(pipeline) {}
  void operator()(const Request& request, Response& response) const;

 private:
  pipeline::Pipeline& pipeline_;
};

// The grouping key of a push or delete URL, as both handlers parse it: Pushgateway's rules, and
// grouping label values that are not UTF-8 refused up front (see push_handlers.cpp).
model::GroupingKeyResult groupingKeyOf(const RouteMatch& match);

// The job a push or delete names (job@base64 decoded); "" when the grouping key does not parse
// (the handler then answers 400).
std::string jobOf(const RouteMatch& match);

}  // namespace ferry::core::http
