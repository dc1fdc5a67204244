// Conversions between the C ABI's borrowed byte spans and std::string_view.
#pragma once

#include <ferry/plugin_abi.h>

#include <string_view>

namespace ferry::sdk {

inline ferry_bytes toBytes(std::string_view s) { return ferry_bytes{s.data(), s.size()}; }
inline std::string_view toView(ferry_bytes b) {
  return b.size == 0 ? std::string_view() : std::string_view(b.data, b.size);
}

}  // namespace ferry::sdk
