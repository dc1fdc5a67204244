// Auth plugins: turn a request's credentials into an identity.
#pragma once

#include <ferry/plugin_abi.h>

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ferry::sdk {

struct AuthRequest {
  std::string_view method;
  std::string_view path;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view remote_address;
  // RFC 2253 subject of the client certificate; Ferry sets it only when the TLS handshake
  // verified the certificate against the web config's client CAs, and leaves it empty otherwise.
  std::string_view tls_peer_subject;
  uint32_t tls_flags = 0;  // FERRY_AUTH_TLS_* bits (ferry/plugin_abi.h)
  // True when the client certificate was verified: only then does it name anyone.
  bool tlsPeerVerified() const {
    return (tls_flags & FERRY_AUTH_TLS_PEER_VERIFIED) != 0 && !tls_peer_subject.empty();
  }
  // Value of the first header with this name (case-insensitive), or empty.
  std::string_view header(std::string_view name) const {
    for (const auto& h : headers) {
      if (h.first.size() != name.size()) continue;
      bool same = true;
      for (size_t i = 0; i < name.size() && same; ++i) {
        same = std::tolower(static_cast<unsigned char>(h.first[i])) ==
               std::tolower(static_cast<unsigned char>(name[i]));
      }
      if (same) return h.second;
    }
    return {};
  }
};

struct AuthResult {
  ferry_status status;   // FERRY_OK, FERRY_AUTH_NO_CREDENTIALS or FERRY_AUTH_DENIED
  std::string identity;  // set with FERRY_OK
  static AuthResult ok(std::string id) { return {FERRY_OK, std::move(id)}; }
  static AuthResult noCredentials() { return {FERRY_AUTH_NO_CREDENTIALS, {}}; }
  static AuthResult denied() { return {FERRY_AUTH_DENIED, {}}; }
};

class AuthPlugin {
 public:
  static constexpr ferry_plugin_kind kKind = FERRY_KIND_AUTH;
  virtual ~AuthPlugin() = default;
  virtual AuthResult authenticate(const AuthRequest& request) = 0;  // called concurrently
  // The WWW-Authenticate challenge Ferry sends with a 401 so that clients know to offer this
  // plugin's credentials, e.g. "Basic" or R"(Bearer realm="ferry")"; "" for none (credentials
  // HTTP cannot ask for, such as client certificates). Asked once, after the constructor.
  virtual std::string challenge() const { return {}; }
  // FERRY_AUTH_* bits a plugin class declares by hiding this constant, e.g.
  //   static constexpr uint32_t kAuthFlags = FERRY_AUTH_USES_CLIENT_CERT;
  static constexpr uint32_t kAuthFlags = 0;
};

}  // namespace ferry::sdk
