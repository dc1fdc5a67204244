// Not for plugin authors: what FERRY_PLUGIN puts in the descriptor (create, destroy and the
// function table of the plugin's kind).
#pragma once

#include <ferry/detail/auth_trampolines.hpp>
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
    Config config(std::move(json));
    auto inst = std::make_unique<Instance<P>>();
    inst->host = *host;
    inst->plugin = std::make_unique<P>(Host(&inst->host), config);
    config.rejectUnknownKeys();
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

}  // namespace ferry::sdk::detail
