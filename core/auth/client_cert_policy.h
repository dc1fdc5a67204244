#pragma once

#include <string>
#include <string_view>

#include "core/web/web_config.h"

namespace ferry::core::auth {

// An auth plugin that takes identities from TLS client certificates (FERRY_AUTH_USES_CLIENT_CERT)
// is only safe behind a web config that verifies them against its client CAs:
// client_auth_type VerifyClientCertIfGiven or RequireAndVerifyClientCert. With
// RequestClientCert or RequireAnyClientCert anyone may present a self-signed certificate with
// any subject; without TLS or with NoClientCert no certificate ever arrives.
//
// Returns "" when `web` (nullptr: no --web.config.file) verifies client certificates, else why
// `plugin` cannot run with it and what to use instead. `origin` names the web config file in
// the message ("" leaves the name out).
std::string clientCertPolicyProblem(std::string_view plugin, const web::WebConfig* web,
                                    std::string_view origin);

}  // namespace ferry::core::auth
