// A small C++ driver over one storage plugin instance: create, write, scan, wipe, flush and
// destroy through the C ABI, with std::string in and out. Used by the storage contract suite;
// also handy for a plugin author's own tests.
#pragma once

#include <ferry/plugin_abi.h>
#include <ferry/testkit/plugin_instance.h>
#include <ferry/testkit/plugin_loader.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::testkit {

// One operation of a write batch, owning its bytes.
struct StorageOp {
  ferry_storage_op_kind kind;
  std::string key;
  std::string value;
  static StorageOp put(std::string key, std::string value) {
    return {FERRY_STORAGE_PUT, std::move(key), std::move(value)};
  }
  static StorageOp remove(std::string key) { return {FERRY_STORAGE_REMOVE, std::move(key), {}}; }
  // Shared stores only (write_if batches).
  static StorageOp wipe() { return {FERRY_STORAGE_WIPE, {}, {}}; }
};

// One commit read from a shared store's feed, owning its bytes.
struct FeedCommit {
  uint64_t position = 0;
  int64_t commit_time_unix_nanos = 0;
  std::vector<StorageOp> ops;
};

using StorageMap = std::map<std::string, std::string>;

// Everything a full scan returned.
struct ScanResult {
  CallResult call;
  StorageMap entries;
  // Keys the plugin reported more than once in this scan (a contract violation).
  std::vector<std::string> duplicate_keys;
};

// A shared store's snapshot: its entries and the position they are at.
struct SnapshotResult : ScanResult {
  uint64_t position = 0;
};

class StorageDriver : public PluginInstance {
 public:
  // Creates an instance with `config_json`. On failure returns nullptr and, if `error` is
  // given, stores the status and message there (a NULL instance is the failure; a plugin that
  // returns NULL without a message gets status FERRY_ERR_INTERNAL and an empty message).
  static std::unique_ptr<StorageDriver> open(const PluginLibrary& library,
                                             const std::string& config_json,
                                             CallResult* error = nullptr);
  // Destroying the driver destroys the instance (Ferry's clean shutdown calls flush first;
  // this does not).

  CallResult write(const std::vector<StorageOp>& ops);
  // Passes the array straight through (e.g. ops == nullptr with count 0).
  CallResult writeRaw(const ferry_storage_op* ops, size_t count);
  // fn returns true to go on, false to stop the scan early.
  CallResult scan(const std::function<bool(std::string_view key, std::string_view value)>& fn);
  ScanResult scanAll();
  CallResult wipe();
  CallResult flush();

  // Shared stores (FERRY_STORAGE_SHARED, ABI 1.2); on another store these return
  // FERRY_ERR_UNSUPPORTED without calling the plugin.
  bool shared() const { return library_.sharedStorage(); }
  SnapshotResult snapshot();
  // One read_changes call: the commits it delivered are appended to `out`.
  CallResult readChanges(uint64_t after, uint32_t wait_ms, std::vector<FeedCommit>& out);
  CallResult writeIf(uint64_t expected, const std::vector<StorageOp>& ops, uint64_t* position);
  CallResult lease(const std::string& name, uint32_t ttl_ms, bool* held);

 private:
  friend class PluginInstance;
  using PluginInstance::PluginInstance;
};

}  // namespace ferry::testkit
