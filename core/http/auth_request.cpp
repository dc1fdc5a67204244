#include "core/http/auth_request.h"

#include <Poco/Crypto/X509Certificate.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <ferry/plugin_abi.h>
#include <openssl/bio.h>
#include <openssl/x509.h>

#include <memory>

#include "core/model/grouping_key.h"
#include "core/web/client_cert_verdict.h"

namespace ferry::core::http {

std::optional<auth::RouteKind> routeKindOf(const RouteMatch& match, const std::string& method) {
  if (match.kind != RouteMatch::Kind::kHandler) return std::nullopt;
  switch (match.route) {
    case RouteId::kPush:
    case RouteId::kPushBase64:
      return method == "DELETE" ? auth::RouteKind::kDelete : auth::RouteKind::kPush;
    case RouteId::kTelemetry:
      return auth::RouteKind::kScrape;
    case RouteId::kHealthy:
    case RouteId::kReady:
      return auth::RouteKind::kHealth;
    case RouteId::kQuit:
      return auth::RouteKind::kLifecycle;
    case RouteId::kIndex:
    case RouteId::kStatus:
    case RouteId::kStatic:
    case RouteId::kApiStatus:
    case RouteId::kApiMetrics:
    case RouteId::kApiRights:
    case RouteId::kApiRuntime:
      return auth::RouteKind::kApiRead;
    case RouteId::kApiWipe:
      return auth::RouteKind::kAdmin;
    case RouteId::kQuitRootGet:
    case RouteId::kApiOptions:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string jobOf(const RouteMatch& match) {
  auto key = model::parseGroupingKey(match.job, match.route == RouteId::kPushBase64, match.labels);
  if (!key.ok) return {};
  auto job = key.labels.find("job");
  return job == key.labels.end() ? std::string() : job->second;
}

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

TlsPeer tlsPeerOf(Poco::Net::HTTPServerRequest& request) {
  TlsPeer peer;
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (impl == nullptr) return peer;
  auto* secure = dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(impl->socket().impl());
  if (secure == nullptr) return peer;
  peer.flags |= FERRY_AUTH_TLS;
  if (!secure->havePeerCertificate()) return peer;
  peer.flags |= FERRY_AUTH_TLS_PEER_CERT;
  auto certificate = secure->peerCertificate();
  // With RequestClientCert and RequireAnyClientCert the handshake let an unverified
  // certificate through: its subject is whatever its maker wrote, so it is not passed on.
  if (!web::clientCertVerified(certificate.certificate())) return peer;
  peer.subject = rfc2253Subject(certificate.certificate());
  if (!peer.subject.empty()) peer.flags |= FERRY_AUTH_TLS_PEER_VERIFIED;
  return peer;
}

}  // namespace ferry::core::http
