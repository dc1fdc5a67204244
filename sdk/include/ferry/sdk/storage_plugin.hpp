// Storage plugins: durable key-value stores of serialized groups, and (ABI 1.2) shared stores
// that several Ferry replicas use at once.
#pragma once

#include <ferry/plugin_abi.h>

#include <cstdint>
#include <ferry/sdk/errors.hpp>
#include <functional>
#include <string_view>
#include <vector>

namespace ferry::sdk {

struct StorageOp {
  ferry_storage_op_kind kind;
  std::string_view key;
  std::string_view value;
};

// One commit of a shared store, as readChanges delivers it (views valid during the callback).
struct StorageCommit {
  uint64_t position = 0;
  int64_t commit_time_unix_nanos = 0;
  std::vector<StorageOp> ops;
};

using ScanFn = std::function<bool(std::string_view key, std::string_view value)>;

class StoragePlugin {
 public:
  static constexpr ferry_plugin_kind kKind = FERRY_KIND_STORAGE;
  virtual ~StoragePlugin() = default;
  // Applies the batch in order, durably if the backend promises durability.
  virtual void write(const std::vector<StorageOp>& ops) = 0;
  // Calls fn for every entry; fn returns false to stop.
  virtual void scan(const ScanFn& fn) = 0;
  virtual void wipe() = 0;
  virtual void flush() {}
  // FERRY_STORAGE_* bits a plugin class declares by hiding this constant, e.g.
  //   static constexpr uint32_t kStorageFlags = FERRY_STORAGE_VOLATILE;
  static constexpr uint32_t kStorageFlags = 0;

  // Shared stores (kStorageFlags has FERRY_STORAGE_SHARED) override these four; their contract
  // and threading are those of the same-named functions in ferry/plugin_abi.h. Throw
  // conflict(), feedGap() or unavailable() for those outcomes.
  // Lists one consistent state through fn and returns its position.
  virtual uint64_t snapshot(const ScanFn& /*fn*/) { return unsupported(); }
  // Delivers the commits after `after` through fn (false stops), waiting up to wait_ms.
  virtual void readChanges(uint64_t /*after*/, uint32_t /*wait_ms*/,
                           const std::function<bool(const StorageCommit&)>& /*fn*/) {
    unsupported();
  }
  // Commits the batch if the store is still at `expected`; returns the new position.
  virtual uint64_t writeIf(uint64_t /*expected*/, const std::vector<StorageOp>& /*ops*/) {
    return unsupported();
  }
  // Takes, renews (ttl_ms > 0) or gives up (0) a lease; true if this instance holds it.
  virtual bool lease(std::string_view /*name*/, uint32_t /*ttl_ms*/) { return unsupported(); }

 private:
  [[noreturn]] static uint64_t unsupported() {
    throw Error(FERRY_ERR_UNSUPPORTED, "not a shared store");
  }
};

}  // namespace ferry::sdk
