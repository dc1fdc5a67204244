// The `memory` storage plugin: Pushgateway without --persistence.file. It keeps the serialized
// groups in a map for the lifetime of the process and persists nothing, so a restart starts
// empty. It is also the smallest complete storage plugin, and the reference the storage
// contract tests compare other backends against.
#include <ferry/sdk.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>

namespace ferry::plugins::memory {

class MemoryStorage : public sdk::StoragePlugin {
 public:
  // Nothing survives a restart, so the host keeps its live state alone and never calls write.
  // The functions below still work, for other hosts and for the contract tests.
  static constexpr uint32_t kStorageFlags = FERRY_STORAGE_VOLATILE;
  static inline const sdk::ConfigKeys kConfigKeys = {};

  MemoryStorage(const sdk::Host&, sdk::Config&) {}

  void write(const std::vector<sdk::StorageOp>& ops) override {
    std::unique_lock lock(mu_);
    for (const auto& op : ops) {
      if (op.kind == FERRY_STORAGE_PUT) {
        entries_[std::string(op.key)] = std::string(op.value);
      } else {
        entries_.erase(std::string(op.key));
      }
    }
  }

  void scan(const std::function<bool(std::string_view, std::string_view)>& fn) override {
    std::shared_lock lock(mu_);
    for (const auto& [key, value] : entries_) {
      if (!fn(key, value)) break;
    }
  }

  void wipe() override {
    std::unique_lock lock(mu_);
    entries_.clear();
  }

 private:
  std::shared_mutex mu_;
  std::map<std::string, std::string> entries_;
};

}  // namespace ferry::plugins::memory

FERRY_PLUGIN(ferry::plugins::memory::MemoryStorage, "memory", "1.0.0",
             "In-memory storage: nothing survives a restart (Pushgateway's default)")
