#pragma once

#include <ferry/metrics.pb.h>
#include <ferry/plugin_abi.h>
#include <google/protobuf/arena.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/plugin_host/host_services.h"
#include "core/plugin_host/plugin_library.h"

namespace ferry::core::plugin_host {

// The outcome of one plugin call: status plus the plugin's message on failure.
struct CallStatus {
  ferry_status status = FERRY_OK;
  std::string message;
  bool ok() const { return status == FERRY_OK; }
};

// Checks `config_json` against the keys `library` declares (ABI 1.2), as every instance's
// creation does first; nothing for a plugin without a declaration. Throws PluginError naming
// the plugin and the key. --check-config uses it for the storage plugin, whose create() would
// open (and lock) the store.
void checkDeclaredConfig(const PluginLibrary& library, const std::string& config_json);

// An instance created from a plugin with a JSON config; destroyed through the plugin's own
// destroy(). Holds the library so it outlives the instance.
class PluginInstance {
 public:
  // Throws PluginError naming the plugin when create() fails or the config is rejected.
  PluginInstance(std::shared_ptr<PluginLibrary> library, const std::string& config_json);
  virtual ~PluginInstance();
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  const PluginInfo& info() const { return library_->info(); }

 protected:
  const PluginLibrary& library() const { return *library_; }
  const void* vtable() const { return library_->descriptor().vtable; }
  void* instance() const { return instance_; }

 private:
  std::shared_ptr<PluginLibrary> library_;
  std::unique_ptr<HostServices> services_;
  void* instance_ = nullptr;
};

class InputPluginInstance : public PluginInstance {
 public:
  using PluginInstance::PluginInstance;
  bool accepts(std::string_view content_type) const;
  // The families of `body`, created in `arena`, in the order their names first came (a later
  // family of a name replaces an earlier one). Through the family builder for a plugin that
  // has parse_families (ABI 1.2), else by decoding the delimited bytes its parse writes.
  // Failures: the plugin's status and message, or the builder's first refusal, or
  // FERRY_ERR_INTERNAL for malformed bytes.
  CallStatus parse(std::string_view content_type, std::string_view body,
                   google::protobuf::Arena* arena,
                   std::vector<io::prometheus::client::MetricFamily*>& out) const;
};

// How the storage backend has been doing since start, for the status API and the UI.
struct StorageHealth {
  uint64_t writes = 0;             // successful write/wipe/flush calls
  uint64_t failures = 0;           // failed ones
  int64_t last_success_nanos = 0;  // Unix time, 0 = never
  int64_t last_failure_nanos = 0;
  std::string last_error;  // the plugin's message of the last failure
};

class StoragePluginInstance : public PluginInstance {
 public:
  using PluginInstance::PluginInstance;
  struct Op {
    ferry_storage_op_kind kind;
    std::string key;
    std::string value;
  };
  CallStatus write(const std::vector<Op>& ops);
  // fn returns false to stop.
  CallStatus scan(const std::function<bool(std::string_view, std::string_view)>& fn);
  CallStatus wipe();
  CallStatus flush();

  // Shared stores (ABI 1.2, FERRY_STORAGE_SHARED): the calls below are valid only when this is
  // true; their contract is that of the same-named functions in ferry/plugin_abi.h.
  bool shared() const;
  struct OpView {
    ferry_storage_op_kind kind;
    std::string_view key;
    std::string_view value;
  };
  // A commit from the feed; the views are valid during the callback.
  struct CommitView {
    uint64_t position = 0;
    int64_t commit_time_unix_nanos = 0;
    std::vector<OpView> ops;
  };
  CallStatus snapshot(const std::function<bool(std::string_view, std::string_view)>& fn,
                      uint64_t& position);
  // fn returns false to stop.
  CallStatus readChanges(uint64_t after, uint32_t wait_ms,
                         const std::function<bool(const CommitView&)>& fn);
  CallStatus writeIf(uint64_t expected, const std::vector<Op>& ops, uint64_t& position);
  CallStatus lease(std::string_view name, uint32_t ttl_ms, bool& held);
  // Safe to call from any thread while the writer writes (write_if counts as a write).
  StorageHealth health() const;

 private:
  CallStatus record(CallStatus status);

  mutable std::mutex health_mu_;
  StorageHealth health_;
};

// A request as auth plugins see it; views into the HTTP request, valid during the call.
struct AuthRequestView {
  std::string_view method;
  std::string_view path;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view remote_address;
  // RFC 2253 subject of the client certificate, only when the handshake verified it; never
  // the subject of an unverified certificate (see FERRY_AUTH_TLS_PEER_VERIFIED).
  std::string_view tls_peer_subject;
  uint32_t tls_flags = 0;  // FERRY_AUTH_TLS_*
};

class AuthPluginInstance : public PluginInstance {
 public:
  // Creates the instance and asks it once for its WWW-Authenticate challenge. Throws
  // PluginError when the challenge is not a valid header value.
  AuthPluginInstance(std::shared_ptr<PluginLibrary> library, const std::string& config_json);
  // status FERRY_OK (identity set), FERRY_AUTH_NO_CREDENTIALS, FERRY_AUTH_DENIED, or an error.
  // Safe to call from many threads, as the ABI requires of the plugin.
  CallStatus authenticate(const AuthRequestView& request, std::string& identity) const;
  // The challenge the plugin declared (ABI 1.2), e.g. "Bearer"; "" for none.
  const std::string& challenge() const { return challenge_; }
  // FERRY_AUTH_* bits the plugin declared (ABI 1.2); 0 for older plugins.
  uint32_t flags() const { return flags_; }

 private:
  std::string challenge_;
  uint32_t flags_ = 0;
};

}  // namespace ferry::core::plugin_host
