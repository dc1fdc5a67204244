// A third-party-style auth plugin for the integration tests, written against the installed SDK
// only, as someone outside the project would write it. Ferry's core knows nothing of it, so
// what it gets proves the ABI carries it:
//  - it declares a Bearer challenge (ABI 1.2): a 401 must carry `WWW-Authenticate: Bearer
//    realm="probe"`;
//  - "Authorization: Bearer <token>" with the configured token gives the identity
//    "probe:bearer", any other bearer token is wrong credentials;
//  - over TLS, any other request gets an identity that reports what the TLS layer told it:
//    "probe:tls-flags=<FERRY_AUTH_TLS_* bits>:subject=<tls_peer_subject>", so a test can see
//    whether a client certificate was verified and that an unverified one's subject never
//    reaches a plugin. It does not claim FERRY_AUTH_USES_CLIENT_CERT, so it runs with every
//    client_auth_type.
#include <ferry/sdk.hpp>
#include <string>

namespace probe {

class ProbeAuth : public ferry::sdk::AuthPlugin {
 public:
  // Declared (ABI 1.2), so the auth kit's DeclaredConfigKeysAreEnforced runs against it.
  static inline const ferry::sdk::ConfigKeys kConfigKeys = {
      {"token", ferry::sdk::kString, "probe-token", "The bearer token that gives probe:bearer."},
      {"realm", ferry::sdk::kString, "probe", "The realm of the Bearer challenge."},
  };

  ProbeAuth(const ferry::sdk::Host&, ferry::sdk::Config& config)
      : token_(config.get<std::string>("token")), realm_(config.get<std::string>("realm")) {}

  ferry::sdk::AuthResult authenticate(const ferry::sdk::AuthRequest& request) override {
    std::string_view header = request.header("Authorization");
    if (header.substr(0, 7) == "Bearer ") {
      if (header.substr(7) == token_) return ferry::sdk::AuthResult::ok("probe:bearer");
      return ferry::sdk::AuthResult::denied();
    }
    if ((request.tls_flags & FERRY_AUTH_TLS) == 0) return ferry::sdk::AuthResult::noCredentials();
    return ferry::sdk::AuthResult::ok("probe:tls-flags=" + std::to_string(request.tls_flags) +
                                      ":subject=" + std::string(request.tls_peer_subject));
  }

  std::string challenge() const override { return "Bearer realm=\"" + realm_ + "\""; }

 private:
  std::string token_;
  std::string realm_;
};

}  // namespace probe

FERRY_PLUGIN(probe::ProbeAuth, "probe", "0.1.0",
             "Test plugin: a Bearer challenge, and identities that report the TLS facts")
