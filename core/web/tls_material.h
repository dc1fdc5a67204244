#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "core/web/web_config.h"

namespace ferry::core::web {

// The loaded form of a tls_server_config: certificate chain, key, client CA store and the
// settings applied to each new TLS connection. Immutable once loaded, so a connection can
// take it while a reload builds the next one.
class TlsMaterial {
 public:
  // Reads the files; throws WebConfigError naming the file (unreadable, not PEM, key does not
  // match the certificate, unknown cipher list for OpenSSL).
  static std::shared_ptr<const TlsMaterial> load(const TlsServerConfig& config,
                                                 const std::string& origin);
  ~TlsMaterial();
  TlsMaterial(const TlsMaterial&) = delete;
  TlsMaterial& operator=(const TlsMaterial&) = delete;

  // Sets certificate, key, client verification, versions and ciphers on one connection; called
  // from the ClientHello callback, before the server's first flight. False on an OpenSSL
  // failure (the handshake is then aborted).
  bool applyTo(SSL* ssl) const;

 private:
  TlsMaterial() = default;

  X509* cert_ = nullptr;
  STACK_OF(X509) * chain_ = nullptr;
  EVP_PKEY* key_ = nullptr;
  X509_STORE* client_cas_ = nullptr;
  int verify_mode_ = SSL_VERIFY_NONE;
  bool verify_chain_ = true;  // false: a client certificate is asked for but not verified
  int min_version_ = 0;
  int max_version_ = 0;
  std::string ciphers_;
  std::string groups_;
  bool prefer_server_ciphers_ = true;
};

}  // namespace ferry::core::web
