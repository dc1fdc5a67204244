// Storage plugins: durable key-value stores of serialized groups.
#pragma once

#include <ferry/plugin_abi.h>

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace ferry::sdk {

struct StorageOp {
  ferry_storage_op_kind kind;
  std::string_view key;
  std::string_view value;
};

class StoragePlugin {
 public:
  static constexpr ferry_plugin_kind kKind = FERRY_KIND_STORAGE;
  virtual ~StoragePlugin() = default;
  // Applies the batch in order, durably if the backend promises durability.
  virtual void write(const std::vector<StorageOp>& ops) = 0;
  // Calls fn for every entry; fn returns false to stop.
  virtual void scan(const std::function<bool(std::string_view, std::string_view)>& fn) = 0;
  virtual void wipe() = 0;
  virtual void flush() {}
  // FERRY_STORAGE_* bits a plugin class declares by hiding this constant, e.g.
  //   static constexpr uint32_t kStorageFlags = FERRY_STORAGE_VOLATILE;
  static constexpr uint32_t kStorageFlags = 0;
};

}  // namespace ferry::sdk
