#include "core/web/client_cert_verdict.h"

#include <openssl/x509.h>

namespace ferry::core::web {
namespace {

// Its address marks a verified certificate; no data is stored.
const char kVerified = 1;

int verdictIndex() {
  static const int index = X509_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// Runs OpenSSL's chain verification (which calls the connection's verify callback) and keeps
// its verdict. The callbacks of the non-verifying client auth types accept every error, so the
// return value alone says nothing: the store's error, which SSL_get_verify_result would
// report, does.
int verifyAndRecord(X509_STORE_CTX* store, void*) {
  int result = X509_verify_cert(store);
  bool verified = result > 0 && X509_STORE_CTX_get_error(store) == X509_V_OK;
  if (X509* leaf = X509_STORE_CTX_get0_cert(store)) {
    X509_set_ex_data(leaf, verdictIndex(), verified ? const_cast<char*>(&kVerified) : nullptr);
  }
  return result;
}

}  // namespace

void recordClientCertVerdicts(SSL_CTX* ctx) {
  verdictIndex();  // allocated before any handshake thread runs
  SSL_CTX_set_cert_verify_callback(ctx, verifyAndRecord, nullptr);
}

bool clientCertVerified(const X509* peer) {
  return peer != nullptr && X509_get_ex_data(peer, verdictIndex()) == &kVerified;
}

}  // namespace ferry::core::web
