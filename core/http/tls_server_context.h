#pragma once

#include <Poco/Net/Context.h>

#include "core/web/web_config_watcher.h"

namespace ferry::core::http {

// The server-side TLS context for --web.config.file. Certificate, key, client verification,
// versions and ciphers are taken from the watcher's current version at each ClientHello, so a
// changed certificate is used by the next connection and open connections keep theirs.
// `watcher` must outlive the context. Throws std::runtime_error when OpenSSL refuses.
Poco::Net::Context::Ptr makeServerContext(web::WebConfigWatcher& watcher);

}  // namespace ferry::core::http
