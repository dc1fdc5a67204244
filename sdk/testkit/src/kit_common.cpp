#include "kit_common.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace ferry::testkit::common {

std::string testNameOf(const std::string& name) {
  std::string out = name.empty() ? "unnamed" : name;
  for (char& c : out) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!ok) c = '_';
  }
  return out;
}

std::string withUnknownKey(const std::string& config) {
  nlohmann::json json = config.empty() ? nlohmann::json::object() : nlohmann::json::parse(config);
  if (!json.is_object()) throw std::runtime_error("the backend's config is not a JSON object");
  json[kUnknownKey] = 1;
  return json.dump();
}

}  // namespace ferry::testkit::common
