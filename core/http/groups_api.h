#pragma once

#include "core/http/request.h"
#include "core/http/response.h"

namespace ferry::core::store {
class Store;
}

// The group API (docs/configuration.md#the-group-api): JSON about the stored groups for the web
// UI and scripts, beyond the Pushgateway's /api/v1/metrics.
namespace ferry::core::http {

// GET <prefix>/api/v1/groups?match[]=&q=&sort=&limit=&next=
class GroupListHandler {
 public:
  explicit GroupListHandler(const store::Store& store) : store_(store) {}
  void operator()(const Request& request, Response& response) const;

 private:
  const store::Store& store_;
};

// GET <prefix>/api/v1/groups/<id>: one group with its families; the id is the base64url (no
// padding) of the canonical grouping key.
class GroupDetailHandler {
 public:
  explicit GroupDetailHandler(const store::Store& store) : store_(store) {}
  void operator()(const Request& request, Response& response) const;

 private:
  const store::Store& store_;
};

}  // namespace ferry::core::http
