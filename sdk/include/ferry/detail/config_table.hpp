// Not for plugin authors: a plugin class's declared keys (P::kConfigKeys) as the descriptor
// carries them (ferry_config_key) and as the checker reads them (KeySpecs), built once.
#pragma once

#include <ferry/plugin_abi.h>

#include <exception>
#include <ferry/detail/config_keys.hpp>
#include <ferry/sdk/config.hpp>
#include <string>
#include <type_traits>
#include <vector>

namespace ferry::sdk::detail {

template <typename P, typename = void>
struct DeclaresConfig : std::false_type {};
template <typename P>
struct DeclaresConfig<P, std::void_t<decltype(P::kConfigKeys)>> : std::true_type {};

class ConfigTable {
 public:
  explicit ConfigTable(const ConfigKeys& declared) {
    try {
      for (const ConfigKey& key : declared) {
        KeySpec spec;
        spec.name = key.name;
        spec.types = key.types;
        spec.description = key.description;
        spec.default_value = key.default_value;
        spec.example = key.default_value ? *key.default_value : key.example;
        for (const auto& choice : key.choices) spec.choices.emplace_back(choice);
        specs_.push_back(std::move(spec));
      }
      checkDeclaration(specs_);
      // The strings first, then the table that points into them (no reallocation after).
      texts_.reserve(specs_.size() * 4);
      for (const KeySpec& spec : specs_) {
        texts_.push_back(spec.default_value ? spec.default_value->dump() : std::string());
        texts_.push_back(spec.example.dump());
        nlohmann::json choices(spec.choices);
        texts_.push_back(spec.choices.empty() ? std::string() : choices.dump());
      }
      for (size_t i = 0; i < specs_.size(); ++i) {
        const KeySpec& spec = specs_[i];
        ferry_config_key raw{};
        raw.struct_size = sizeof(ferry_config_key);
        raw.types = spec.types;
        raw.name = spec.name.c_str();
        raw.description = spec.description.c_str();
        raw.default_json = spec.default_value ? texts_[3 * i].c_str() : nullptr;
        raw.example_json = spec.required() ? texts_[3 * i + 1].c_str() : nullptr;
        raw.choices_json = spec.choices.empty() ? nullptr : texts_[3 * i + 2].c_str();
        keys_.push_back(raw);
      }
      sample_ = sampleConfig(specs_).dump();
    } catch (const std::exception& e) {
      // Reported by create(), which then refuses to make an instance: a plugin with a broken
      // declaration never runs.
      error_ = std::string("the plugin's kConfigKeys are wrong: ") + e.what();
      specs_.clear();
      keys_.clear();
      sample_ = "{}";
    }
  }

  const KeySpecs& specs() const { return specs_; }
  // Never NULL: a plugin with kConfigKeys declares its keys, even when there are none.
  const ferry_config_key* keys() const { return keys_.empty() ? &empty_ : keys_.data(); }
  size_t count() const { return keys_.size(); }
  const char* sample() const { return sample_.c_str(); }
  const std::string& error() const { return error_; }

  // The table of plugin class P, built on first use.
  template <typename P>
  static const ConfigTable& of() {
    static const ConfigTable table(P::kConfigKeys);
    return table;
  }

 private:
  KeySpecs specs_;
  std::vector<std::string> texts_;
  std::vector<ferry_config_key> keys_;
  ferry_config_key empty_{};
  std::string sample_;
  std::string error_;
};

}  // namespace ferry::sdk::detail
