#pragma once

#include <openssl/ssl.h>

// Whether a connection's client certificate was verified. With client_auth_type
// RequestClientCert or RequireAnyClientCert the handshake accepts any certificate, as Go does,
// so a presented certificate is not a proof of anything; OpenSSL still computes its verdict
// against the client CAs. The verdict is recorded on the certificate object the handshake
// received (the one SSL_get_peer_certificate returns for the rest of the connection), so the
// request path can read it back without reaching into the TLS library's connection object.
namespace ferry::core::web {

// Makes every handshake on `ctx` record the verdict on the client certificate it received.
// Call once per SSL_CTX, before it accepts connections.
void recordClientCertVerdicts(SSL_CTX* ctx);

// True only when `peer`, a connection's client certificate, had its chain verified in that
// connection's handshake. False for a certificate without a recorded verdict.
bool clientCertVerified(const X509* peer);

}  // namespace ferry::core::web
