#include "core/auth/client_cert_policy.h"

namespace ferry::core::auth {
namespace {

constexpr char kVerifyingTypes[] =
    "client_auth_type RequireAndVerifyClientCert (or VerifyClientCertIfGiven) with "
    "client_ca_file";

}  // namespace

std::string clientCertPolicyProblem(std::string_view plugin, const web::WebConfig* web,
                                    std::string_view origin) {
  if (web && web->tls.verifiesClientCerts()) return {};
  std::string out = "auth plugin \"" + std::string(plugin) +
                    "\" takes identities from TLS client certificates, but ";
  std::string config = origin.empty() ? "the web config" : "the web config " + std::string(origin);
  if (!web) {
    out +=
        "no --web.config.file is given: Ferry serves plain HTTP and never sees a client "
        "certificate";
  } else if (!web->tls.configured()) {
    out += config +
           " has no tls_server_config: Ferry serves plain HTTP and never sees a client "
           "certificate";
  } else if (!web->tls.asksForClientCerts()) {
    out += config + " has client_auth_type " +
           (web->tls.client_auth_type.empty() ? "NoClientCert (the default)"
                                              : web->tls.client_auth_type) +
           ": Ferry never asks for a client certificate";
  } else {
    out += config + " has client_auth_type " + web->tls.client_auth_type +
           ", which accepts a client certificate without verifying it: anyone could present a "
           "self-signed certificate with any subject and get that subject's rights";
  }
  out += web ? std::string("; use ") + kVerifyingTypes + " in the web config's tls_server_config"
             : std::string("; give --web.config.file a tls_server_config with ") + kVerifyingTypes;
  return out + ", or remove \"" + std::string(plugin) + "\" from auth.plugins";
}

}  // namespace ferry::core::auth
