#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/auth/failure_throttle.h"
#include "core/auth/rights.h"
#include "core/config/options.h"
#include "core/plugin_host/plugin_instance.h"
#include "core/plugin_host/plugin_registry.h"
#include "core/telemetry/telemetry.h"
#include "core/web/web_config_watcher.h"

namespace ferry::core::auth {

// The answer for one request.
struct Decision {
  int status = 0;         // 0: go on; 401 or 403: refuse (nothing is read, stored or deleted)
  std::string identity;   // who it is ("anonymous" without credentials); "" when wrong ones
  std::string challenge;  // with 401: the WWW-Authenticate value ("" when none applies)
  std::chrono::milliseconds delay{0};  // with 401 for wrong credentials: wait before answering
};

// "auth" of the config: asks the web config's basic_auth_users (identities "user:<name>") and
// then the auth plugins in order for an identity, and the rights table what it may do. The
// first identity wins; wrong credentials for one authenticator and none recognized by any
// other give 401. Thread-safe; immutable except for the failure throttle.
class AuthGate {
 public:
  AuthGate(const config::Options::AuthOptions& options,
           std::vector<std::unique_ptr<plugin_host::AuthPluginInstance>> plugins,
           web::WebConfigWatcher* web_config, telemetry::Telemetry& telemetry);

  // `kind` is nullopt for what no right covers (router answers: 404, 405, redirects; CORS
  // preflight): credentials are still checked when present, but anyone may get the answer.
  // `job` is the push/delete job. Logs and counts refusals; the caller waits `delay`.
  Decision decide(const plugin_host::AuthRequestView& request, std::optional<RouteKind> kind,
                  std::string_view job);

  // Holds the HTTP thread for `delay` when fewer than a few threads are waiting already, so a
  // flood of bad logins cannot park every thread. Returns false when it did not wait.
  bool wait(std::chrono::milliseconds delay);

  const Rights& rights() const { return rights_; }

 private:
  enum class Outcome { kIdentified, kNone, kWrong };
  Outcome identify(const plugin_host::AuthRequestView& request, std::string& identity) const;
  // The WWW-Authenticate value of a 401: "Basic" when the web config has users, then each
  // plugin's declared challenge, comma-separated (RFC 9110); "" when none applies.
  std::string challenge() const;

  Rights rights_;
  bool protect_health_;
  std::vector<std::unique_ptr<plugin_host::AuthPluginInstance>> plugins_;
  std::vector<std::string> plugin_names_;
  web::WebConfigWatcher* web_config_;
  telemetry::Telemetry& telemetry_;
  FailureThrottle throttle_;
  // The challenges the plugins declared (ABI 1.2), in config order, without repeats.
  std::vector<std::string> plugin_challenges_;
  std::atomic<int> waiting_{0};
};

// Loads the auth plugins the options name (throws PluginError / ConfigError); nullptr when the
// config has no "auth" section. A plugin that takes identities from client certificates
// (FERRY_AUTH_USES_CLIENT_CERT) needs a web config that verifies them: otherwise ConfigError
// says why (see client_cert_policy.h), and a web config reload that stops verifying them is
// refused.
std::unique_ptr<AuthGate> buildAuthGate(const config::Options& options,
                                        plugin_host::PluginRegistry& registry,
                                        web::WebConfigWatcher* web_config,
                                        telemetry::Telemetry& telemetry);

}  // namespace ferry::core::auth
