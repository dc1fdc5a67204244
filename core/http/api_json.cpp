#include "core/http/api_json.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "core/expo/json_api.h"
#include "core/http/api_handlers.h"
#include "core/model/base64.h"

namespace ferry::core::http {

std::vector<std::pair<std::string, std::string>> queryParameters(const std::string& raw) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos <= raw.size()) {
    size_t end = raw.find('&', pos);
    if (end == std::string::npos) end = raw.size();
    std::string pair = raw.substr(pos, end - pos);
    pos = end + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name, value;
    try {
      Poco::URI::decode(pair.substr(0, eq), name, true);
      if (eq != std::string::npos) Poco::URI::decode(pair.substr(eq + 1), value, true);
    } catch (const Poco::Exception&) {
      throw BadApiQuery{"invalid URL escape in the query string"};
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

void sendJson(Response& response, int status, std::string body) {
  setApiHeaders(response);
  response.send(status, std::move(body), "application/json");
}

void sendJsonError(Response& response, int status, const std::string& message) {
  std::string body = "{\"status\":\"error\",\"error\":";
  expo::appendJsonString(body, message);
  body += "}";
  sendJson(response, status, std::move(body));
}

void appendGroupIdentity(std::string& out, const std::string& key, const model::LabelMap& labels) {
  out += "\"id\":";
  expo::appendJsonString(out, model::encodeBase64Url(key));
  out += ",\"labels\":{";
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out += ',';
    first = false;
    expo::appendJsonString(out, name);
    out += ':';
    expo::appendJsonString(out, value);
  }
  out += '}';
}

}  // namespace ferry::core::http
