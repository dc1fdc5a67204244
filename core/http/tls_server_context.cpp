#include "core/http/tls_server_context.h"

#include <Poco/Net/SSLManager.h>
#include <openssl/ssl.h>

#include <mutex>
#include <stdexcept>

#include "core/web/client_cert_verdict.h"

namespace ferry::core::http {
namespace {

int onClientHello(SSL* ssl, int* alert, void* arg) {
  auto* watcher = static_cast<web::WebConfigWatcher*>(arg);
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

Poco::Net::Context::Ptr makeServerContext(web::WebConfigWatcher& watcher) {
  static std::once_flag ssl_initialized;
  std::call_once(ssl_initialized, [] { Poco::Net::initializeSSL(); });
  Poco::Net::Context::Params params;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;
  params.loadDefaultCAs = false;
  params.cipherList = "DEFAULT";
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  SSL_CTX* ctx = context->sslContext();
  // Connections are not resumed: every handshake goes through the ClientHello callback and so
  // sees the current certificates and client CAs.
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  static const unsigned char kSessionContext[] = "ferry";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
  SSL_CTX_set_client_hello_cb(ctx, onClientHello, &watcher);
  // The auth request says whether the client certificate was verified, not only presented.
  web::recordClientCertVerdicts(ctx);
  return context;
}

}  // namespace ferry::core::http
