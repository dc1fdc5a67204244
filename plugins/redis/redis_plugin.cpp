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
  // The nested objects' own keys and values are checked by parseOptions (the declaration
  // covers the top level), with the nested key's name in the message.
  static inline const sdk::ConfigKeys kConfigKeys = {
      {"url", sdk::kString, "redis:///0",
       "redis://[user[:password]@][host[:port]][/db], user and password percent-encoded. "
       "Without a host: 127.0.0.1:6379, or with \"sentinel\" the primary the sentinels name "
       "(a host is refused then)."},
      {"password", sdk::kString, "", "The Redis password when it is not in url (\"\": none)."},
      {"prefix", sdk::kString, "ferry:",
       "Every key Ferry writes starts with it; replicas that share a store share the prefix."},
      {"sentinel", sdk::kObject, nlohmann::json::object(),
       "{\"master\": NAME, \"addresses\": [\"host:port\", ...], \"password\": ...}: find the "
       "primary through Redis Sentinel ({}: no Sentinel)."},
      {"timeouts", sdk::kObject, nlohmann::json{{"connect", "2s"}, {"command", "5s"}},
       "connect: TCP connect and login; command: the longest wait for a reply (Go durations)."},
      {"wait", sdk::kObject, nlohmann::json{{"replicas", 0}, {"timeout", "1s"}},
       "replicas: how many Redis replicas must confirm each commit (WAIT; 0: none); timeout: "
       "how long to wait for them before the write fails."},
      {"feed", sdk::kObject, nlohmann::json{{"max_length", 10000}},
       "max_length: commits kept in the change feed; a replica further behind resyncs."},
  };

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
             "Ferry replicas through a change feed")
