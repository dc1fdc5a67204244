#include "core/http/auth_request.h"

#include <Poco/Crypto/X509Certificate.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <openssl/bio.h>
#include <openssl/x509.h>

#include <memory>

#include "core/model/grouping_key.h"

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

std::string tlsPeerSubject(Poco::Net::HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (impl == nullptr) return {};
  auto* secure = dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(impl->socket().impl());
  if (secure == nullptr || !secure->havePeerCertificate()) return {};
  // Poco verified the certificate against the client CA during the handshake (mTLS).
  auto certificate = secure->peerCertificate();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio) return {};
  X509_NAME* name = X509_get_subject_name(certificate.certificate());
  if (name == nullptr ||
      X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    return {};
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

}  // namespace ferry::core::http
