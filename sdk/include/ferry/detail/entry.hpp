// Not for plugin authors: what FERRY_PLUGIN puts in the descriptor (create, destroy, the
// function table of the plugin's kind and the declared config keys).
#pragma once

#include <ferry/detail/auth_trampolines.hpp>
#include <ferry/detail/config_keys.hpp>
#include <ferry/detail/config_table.hpp>
#include <ferry/detail/guard.hpp>
#include <ferry/detail/input_trampolines.hpp>
#include <ferry/detail/storage_trampolines.hpp>
#include <ferry/sdk/config.hpp>
#include <ferry/sdk/host.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>
#include <type_traits>
#include <utility>

namespace ferry::sdk::detail {

template <typename P>
void* create(const ferry_host* host, ferry_bytes config_json, ferry_error* err) noexcept {
  Instance<P>* result = nullptr;
  guarded(host, err, [&] {
    std::string_view text = toView(config_json);
    nlohmann::json json =
        text.empty() ? nlohmann::json::object() : nlohmann::json::parse(text.begin(), text.end());
    auto inst = std::make_unique<Instance<P>>();
    inst->host = *host;
    if constexpr (DeclaresConfig<P>::value) {
      // Checked before the constructor runs, so nothing it does happens with a wrong config.
      const ConfigTable& table = ConfigTable::of<P>();
      if (!table.error().empty()) throw Error(FERRY_ERR_INTERNAL, table.error());
      try {
        checkConfig(table.specs(), json);
      } catch (const ConfigKeyError& e) {
        throw configError(e.what());
      }
      Config config(std::move(json), table.specs());
      inst->plugin = std::make_unique<P>(Host(&inst->host), config);
    } else {
      Config config(std::move(json));
      inst->plugin = std::make_unique<P>(Host(&inst->host), config);
      config.rejectUnknownKeys();
    }
    result = inst.release();
  });
  return result;
}

template <typename P>
void destroy(void* instance) noexcept {
  try {
    delete static_cast<Instance<P>*>(instance);
  } catch (...) {
  }
}

template <typename P>
const void* vtableFor() {
  if constexpr (std::is_base_of_v<InputPlugin, P>) {
    return inputVtable<P>();
  } else if constexpr (std::is_base_of_v<StoragePlugin, P>) {
    return storageVtable<P>();
  } else {
    static_assert(std::is_base_of_v<AuthPlugin, P>,
                  "a Ferry plugin derives from InputPlugin, StoragePlugin or AuthPlugin");
    return authVtable<P>();
  }
}

// The descriptor of plugin class P. With declared keys (P::kConfigKeys) its default config is
// the sample the declaration gives.
template <typename P>
ferry_plugin_descriptor makeDescriptor(const char* name, const char* version,
                                       const char* description) noexcept {
  ferry_plugin_descriptor d{};
  d.struct_size = sizeof(ferry_plugin_descriptor);
  d.abi_major = FERRY_ABI_MAJOR;
  d.abi_minor = FERRY_ABI_MINOR;
  d.kind = P::kKind;
  d.name = name;
  d.version = version;
  d.description = description;
  d.default_config = "{}";
  d.create = &create<P>;
  d.destroy = &destroy<P>;
  d.vtable = vtableFor<P>();
  if constexpr (DeclaresConfig<P>::value) {
    const ConfigTable& table = ConfigTable::of<P>();
    d.default_config = table.sample();
    d.config_keys = table.keys();
    d.config_key_count = table.count();
  }
  return d;
}

// The older form, for a plugin that checks its config itself: the default config as JSON text.
template <typename P>
ferry_plugin_descriptor makeDescriptor(const char* name, const char* version,
                                       const char* description,
                                       const char* default_config) noexcept {
  static_assert(!DeclaresConfig<P>::value,
                "a plugin with kConfigKeys gets its default config from them: drop the last "
                "argument of FERRY_PLUGIN");
  ferry_plugin_descriptor d = makeDescriptor<P>(name, version, description);
  d.default_config = default_config;
  return d;
}

}  // namespace ferry::sdk::detail
