#pragma once

#include <string>

#include "core/http/app_context.h"
#include "core/http/exchange.h"

// The group API (docs/configuration.md#the-group-api): JSON about the stored groups for the web
// UI and scripts, beyond the Pushgateway's /api/v1/metrics.
namespace ferry::core::http {

// GET <prefix>/api/v1/groups?match[]=&q=&sort=&limit=&next=
void handleGroupList(Exchange& exchange, AppContext& context);

// GET <prefix>/api/v1/groups/<id>: one group with its families; `id` is the base64url (no
// padding) of the canonical grouping key.
void handleGroupDetail(Exchange& exchange, AppContext& context, const std::string& id);

}  // namespace ferry::core::http
