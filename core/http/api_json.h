#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/http/response.h"
#include "core/model/grouping_key.h"

// What Ferry's own /api/v1 endpoints (the group API, selector delete) share: their query
// strings and their JSON answers, `{"status":"success","data":...}` or
// `{"status":"error","error":"..."}` as the Pushgateway's /api/v1.
namespace ferry::core::http {

// A query string the endpoint cannot accept: answered 400 with `message`.
struct BadApiQuery {
  std::string message;
};

// application/x-www-form-urlencoded pairs as Go's url.ParseQuery reads them ('+' is a space);
// throws BadApiQuery for a bad %-escape.
std::vector<std::pair<std::string, std::string>> queryParameters(const std::string& raw);

// Sends `body` (JSON) with the /api/v1 headers.
void sendJson(Response& response, int status, std::string body);
void sendJsonError(Response& response, int status, const std::string& message);

// "id":"<base64url of the grouping key>","labels":{...}: how the group API names a group.
void appendGroupIdentity(std::string& out, const std::string& key, const model::LabelMap& labels);

}  // namespace ferry::core::http
