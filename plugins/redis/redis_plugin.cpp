// The `redis` storage plugin: groups in a Redis hash, every write batch one atomic Lua script
// that also appends it to a Redis stream, the change feed that keeps several Ferry replicas in
// step (ABI 1.2 shared store). One primary, optionally followed through Sentinel; Redis
// Cluster is refused. See redis_store.h for the layout and docs/configuration.md for the keys.
//
// Client: hiredis (Debian's libhiredis 0.14) rather than Poco::Redis 1.11: Poco's client sets
// no send timeout (a write to a stopped primary blocked for as long as it stayed stopped, 10
// minutes in a trial, where hiredis gave up after its timeout), has no AUTH helper, and
// pipelines half as fast in the same trial; hiredis is binary safe, parses nested stream
// replies, and its errors say what happened.
#include <ferry/sdk.hpp>

#include "redis_store.h"

namespace ferry::plugins::redis {

class RedisStorage : public sdk::StoragePlugin {
 public:
  static constexpr uint32_t kStorageFlags = FERRY_STORAGE_SHARED;

  RedisStorage(const sdk::Host& host, sdk::Config& config) : store_(parseOptions(config), host) {
    store_.probe();
  }

  void write(const std::vector<sdk::StorageOp>& ops) override { store_.write(ops); }
  void scan(const sdk::ScanFn& fn) override { store_.scan(fn); }
  void wipe() override { store_.wipe(); }
  // Nothing is buffered: every write is in Redis when it returns (how durable Redis keeps it
  // is Redis's appendfsync and "wait").
  void flush() override {}

  uint64_t snapshot(const sdk::ScanFn& fn) override { return store_.snapshot(fn); }
  void readChanges(uint64_t after, uint32_t wait_ms,
                   const std::function<bool(const sdk::StorageCommit&)>& fn) override {
    store_.readChanges(after, wait_ms, fn);
  }
  uint64_t writeIf(uint64_t expected, const std::vector<sdk::StorageOp>& ops) override {
    return store_.writeIf(expected, ops);
  }
  bool lease(std::string_view name, uint32_t ttl_ms) override { return store_.lease(name, ttl_ms); }

 private:
  RedisStore store_;
};

}  // namespace ferry::plugins::redis

FERRY_PLUGIN(ferry::plugins::redis::RedisStorage, "redis", "1.0.0",
             "groups in Redis (one primary, optionally through Sentinel), shared by several "
             "Ferry replicas through a change feed",
             R"({"url": "redis://127.0.0.1:6379/0", "prefix": "ferry:"})")
