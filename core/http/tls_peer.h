#pragma once

#include <openssl/x509.h>

#include <cstdint>
#include <string>

namespace ferry::core::http {

// What a connection's TLS handshake tells admission and the auth plugins.
struct TlsPeer {
  uint32_t flags = 0;   // FERRY_AUTH_TLS_* (ferry/plugin_abi.h)
  std::string subject;  // RFC 2253 ("CN=ci,O=Example"); only of a verified certificate
};

// The TLS facts of a connection whose handshake is done, from its client certificate (null
// without one): the subject only when the handshake verified the certificate against the web
// config's client CAs (core/web/client_cert_verdict.h).
TlsPeer tlsPeerOf(const X509* client_certificate);

}  // namespace ferry::core::http
