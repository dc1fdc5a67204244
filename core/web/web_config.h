#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

// The exporter-toolkit web config file (--web.config.file), as Pushgateway 1.5.1 reads it.
namespace ferry::core::web {

// An invalid web config file. The text names the file, the line and the key.
class WebConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TlsServerConfig {
  // PEM files; relative paths are taken relative to the web config file's directory, as the
  // exporter-toolkit does. `cert`/`key`/`client_ca` are the inline PEM alternatives.
  std::string cert_file;
  std::string key_file;
  std::string cert;
  std::string key;
  std::string client_ca_file;
  std::string client_ca;
  // NoClientCert, RequestClientCert, RequireAnyClientCert (alias RequireClientCert),
  // VerifyClientCertIfGiven, RequireAndVerifyClientCert; "" means NoClientCert.
  std::string client_auth_type;
  int min_version = 0x0303;  // TLS 1.2, the exporter-toolkit default
  int max_version = 0x0304;  // TLS 1.3
  // OpenSSL names of the Go cipher suite names given (TLS 1.2 and older only, as in Go).
  std::vector<std::string> cipher_suites;
  // OpenSSL group names ("P-256", "X25519") of the Go curve names given.
  std::vector<std::string> curve_preferences;
  bool prefer_server_cipher_suites = true;

  // True unless the client auth type is NoClientCert (or unset).
  bool asksForClientCerts() const {
    return !client_auth_type.empty() && client_auth_type != "NoClientCert";
  }
  // True when a client certificate that is presented must pass verification against the
  // client CAs (VerifyClientCertIfGiven, RequireAndVerifyClientCert): only then does its
  // subject name anyone. RequestClientCert and RequireAnyClientCert accept any certificate.
  bool verifiesClientCerts() const {
    return configured() && (client_auth_type == "VerifyClientCertIfGiven" ||
                            client_auth_type == "RequireAndVerifyClientCert");
  }

  // The exporter-toolkit serves plain HTTP when none of these is set.
  bool configured() const {
    return !cert_file.empty() || !key_file.empty() || !cert.empty() || !key.empty() ||
           !client_auth_type.empty() || !client_ca_file.empty() || !client_ca.empty();
  }
};

struct WebConfig {
  TlsServerConfig tls;
  bool http2 = true;  // accepted for compatibility; Ferry serves HTTP/1.1 only
  std::vector<std::pair<std::string, std::string>> headers;  // added to every response
  std::map<std::string, std::string> users;                  // basic_auth_users: bcrypt hashes
};

// Parses the YAML text. `origin` names the file in messages; `base_dir` resolves relative
// paths. Throws WebConfigError: unknown or duplicate key, wrong type, an unknown TLS version,
// cipher or curve, a header that cannot be configured, a TLS block without cert or key, an
// invalid client_auth_type, client CAs without a client auth type.
WebConfig parseWebConfig(const std::string& yaml_text, const std::string& origin,
                         const std::string& base_dir);

// Reads and parses the file; throws WebConfigError (also when it cannot be read).
WebConfig loadWebConfigFile(const std::string& path);

}  // namespace ferry::core::web
