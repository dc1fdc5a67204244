#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "core/http/routes.h"
#include "core/http/ui_api.h"

namespace ferry::core::auth {
class Admission;
}
namespace ferry::core::pipeline {
class Pipeline;
}
namespace ferry::core::store {
class Exposition;
class Store;
}  // namespace ferry::core::store

namespace ferry::core::http {

// What the Pushgateway's own handlers are built from; each handler takes only its part.
struct HandlerDeps {
  pipeline::Pipeline& pipeline;
  store::Store& store;
  store::Exposition& exposition;
  telemetry::Telemetry& telemetry;
  std::map<std::string, std::string> status_flags;  // /api/v1/status "flags"
  int64_t start_time_nanos = 0;
  bool enable_lifecycle = false;
  bool enable_admin_api = false;
  std::function<void()> request_shutdown;  // /-/quit
  const auth::Admission& admission;        // /api/v1/rights
  RuntimeSources runtime;                  // /api/v1/runtime
};

// Every route: the Pushgateway's and the web UI's, one add() per route.
RouteTable builtinRoutes(const HandlerDeps& deps);

}  // namespace ferry::core::http
