#pragma once

#include "core/http/request.h"
#include "core/http/response.h"

namespace ferry::core::pipeline {
class Pipeline;
}

namespace ferry::core::http {

// PUT <prefix>/api/v1/admin/wipe (routed only with --web.enable-admin-api): deletes every group.
class WipeHandler {
 public:
  explicit WipeHandler(pipeline::Pipeline& pipeline) : pipeline_(pipeline) {}
  void operator()(const Request& request, Response& response) const;

 private:
  pipeline::Pipeline& pipeline_;
};

}  // namespace ferry::core::http
