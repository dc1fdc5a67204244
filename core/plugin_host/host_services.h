#pragma once

#include <ferry/plugin_abi.h>

#include <string>
#include <string_view>

// The host side of the C ABI callbacks: the ferry_host table every plugin instance receives,
// and the concrete types behind the opaque ferry_error / ferry_sink handles.
struct ferry_error {
  std::string message;
};

struct ferry_sink {
  std::string data;
};

namespace ferry::core::plugin_host {

// A ferry_host table whose log callback attributes lines to `plugin_name`. The returned object
// must outlive every instance created with it (the host keeps one per loaded plugin).
struct HostServices {
  explicit HostServices(std::string plugin_name);
  HostServices(const HostServices&) = delete;
  HostServices& operator=(const HostServices&) = delete;

  std::string plugin_name;
  ferry_host table{};
};

inline std::string_view view(ferry_bytes b) {
  return b.size == 0 ? std::string_view() : std::string_view(b.data, b.size);
}
inline ferry_bytes bytes(std::string_view s) { return ferry_bytes{s.data(), s.size()}; }

}  // namespace ferry::core::plugin_host
