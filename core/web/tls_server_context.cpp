#include "core/web/tls_server_context.h"

#include <Poco/Net/SSLManager.h>
#include <openssl/ssl.h>

#include <mutex>
#include <stdexcept>

#include "core/web/client_cert_verdict.h"

namespace ferry::core::web {
namespace {

int onClientHello(SSL* ssl, int* alert, void* arg) {
  auto* watcher = static_cast<WebConfigWatcher*>(arg);
  try {
    auto state = watcher->current();
    if (state->tls && state->tls->applyTo(ssl)) return SSL_CLIENT_HELLO_SUCCESS;
  } catch (...) {
    // fall through: abort this handshake only
  }
  *alert = SSL_AD_INTERNAL_ERROR;
  return SSL_CLIENT_HELLO_ERROR;
}

}  // namespace

const char kGoDefaultCipherSuites[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:"
    "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA:AES256-SHA:"
    "ECDHE-RSA-DES-CBC3-SHA:DES-CBC3-SHA";
const char kGoDefaultGroups[] = "X25519:P-256:P-384:P-521";

Poco::Net::Context::Ptr makeServerContext(WebConfigWatcher& watcher) {
  static std::once_flag ssl_initialized;
  std::call_once(ssl_initialized, [] { Poco::Net::initializeSSL(); });
  Poco::Net::Context::Params params;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;
  params.loadDefaultCAs = false;
  params.cipherList = kGoDefaultCipherSuites;
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  SSL_CTX* ctx = context->sslContext();
  // Connections are not resumed: every handshake goes through the ClientHello callback and so
  // sees the current certificates and client CAs.
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  static const unsigned char kSessionContext[] = "ferry";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
  SSL_CTX_set1_groups_list(ctx, kGoDefaultGroups);
  // No renegotiation (Go's server refuses it), so TLS I/O on a connection never changes
  // direction behind the event loop's back.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_client_hello_cb(ctx, onClientHello, &watcher);
  // The auth request says whether the client certificate was verified, not only presented.
  recordClientCertVerdicts(ctx);
  return context;
}

}  // namespace ferry::core::web
