// A plugin's configuration: the "config" object of its reference in Ferry's config file.
#pragma once

#include <ferry/sdk/errors.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

namespace ferry::sdk {

// A plugin's JSON configuration. Reading a key marks it as known; after the constructor the
// SDK rejects every key that was never read, so a typo in a config file is an error that names
// the key instead of a silently ignored setting.
class Config {
 public:
  explicit Config(nlohmann::json json) : json_(std::move(json)) {
    if (!json_.is_object()) throw configError("plugin config must be a JSON object");
  }
  bool has(const std::string& key) const { return json_.contains(key); }
  template <typename T>
  T get(const std::string& key, T fallback) {
    known_.insert(key);
    if (!json_.contains(key)) return fallback;
    return convert<T>(key);
  }
  template <typename T>
  T require(const std::string& key) {
    known_.insert(key);
    if (!json_.contains(key)) throw configError("missing required key \"" + key + "\"");
    return convert<T>(key);
  }
  const nlohmann::json& raw() const { return json_; }
  // Throws for the first key that no get/require asked for.
  void rejectUnknownKeys() const {
    for (auto it = json_.begin(); it != json_.end(); ++it) {
      if (!known_.count(it.key())) throw configError("unknown key \"" + it.key() + "\"");
    }
  }

 private:
  template <typename T>
  T convert(const std::string& key) const {
    try {
      return json_.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
      throw configError("bad value for key \"" + key + "\": " + json_.at(key).dump());
    }
  }
  nlohmann::json json_;
  std::set<std::string> known_;
};

}  // namespace ferry::sdk
