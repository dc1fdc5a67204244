// The `cert` auth plugin: the subject of a verified TLS client certificate (mTLS through the
// web config's client_ca_file and client_auth_type) as the identity "cert:<subject>", the
// subject in RFC 2253 form as the core passes it, e.g. "cert:CN=ci,O=Example". The TLS layer
// verifies the certificate against the client CA; this plugin only names it, and only when the
// host says the handshake verified it (FERRY_AUTH_TLS_PEER_VERIFIED): a certificate that was
// merely presented proves nothing, anyone can mint one with any subject. It declares
// FERRY_AUTH_USES_CLIENT_CERT, so Ferry refuses a web config that does not verify them.
// Optional config {"subjects": ["CN=ci", ...]}: only these subjects are accepted, any other
// certificate is refused as wrong credentials (a CA that signs more than Ferry's clients).
// Without a verified client certificate the request is not this plugin's (no credentials).
#include <ferry/sdk.hpp>
#include <set>
#include <string>
#include <vector>

namespace ferry::plugins::cert {

class CertAuth : public sdk::AuthPlugin {
 public:
  static constexpr uint32_t kAuthFlags = FERRY_AUTH_USES_CLIENT_CERT;
  static inline const sdk::ConfigKeys kConfigKeys = {
      {"subjects", sdk::kStringList, nlohmann::json::array(),
       "Only certificates with one of these subjects (RFC 2253, e.g. \"CN=ci,O=Example\") are "
       "accepted, any other is denied; empty: every certificate the TLS layer verified."},
  };

  CertAuth(const sdk::Host&, sdk::Config& config) {
    for (auto& subject : config.get<std::vector<std::string>>("subjects")) {
      if (subject.empty()) throw sdk::configError("subjects: a subject is empty");
      subjects_.insert(std::move(subject));
    }
  }

  // Concurrent calls are safe: subjects_ never changes after the constructor.
  sdk::AuthResult authenticate(const sdk::AuthRequest& request) override {
    if (!request.tlsPeerVerified()) return sdk::AuthResult::noCredentials();
    std::string subject(request.tls_peer_subject);
    if (!subjects_.empty() && subjects_.count(subject) == 0) return sdk::AuthResult::denied();
    return sdk::AuthResult::ok("cert:" + subject);
  }

 private:
  std::set<std::string> subjects_;  // empty: every verified certificate
};

}  // namespace ferry::plugins::cert

FERRY_PLUGIN(ferry::plugins::cert::CertAuth, "cert", "1.0.0",
             "The verified TLS client certificate's subject as identity cert:<subject>")
