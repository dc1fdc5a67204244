// Declared config keys (ABI 1.2, ferry_config_key) read and checked in one place: the SDK's
// C++ layer checks a config with this before a plugin's constructor runs, Ferry's plugin host
// before it calls create(), and the contract kits when they test a plugin. Not for plugin code:
// a plugin declares its keys with ferry::sdk::ConfigKeys (ferry/sdk/config.hpp).
#pragma once

#include <ferry/plugin_abi.h>

#include <cstddef>
#include <cstdint>
#include <ferry/support/go_duration.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ferry::sdk::detail {

// One declared key, parsed.
struct KeySpec {
  std::string name;
  uint32_t types = 0;
  std::string description;
  std::optional<nlohmann::json> default_value;  // none: required
  nlohmann::json example;                       // what a sample config uses
  std::vector<nlohmann::json> choices;          // empty: any value of `types`
  bool required() const { return !default_value.has_value(); }
};
using KeySpecs = std::vector<KeySpec>;

// A declaration or a config that does not fit; the message names the key.
class ConfigKeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

constexpr uint32_t kAllConfigTypes =
    FERRY_CONFIG_STRING | FERRY_CONFIG_BOOL | FERRY_CONFIG_INT | FERRY_CONFIG_UINT |
    FERRY_CONFIG_NUMBER | FERRY_CONFIG_DURATION | FERRY_CONFIG_STRING_LIST |
    FERRY_CONFIG_STRING_MAP | FERRY_CONFIG_OBJECT | FERRY_CONFIG_ARRAY;

// "string", "duration or unsigned integer", ...: the types for help texts and messages.
inline std::string typeNames(uint32_t types) {
  static const std::pair<uint32_t, const char*> kNames[] = {
      {FERRY_CONFIG_STRING, "string"},
      {FERRY_CONFIG_BOOL, "boolean"},
      {FERRY_CONFIG_INT, "integer"},
      {FERRY_CONFIG_UINT, "unsigned integer"},
      {FERRY_CONFIG_NUMBER, "number"},
      {FERRY_CONFIG_DURATION, "duration"},
      {FERRY_CONFIG_STRING_LIST, "list of strings"},
      {FERRY_CONFIG_STRING_MAP, "object of strings"},
      {FERRY_CONFIG_OBJECT, "object"},
      {FERRY_CONFIG_ARRAY, "array"}};
  std::vector<const char*> names;
  for (const auto& [bit, name] : kNames) {
    if (types & bit) names.push_back(name);
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

// Why `value` is none of `types` ("" if it is one). A string that is meant as a duration but
// does not parse gets Go's message, e.g. `time: unknown unit " seconds" in duration "5 seconds"`.
inline std::string typeProblem(uint32_t types, const nlohmann::json& value) {
  if ((types & FERRY_CONFIG_STRING) && value.is_string()) return "";
  if ((types & FERRY_CONFIG_BOOL) && value.is_boolean()) return "";
  if ((types & FERRY_CONFIG_INT) && value.is_number_integer()) {
    if (!value.is_number_unsigned() || value.get<uint64_t>() <= uint64_t{INT64_MAX}) return "";
  }
  if ((types & FERRY_CONFIG_UINT) && value.is_number_unsigned()) return "";
  if ((types & FERRY_CONFIG_NUMBER) && value.is_number()) return "";
  if ((types & FERRY_CONFIG_STRING_LIST) && value.is_array()) {
    bool strings = true;
    for (const auto& item : value) strings = strings && item.is_string();
    if (strings) return "";
  }
  if ((types & FERRY_CONFIG_STRING_MAP) && value.is_object()) {
    bool strings = true;
    for (const auto& item : value) strings = strings && item.is_string();
    if (strings) return "";
  }
  if ((types & FERRY_CONFIG_OBJECT) && value.is_object()) return "";
  if ((types & FERRY_CONFIG_ARRAY) && value.is_array()) return "";
  if ((types & FERRY_CONFIG_DURATION) && value.is_string()) {
    try {
      support::parseGoDuration(value.get<std::string>());
      return "";
    } catch (const support::GoDurationError& e) {
      // A string can only be meant as a duration here: Go's message says what is wrong.
      if (!(types & FERRY_CONFIG_STRING)) return e.what();
    }
  }
  std::string names = typeNames(types);
  if (types & (types - 1)) return "expected " + names;  // "duration or unsigned integer"
  // One type takes an article: "a string", "an integer", "an object of strings".
  bool vowel = std::string_view("aeiou").find(names.front()) != std::string_view::npos;
  return std::string("expected ") + (vowel ? "an " : "a ") + names;
}

// The text that follows `bad value for key "name": ` when `value` does not fit (or "").
inline std::string valueProblem(const KeySpec& key, const nlohmann::json& value) {
  std::string problem = typeProblem(key.types, value);
  if (!problem.empty())
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + ": " + problem;
  if (key.choices.empty()) return "";
  for (const auto& choice : key.choices) {
    if (choice == value) return "";
  }
  std::string expected;
  for (size_t i = 0; i < key.choices.size(); ++i) {
    if (i > 0) expected += i + 1 == key.choices.size() ? " or " : ", ";
    expected += key.choices[i].dump();
  }
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + ": expected " +
         expected;
}

// Refuses a config that does not fit the declaration: not an object, an unknown key, a missing
// required key or a value of the wrong type. Throws ConfigKeyError with the first problem.
inline void checkConfig(const KeySpecs& keys, const nlohmann::json& config) {
  if (!config.is_object()) throw ConfigKeyError("plugin config must be a JSON object");
  for (auto it = config.begin(); it != config.end(); ++it) {
    const KeySpec* key = nullptr;
    for (const auto& candidate : keys) {
      if (candidate.name == it.key()) key = &candidate;
    }
    if (!key) {
      std::string known;
      for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k.name;
      throw ConfigKeyError(
          "unknown key \"" + it.key() + "\" (" +
          (keys.empty() ? std::string("this plugin takes no keys") : "known keys: " + known) + ")");
    }
    std::string problem = valueProblem(*key, it.value());
    if (!problem.empty()) {
      throw ConfigKeyError("bad value for key \"" + key->name + "\": " + problem);
    }
  }
  for (const auto& key : keys) {
    if (key.required() && !config.contains(key.name)) {
      throw ConfigKeyError("missing required key \"" + key.name + "\" (" + typeNames(key.types) +
                           ": " + key.description + ")");
    }
  }
}

// The config with every absent key set to its default.
inline nlohmann::json withDefaults(const KeySpecs& keys, nlohmann::json config) {
  for (const auto& key : keys) {
    if (!config.contains(key.name) && key.default_value) config[key.name] = *key.default_value;
  }
  return config;
}

// A config that works: every key with its default, required keys with their example.
inline nlohmann::json sampleConfig(const KeySpecs& keys) {
  nlohmann::json sample = nlohmann::json::object();
  for (const auto& key : keys)
    sample[key.name] = key.default_value ? *key.default_value : key.example;
  return sample;
}

// Refuses a declaration that is not usable: a key without a name or types, a name given twice,
// a default, example or choice that is not one of the key's types, a required key without an
// example. Throws ConfigKeyError.
inline void checkDeclaration(const KeySpecs& keys) {
  std::set<std::string> names;
  for (size_t i = 0; i < keys.size(); ++i) {
    const KeySpec& key = keys[i];
    std::string where = "config key " + std::to_string(i + 1);
    if (key.name.empty()) throw ConfigKeyError(where + " has no name");
    where = "config key \"" + key.name + "\"";
    if (!names.insert(key.name).second) throw ConfigKeyError(where + " is declared twice");
    if (key.types == 0 || (key.types & ~kAllConfigTypes) != 0) {
      throw ConfigKeyError(where + " has no known type (types " + std::to_string(key.types) + ")");
    }
    for (const auto& choice : key.choices) {
      std::string problem = typeProblem(key.types, choice);
      if (!problem.empty())
        throw ConfigKeyError(where + ": choice " + choice.dump() + ": " + problem);
    }
    if (key.default_value) {
      std::string problem = valueProblem(key, *key.default_value);
      if (!problem.empty()) throw ConfigKeyError(where + ": default " + problem);
    } else if (key.example.is_null()) {
      throw ConfigKeyError(where + " is required but has no example value");
    }
    if (!key.example.is_null()) {
      std::string problem = valueProblem(key, key.example);
      if (!problem.empty()) throw ConfigKeyError(where + ": example " + problem);
    }
  }
}

// JSON text from a declaration field; `what` names it in the error.
inline std::optional<nlohmann::json> parseDeclared(const char* text, const std::string& what) {
  if (!text) return std::nullopt;
  nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) throw ConfigKeyError(what + " is not valid JSON: " + text);
  return value;
}

// The keys a descriptor declares, checked with checkDeclaration(); nullopt when it declares
// none (a 1.0 or 1.1 plugin, or config_keys NULL). Throws ConfigKeyError.
inline std::optional<KeySpecs> readConfigKeys(const ferry_plugin_descriptor& d) {
  if (d.abi_minor < 2 || d.struct_size < offsetof(ferry_plugin_descriptor, config_key_count) +
                                             sizeof(d.config_key_count)) {
    return std::nullopt;
  }
  if (!d.config_keys) return std::nullopt;
  KeySpecs keys;
  if (d.config_key_count == 0) return keys;
  if (d.config_key_count > 1000) throw ConfigKeyError("declares too many config keys");
  const uint32_t stride = d.config_keys->struct_size;
  if (stride < sizeof(ferry_config_key)) {
    throw ConfigKeyError("ferry_config_key.struct_size " + std::to_string(stride) +
                         " is smaller than ABI 1.2's " + std::to_string(sizeof(ferry_config_key)));
  }
  const char* base = reinterpret_cast<const char*>(d.config_keys);
  for (size_t i = 0; i < d.config_key_count; ++i) {
    const auto& raw = *reinterpret_cast<const ferry_config_key*>(base + i * stride);
    if (raw.struct_size != stride) {
      throw ConfigKeyError("config key " + std::to_string(i + 1) +
                           ": every ferry_config_key must have the same struct_size");
    }
    KeySpec key;
    key.name = raw.name ? raw.name : "";
    std::string where = "config key \"" + key.name + "\"";
    key.types = raw.types;
    key.description = raw.description ? raw.description : "";
    key.default_value = parseDeclared(raw.default_json, where + ": default");
    auto example = parseDeclared(raw.example_json, where + ": example");
    key.example = example ? *example : key.default_value.value_or(nlohmann::json());
    if (auto choices = parseDeclared(raw.choices_json, where + ": choices")) {
      if (!choices->is_array() || choices->empty()) {
        throw ConfigKeyError(where + ": choices must be a non-empty JSON array");
      }
      key.choices.assign(choices->begin(), choices->end());
    }
    keys.push_back(std::move(key));
  }
  checkDeclaration(keys);
  return keys;
}

}  // namespace ferry::sdk::detail
