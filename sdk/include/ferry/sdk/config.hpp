// A plugin's configuration: the "config" object of its reference in Ferry's config file, and
// the keys a plugin declares for it.
#pragma once

#include <ferry/plugin_abi.h>

#include <chrono>
#include <cstdint>
#include <ferry/detail/config_keys.hpp>
#include <ferry/sdk/errors.hpp>
#include <ferry/support/go_duration.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ferry::sdk {

// The JSON values a declared key takes; combine with | (busy_timeout: kDuration | kUint).
enum ConfigType : uint32_t {
  kString = FERRY_CONFIG_STRING,
  kBool = FERRY_CONFIG_BOOL,
  kInt = FERRY_CONFIG_INT,
  kUint = FERRY_CONFIG_UINT,
  kNumber = FERRY_CONFIG_NUMBER,
  kDuration = FERRY_CONFIG_DURATION,  // a string such as "5m": read it with Config::duration
  kStringList = FERRY_CONFIG_STRING_LIST,
  kStringMap = FERRY_CONFIG_STRING_MAP,
  kObject = FERRY_CONFIG_OBJECT,
  kArray = FERRY_CONFIG_ARRAY,
};

// In place of a default: the key must be given. `example` is a value that works, shown in the
// sample config of `ferry --plugin-help`.
struct Required {
  nlohmann::json example;
};
inline Required required(nlohmann::json example) { return Required{std::move(example)}; }

// One key a plugin takes. A plugin declares all of them once, next to its class:
//
//   static inline const ferry::sdk::ConfigKeys kConfigKeys = {
//       {"dir", ferry::sdk::kString, ferry::sdk::required("groups"), "Where the files go."},
//       {"sync", ferry::sdk::kBool, true, "fsync before a write returns."},
//       {"mode", ferry::sdk::kString, "full", "How much to sync.", {"full", "normal"}},
//   };
//
// Then the SDK (and Ferry, before it calls the plugin) refuses an unknown key, a missing
// required key and a value of another type, naming the key, before the constructor runs, and
// Config::get returns the default of an absent key. `static inline const ConfigKeys
// kConfigKeys = {};` declares that the plugin takes no keys.
struct ConfigKey {
  template <typename Default>
  ConfigKey(std::string key_name, uint32_t key_types, Default&& default_or_required,
            std::string key_description, std::vector<std::string> key_choices = {})
      : name(std::move(key_name)),
        types(key_types),
        description(std::move(key_description)),
        choices(std::move(key_choices)) {
    if constexpr (std::is_same_v<std::decay_t<Default>, Required>) {
      example = default_or_required.example;
    } else {
      default_value = nlohmann::json(std::forward<Default>(default_or_required));
    }
  }

  std::string name;
  uint32_t types;
  std::string description;
  std::vector<std::string> choices;             // the only values a string key takes (empty: any)
  std::optional<nlohmann::json> default_value;  // none: required
  nlohmann::json example;                       // required keys: a value that works
};
using ConfigKeys = std::vector<ConfigKey>;

// A plugin's JSON configuration, handed to its constructor.
//
// With declared keys (kConfigKeys) it has been checked already, and get<T>(key) returns the
// key's value or its default. Without a declaration (the older way), reading a key with
// get(key, fallback) or require(key) marks it as known, and after the constructor the SDK
// rejects every key that was never read.
class Config {
 public:
  explicit Config(nlohmann::json json) : json_(std::move(json)) {
    if (!json_.is_object()) throw configError("plugin config must be a JSON object");
  }
  // A config checked against declared keys, their defaults filled in.
  Config(nlohmann::json json, const detail::KeySpecs& declared)
      : json_(detail::withDefaults(declared, std::move(json))), declared_(true) {
    for (const auto& key : declared) known_.insert(key.name);
  }

  bool has(const std::string& key) const { return json_.contains(key); }

  // The value of a declared key (or its default); without a declaration, of a required key.
  template <typename T>
  T get(const std::string& key) {
    checkDeclared(key);
    return require<T>(key);
  }
  template <typename T>
  T get(const std::string& key, T fallback) {
    checkDeclared(key);
    known_.insert(key);
    if (!json_.contains(key)) return fallback;
    return convert<T>(key);
  }
  template <typename T>
  T require(const std::string& key) {
    checkDeclared(key);
    known_.insert(key);
    if (!json_.contains(key)) throw configError("missing required key \"" + key + "\"");
    return convert<T>(key);
  }
  // A kDuration key: Go's duration syntax ("5m", "1h30m", "0").
  std::chrono::nanoseconds duration(const std::string& key) {
    std::string text = get<std::string>(key);
    try {
      return support::parseGoDuration(text);
    } catch (const support::GoDurationError& e) {
      throw configError("bad value for key \"" + key + "\": \"" + text + "\": " + e.what());
    }
  }

  const nlohmann::json& raw() const { return json_; }
  // Throws for the first key that no get/require asked for (declared keys are all known).
  void rejectUnknownKeys() const {
    for (auto it = json_.begin(); it != json_.end(); ++it) {
      if (!known_.count(it.key())) throw configError("unknown key \"" + it.key() + "\"");
    }
  }

 private:
  // Reading a key the plugin did not declare is a bug in the plugin, not in the config.
  void checkDeclared(const std::string& key) const {
    if (declared_ && !known_.count(key)) {
      throw std::logic_error("config key \"" + key + "\" is read but not declared in kConfigKeys");
    }
  }
  template <typename T>
  T convert(const std::string& key) const {
    try {
      return json_.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
      throw configError("bad value for key \"" + key + "\": " + json_.at(key).dump());
    }
  }
  nlohmann::json json_;
  bool declared_ = false;
  std::set<std::string> known_;
};

}  // namespace ferry::sdk
