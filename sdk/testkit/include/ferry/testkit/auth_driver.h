// A small C++ driver over one auth plugin instance: create, authenticate and destroy through
// the C ABI, with std::string in and out. Used by the auth contract suite; also handy for a
// plugin author's own tests.
#pragma once

#include <ferry/plugin_abi.h>
#include <ferry/testkit/plugin_loader.h>
#include <ferry/testkit/storage_driver.h>

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
  std::string tls_peer_subject;
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

 private:
  friend class PluginInstance;
  using PluginInstance::PluginInstance;
};

}  // namespace ferry::testkit
