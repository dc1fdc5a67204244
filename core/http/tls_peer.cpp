#include "core/http/tls_peer.h"

#include <ferry/plugin_abi.h>
#include <openssl/bio.h>

#include <memory>

#include "core/web/client_cert_verdict.h"

namespace ferry::core::http {
namespace {

std::string rfc2253Subject(const X509* certificate) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio) return {};
  const X509_NAME* name = X509_get_subject_name(certificate);
  if (name == nullptr ||
      X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    return {};
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

}  // namespace

TlsPeer tlsPeerOf(const X509* client_certificate) {
  TlsPeer peer;
  peer.flags |= FERRY_AUTH_TLS;
  if (client_certificate == nullptr) return peer;
  peer.flags |= FERRY_AUTH_TLS_PEER_CERT;
  // With RequestClientCert and RequireAnyClientCert the handshake let an unverified
  // certificate through: its subject is whatever its maker wrote, so it is not passed on.
  if (!web::clientCertVerified(client_certificate)) return peer;
  peer.subject = rfc2253Subject(client_certificate);
  if (!peer.subject.empty()) peer.flags |= FERRY_AUTH_TLS_PEER_VERIFIED;
  return peer;
}

}  // namespace ferry::core::http
