#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "core/http/routes.h"

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
  std::function<void()> request_shutdown;  // /-/quit
};

// Every route of the Pushgateway, one add() per route (the group API and the UI add theirs
// the same way).
RouteTable builtinRoutes(const HandlerDeps& deps);

}  // namespace ferry::core::http
