#pragma once

#include <ferry/plugin_abi.h>

#include <boost/dll/shared_library.hpp>
#include <ferry/detail/config_keys.hpp>
#include <ferry/support/plugin_descriptor.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace ferry::core::plugin_host {

// A plugin could not be loaded, or refused its configuration. The message names the file, the
// plugin and the reason, ready for the user.
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "input", "storage" or "auth": the SDK's names, which the test kits use too.
inline std::string kindName(ferry_plugin_kind kind) { return support::pluginKindName(kind); }

// The descriptor fields the host understands, copied out of the plugin.
struct PluginInfo {
  std::filesystem::path path;
  ferry_plugin_kind kind{};
  std::string name;
  std::string version;
  std::string description;
  std::string default_config;
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
  // The declared config keys (ABI 1.2); none when the plugin does not declare them.
  std::optional<sdk::detail::KeySpecs> config_keys;
};

// One loaded plugin shared library with a validated descriptor. Never unloaded while
// instances exist: instances hold a shared_ptr to it.
class PluginLibrary {
 public:
  // Loads `path` (absolute) and validates its descriptor with support::descriptorProblem (the
  // rules the SDK's test kits apply too); throws PluginError.
  static std::shared_ptr<PluginLibrary> load(const std::filesystem::path& path);

  const PluginInfo& info() const { return info_; }
  const ferry_plugin_descriptor& descriptor() const { return *descriptor_; }
  // FERRY_STORAGE_* bits of a storage plugin (0 for other kinds and for ABI 1.0 plugins).
  uint32_t storageFlags() const;
  // An input plugin that hands its families to the family builder (ABI 1.2 parse_families).
  bool hasParseFamilies() const;
  // FERRY_AUTH_* bits of an auth plugin (0 for other kinds and for ABI 1.0/1.1 plugins).
  uint32_t authFlags() const;

 private:
  PluginLibrary() = default;
  boost::dll::shared_library library_;
  const ferry_plugin_descriptor* descriptor_ = nullptr;
  PluginInfo info_;
};

}  // namespace ferry::core::plugin_host
