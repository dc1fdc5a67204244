// A small C++ driver over one auth plugin instance: create, authenticate and destroy through
// the C ABI, with std::string in and out. Used by the auth contract suite; also handy for a
// plugin author's own tests.
#pragma once

#include <ferry/plugin_abi.h>
#include <ferry/testkit/plugin_loader.h>
#include <ferry/testkit/storage_driver.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ferry::testkit {

// A request as an auth plugin sees it (owning its bytes).
struct AuthRequest {
  std::string method = "PUT";
  std::string path = "/metrics/job/testkit";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string remote_address = "127.0.0.1:50000";
  // As Ferry sends them: the subject only with FERRY_AUTH_TLS_PEER_VERIFIED in tls_flags.
  std::string tls_peer_subject;
  uint32_t tls_flags = 0;  // FERRY_AUTH_TLS_*
};

// What one authenticate call gave: status, message and the identity written to the sink.
struct AuthResult {
  CallResult call;
  std::string identity;
};

class AuthDriver : public PluginInstance {
 public:
  // Creates an instance with `config_json`; on failure returns nullptr and fills `error`.
  static std::unique_ptr<AuthDriver> open(const PluginLibrary& library,
                                          const std::string& config_json,
                                          CallResult* error = nullptr);

  // Thread-safe as the ABI promises for the plugin: authenticate may run concurrently.
  AuthResult authenticate(const AuthRequest& request) const;
  // The WWW-Authenticate challenge the instance declares (ABI 1.2); "" for none or for a
  // plugin built against ABI 1.0/1.1.
  std::string challenge() const;
  // FERRY_AUTH_* bits of the plugin's function table; 0 for a plugin of ABI 1.0/1.1.
  uint32_t flags() const;

 private:
  friend class PluginInstance;
  using PluginInstance::PluginInstance;
};

}  // namespace ferry::testkit
