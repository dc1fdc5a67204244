// Auth plugins: turn a request's credentials into an identity.
#pragma once

#include <ferry/plugin_abi.h>

#include <cctype>
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
  std::string_view tls_peer_subject;
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
};

}  // namespace ferry::sdk
