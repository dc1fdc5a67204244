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

std::vector<std::pair<std::string, std::string>> configsThatDoNotFit(
    const sdk::detail::KeySpecs& keys, const std::string& good) {
  const nlohmann::json base = good.empty() ? nlohmann::json::object() : nlohmann::json::parse(good);
  // Values of every JSON shape: for each key, the first that none of its types takes.
  const nlohmann::json kWrong[] = {
      nlohmann::json::array({1, 2}), {{"a", 1}}, "not a duration", true, 1.5, -1, nullptr};
  std::vector<std::pair<std::string, std::string>> out;
  // First a key outside the declaration, so that a plugin declaring no keys is checked too.
  nlohmann::json unknown = base;
  unknown[kUnknownKey] = 1;
  out.emplace_back(unknown.dump(), std::string("unknown key \"") + kUnknownKey + "\"");
  for (const auto& key : keys) {
    if (key.required()) {
      nlohmann::json config = base;
      config.erase(key.name);
      out.emplace_back(config.dump(), "missing required key \"" + key.name + "\"");
    }
    for (const auto& wrong : kWrong) {
      if (sdk::detail::typeProblem(key.types, wrong).empty()) continue;
      nlohmann::json config = base;
      config[key.name] = wrong;
      out.emplace_back(config.dump(), "bad value for key \"" + key.name + "\"");
      break;
    }
  }
  return out;
}

}  // namespace ferry::testkit::common
