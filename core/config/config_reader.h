#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/config/option_values.h"
#include "core/config/options.h"

// Walking a parsed config document: shared by config_file.cpp and the sections with files of
// their own (auth_config.cpp). Every error names the source and the key's full path.
namespace ferry::core::config::detail {

using nlohmann::json;

inline std::string joinPath(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

inline std::string describe(const json& v) {
  if (v.is_object() || v.is_array() || v.is_null()) return v.type_name();
  std::string text = v.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return std::string(v.type_name()) + " " + text;
}

// Walks the parsed document; every error names the source and the key's full path.
class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw ConfigError(source_ + ": \"" + path + "\": " + what);
  }
  [[noreturn]] void unknownKey(const std::string& path) const {
    throw ConfigError(source_ + ": unknown key \"" + path + "\"");
  }
  [[noreturn]] void wrongType(const std::string& path, const json& v, const char* expected) const {
    fail(path, std::string("expected ") + expected + ", got " + describe(v));
  }

  const json::object_t& object(const json& v, const std::string& path) const {
    if (!v.is_object()) wrongType(path, v, "an object");
    return v.get_ref<const json::object_t&>();
  }
  const std::string& string(const json& v, const std::string& path) const {
    if (!v.is_string()) wrongType(path, v, "a string");
    return v.get_ref<const std::string&>();
  }
  // A list that may be written as one string (`"listen"`, `"plugins.dir"`).
  std::vector<std::string> strings(const json& v, const std::string& path) const {
    if (v.is_string()) return {v.get<std::string>()};
    if (!v.is_array()) wrongType(path, v, "a string or an array of strings");
    std::vector<std::string> out;
    for (size_t i = 0; i < v.size(); ++i) {
      out.push_back(string(v[i], path + "[" + std::to_string(i) + "]"));
    }
    return out;
  }
  bool boolean(const json& v, const std::string& path) const {
    if (!v.is_boolean()) wrongType(path, v, "a boolean");
    return v.get<bool>();
  }
  unsigned long long unsignedInt(const json& v, const std::string& path) const {
    if (!v.is_number_unsigned()) wrongType(path, v, "an unsigned integer");
    return v.get<unsigned long long>();
  }

  // Runs a shared value rule, reporting its complaint against this key.
  template <typename F>
  auto checked(const std::string& path, F&& rule) const -> decltype(rule()) {
    try {
      return rule();
    } catch (const detail::ValueError& e) {
      fail(path, e.what());
    }
  }

 private:
  const std::string& source_;
};

inline void checkPluginName(const Reader& r, const std::string& name, const std::string& path) {
  // The name becomes part of a file name; keep it to a safe alphabet.
  bool ok = !name.empty();
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-');
  }
  if (!ok) r.fail(path, "a plugin name is letters, digits, '_' and '-', got \"" + name + "\"");
}

inline Options::PluginRef pluginRef(const Reader& r, const json& v, const std::string& path) {
  Options::PluginRef ref;
  bool has_plugin = false;
  for (const auto& [key, value] : r.object(v, path)) {
    std::string key_path = joinPath(path, key);
    if (key == "plugin") {
      ref.plugin = r.string(value, key_path);
      checkPluginName(r, ref.plugin, key_path);
      has_plugin = true;
    } else if (key == "config") {
      r.object(value, key_path);  // its keys are the plugin's to judge
      ref.config = value;
    } else {
      r.unknownKey(key_path);
    }
  }
  if (!has_plugin) r.fail(path, "missing key \"plugin\"");
  return ref;
}

}  // namespace ferry::core::config::detail
