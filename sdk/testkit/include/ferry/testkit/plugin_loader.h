// Loading a plugin for tests, through the C ABI only (ferry/plugin_abi.h).
//
// The kit loads a plugin the way any host would: dlopen by absolute path, dlsym of
// ferry_plugin_entry_v1, Ferry's own checks of the descriptor (struct sizes, ABI version, kind,
// name, function table), and a minimal ferry_host whose log lines are captured and printed.
// Nothing here knows Ferry's core, so a third-party plugin is tested exactly as Ferry will load
// it.
#pragma once

#include <ferry/plugin_abi.h>

#include <ferry/detail/config_keys.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ferry::testkit {

// Why a plugin library could not be used; the message names the file and the reason.
class LoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A loaded plugin library. Libraries are never unloaded (as in Ferry), so a reference returned
// by load() stays valid until the process exits.
class PluginLibrary {
 public:
  // Loads `path` once per process (later calls return the same object). Throws LoadError for a
  // missing file, a missing entry symbol, a kind other than `kind`, or a descriptor Ferry's own
  // loader refuses (the same check, ferry::support::descriptorProblem: another ABI major, a
  // newer ABI minor, no name or version, an incomplete function table). Thread-safe.
  static const PluginLibrary& load(const std::string& path, ferry_plugin_kind kind);
  static const PluginLibrary& loadStorage(const std::string& path) {
    return load(path, FERRY_KIND_STORAGE);
  }
  static const PluginLibrary& loadInput(const std::string& path) {
    return load(path, FERRY_KIND_INPUT);
  }
  static const PluginLibrary& loadAuth(const std::string& path) {
    return load(path, FERRY_KIND_AUTH);
  }

  const std::string& path() const { return path_; }
  const ferry_plugin_descriptor& descriptor() const { return *descriptor_; }
  // The function table of the plugin's kind; only the one matching the kind may be used.
  const ferry_storage_vtable& storage() const {
    return *static_cast<const ferry_storage_vtable*>(descriptor_->vtable);
  }
  // FERRY_STORAGE_* flags as Ferry reads them: 0 for a 1.0 table, and FERRY_STORAGE_SHARED
  // only in a (complete) 1.2 table.
  uint32_t storageFlags() const {
    const ferry_storage_vtable& vt = storage();
    if (vt.struct_size < offsetof(ferry_storage_vtable, flags) + sizeof(vt.flags)) return 0;
    if (vt.struct_size < sizeof(ferry_storage_vtable)) return vt.flags & ~FERRY_STORAGE_SHARED;
    return vt.flags;
  }
  bool sharedStorage() const { return (storageFlags() & FERRY_STORAGE_SHARED) != 0; }
  const ferry_input_vtable& input() const {
    return *static_cast<const ferry_input_vtable*>(descriptor_->vtable);
  }
  const ferry_auth_vtable& auth() const {
    return *static_cast<const ferry_auth_vtable*>(descriptor_->vtable);
  }
  // The declared config keys (ABI 1.2), checked at load; none when the plugin checks its config
  // itself.
  const std::optional<sdk::detail::KeySpecs>& configKeys() const { return config_keys_; }
  // An input plugin that hands its families to the family builder (ABI 1.2 parse_families).
  bool hasParseFamilies() const;

 private:
  PluginLibrary(std::string path, const ferry_plugin_descriptor* descriptor,
                std::optional<sdk::detail::KeySpecs> config_keys);
  std::string path_;
  const ferry_plugin_descriptor* descriptor_;
  std::optional<sdk::detail::KeySpecs> config_keys_;
};

// One log line a plugin wrote through ferry_host.log.
struct LogLine {
  ferry_log_level level;
  std::string message;
};

// The ferry_host handed to a plugin instance. Log lines are kept (see lines()) and also printed
// to stderr, prefixed with the plugin name, so a failing test shows what the plugin said.
// Must outlive the instance it was given to; its address must not change (it is not movable).
class TestHost {
 public:
  explicit TestHost(std::string plugin_name);
  TestHost(const TestHost&) = delete;
  TestHost& operator=(const TestHost&) = delete;

  const ferry_host* raw() const { return &host_; }
  std::vector<LogLine> lines() const;

 private:
  static void logCallback(void* host_ctx, ferry_log_level level, ferry_bytes message);
  std::string plugin_name_;
  ferry_host host_;
  mutable std::mutex mu_;
  std::vector<LogLine> lines_;
};

// Text for a status value, e.g. "FERRY_ERR_IO".
std::string statusName(ferry_status status);

// "input", "storage" or "auth".
std::string kindName(ferry_plugin_kind kind);

// The host-side objects behind the opaque ferry_error and ferry_sink of the kit's TestHost: a
// std::string each (error_set replaces its contents, sink_write appends).
inline ferry_error* asError(std::string* message) {
  return reinterpret_cast<ferry_error*>(message);
}
inline ferry_sink* asSink(std::string* bytes) { return reinterpret_cast<ferry_sink*>(bytes); }

// Keys and values in test output: printable ASCII as is, everything else as \xNN; long strings
// are cut and their size is given.
std::string printable(const std::string& bytes, size_t max_chars = 64);

}  // namespace ferry::testkit
