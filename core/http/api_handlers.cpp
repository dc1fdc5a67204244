#include "core/http/api_handlers.h"

#include "core/config/version.h"
#include "core/expo/json_api.h"
#include "core/store/exposition.h"

namespace ferry::core::http {

void setApiHeaders(Response& response) {
  response.setHeader("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type, Origin");
  response.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
  response.setHeader("Access-Control-Allow-Origin", "*");
  response.setHeader("Access-Control-Expose-Headers", "Date");
  response.setHeader("Cache-Control", "no-cache, no-store, must-revalidate");
}

void ApiStatusHandler::operator()(const Request&, Response& response) const {
  std::string out = "{\"status\":\"success\",\"data\":{\"build_information\":{";
  // The Pushgateway's keys, filled from the one description of this build.
  const config::BuildInfo& info = config::buildInfo();
  const std::pair<const char*, std::string> build[] = {
      {"branch", info.branch},        {"buildDate", info.build_date},
      {"buildUser", info.build_user}, {"goVersion", "none (C++, " + info.compiler + ")"},
      {"revision", info.revision},    {"version", info.version}};
  bool first = true;
  for (const auto& [key, value] : build) {
    if (!first) out += ',';
    first = false;
    expo::appendJsonString(out, key);
    out += ':';
    expo::appendJsonString(out, value);
  }
  out += "},\"flags\":{";
  first = true;
  for (const auto& [key, value] : flags_) {
    if (!first) out += ',';
    first = false;
    expo::appendJsonString(out, key);
    out += ':';
    expo::appendJsonString(out, value);
  }
  out += "},\"start_time\":";
  expo::appendJsonString(out, expo::formatRfc3339Nano(start_time_nanos_));
  out += "}}";
  setApiHeaders(response);
  response.send(200, std::move(out), "application/json");
}

void ApiMetricsHandler::operator()(const Request&, Response& response) const {
  setApiHeaders(response);
  response.send(200, exposition_.renderApiMetrics(), "application/json");
}

void answerApiOptions(const Request&, Response& response) {
  setApiHeaders(response);
  response.send(200);
}

}  // namespace ferry::core::http
