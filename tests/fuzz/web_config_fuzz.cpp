// The exporter-toolkit web config file (--web.config.file, core/web), YAML that Ferry reads at
// start and again on every reload.
// Invariants:
//  - a bad file throws WebConfigError naming the file, and nothing else escapes (no yaml-cpp
//    exception, no std::exception of another kind);
//  - an accepted TLS block holds what the TLS set-up needs: a certificate and a key, a known
//    client auth type, client CAs only with one, min_version <= max_version.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "core/web/web_config.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace web = ferry::core::web;
  const std::string text(ferry::fuzz::asView(data, size));
  web::WebConfig config;
  try {
    config = web::parseWebConfig(text, "fuzz.yml", "/etc/ferry");
  } catch (const web::WebConfigError& e) {
    const std::string message = e.what();
    FUZZ_CHECK(message.rfind("web config fuzz.yml", 0) == 0, message);
    return 0;
  }
  const web::TlsServerConfig& tls = config.tls;
  if (tls.configured()) {
    static const std::set<std::string> kAuthTypes{"",
                                                  "NoClientCert",
                                                  "RequestClientCert",
                                                  "RequireAnyClientCert",
                                                  "RequireClientCert",
                                                  "VerifyClientCertIfGiven",
                                                  "RequireAndVerifyClientCert"};
    FUZZ_CHECK(!tls.cert_file.empty() || !tls.cert.empty(), "TLS without a certificate");
    FUZZ_CHECK(!tls.key_file.empty() || !tls.key.empty(), "TLS without a key");
    FUZZ_CHECK(kAuthTypes.count(tls.client_auth_type) == 1, tls.client_auth_type);
    const bool no_client_cert =
        tls.client_auth_type.empty() || tls.client_auth_type == "NoClientCert";
    FUZZ_CHECK(!no_client_cert || (tls.client_ca_file.empty() && tls.client_ca.empty()),
               "client CAs without a client auth type");
    FUZZ_CHECK(tls.min_version <= tls.max_version, "min_version above max_version");
  }
  return 0;
}
