#pragma once

#include <Poco/Net/Context.h>

#include "core/web/web_config_watcher.h"

namespace ferry::core::web {

// The server-side TLS context for --web.config.file (the one home of TLS set-up, with
// tls_material.h). Certificate, key, client verification, versions and ciphers are taken from
// the watcher's current version at each ClientHello, so a changed certificate is used by the
// next connection and open connections keep theirs. Without cipher_suites or
// curve_preferences in the web config, the TLS 1.2 cipher suites and the curves are Go's
// defaults (crypto/tls, Go 1.19: kGoDefaultCipherSuites); TLS 1.3 suites are the same in both.
// `watcher` must outlive the context. Throws std::runtime_error when OpenSSL refuses.
Poco::Net::Context::Ptr makeServerContext(WebConfigWatcher& watcher);

// Go's default TLS 1.2 cipher suites, in its order of preference, by their OpenSSL names: the
// ECDHE AEADs, ECDHE CBC-SHA, RSA AEADs, RSA CBC-SHA, then 3DES (which OpenSSL may not offer
// at its security level). Go leaves out the CBC-SHA256/384 suites OpenSSL's DEFAULT has.
extern const char kGoDefaultCipherSuites[];
// Go's default curves: X25519, P-256, P-384, P-521.
extern const char kGoDefaultGroups[];

}  // namespace ferry::core::web
