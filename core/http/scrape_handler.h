#pragma once

#include "core/http/request.h"
#include "core/http/response.h"

namespace ferry::core::store {
class Exposition;
class Store;
}  // namespace ferry::core::store
namespace ferry::core::telemetry {
class Telemetry;
}

namespace ferry::core::http {

// GET <prefix><telemetry path>: every stored group plus Ferry's own metrics, in the format the
// Accept header negotiates, gzipped when Accept-Encoding allows.
class ScrapeHandler {
 public:
  ScrapeHandler(store::Exposition& exposition, const store::Store& store,
                telemetry::Telemetry& telemetry)
      : exposition_(exposition), store_(store), telemetry_(telemetry) {}
  void operator()(const Request& request, Response& response) const;

 private:
  store::Exposition& exposition_;
  const store::Store& store_;
  telemetry::Telemetry& telemetry_;
};

}  // namespace ferry::core::http
