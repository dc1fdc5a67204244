#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/auth/failure_throttle.h"
#include "core/auth/rights.h"
#include "core/config/options.h"
#include "core/plugin_host/plugin_instance.h"
#include "core/plugin_host/plugin_registry.h"
#include "core/telemetry/telemetry.h"
#include "core/web/credential_cache.h"
#include "core/web/web_config_watcher.h"

namespace ferry::core::auth {

// The answer for one request.
struct Decision {
  int status = 0;         // 0: go on; 401 or 403: refuse (nothing is read, stored or deleted)
  std::string identity;   // who it is ("anonymous" without credentials); "" when wrong ones
  std::string challenge;  // with 401: the WWW-Authenticate value ("" when none applies)
  std::chrono::milliseconds delay{0};  // with 401 for wrong credentials: wait before answering
};

// Who may do what, decided from the request line and headers before any body byte is read:
// the one place that applies the web config (its headers and basic_auth_users, as the
// exporter-toolkit wraps the Pushgateway's handler) and the config's "auth" (identities from
// the web config's users and the auth plugins, the rights table, 401/403 with the challenge,
// the slow-down of repeated failures).
//
// Without "auth", only the web config's users apply: any valid user may do everything and a
// request without valid credentials gets 401 "Basic", as in the Pushgateway. With "auth", the
// first identity wins; wrong credentials for one authenticator and none recognized by another
// give 401. Thread-safe.
class Admission {
 public:
  Admission(std::optional<config::Options::AuthOptions> auth,
            std::vector<std::unique_ptr<plugin_host::AuthPluginInstance>> plugins,
            web::WebConfigWatcher* web_config, telemetry::Telemetry& telemetry);

  // `kind` is nullopt for what no right covers (router answers: 404, 405, redirects; the CORS
  // preflight): credentials are still checked when present, but anyone may get the answer.
  // `job` is the push/delete job. May run bcrypt and auth plugins, so it may block. Logs and
  // counts refusals; the caller waits `delay` before answering (without holding a thread).
  Decision decide(const plugin_host::AuthRequestView& request, std::optional<RouteKind> kind,
                  std::string_view job);

  // The same decision when it can be made without bcrypt or an auth plugin, i.e. without
  // blocking (no credentials configured, open health probes, web config credentials verified
  // before); nullopt when decide() must run on a thread that may block.
  std::optional<Decision> quickDecision(const plugin_host::AuthRequestView& request,
                                        std::optional<RouteKind> kind, std::string_view job);

  // True when this request's credentials (Authorization header and client certificate) were
  // accepted before, or it carries none: its check is expected to be quick, so it need not
  // queue behind unknown credentials (a flood of wrong passwords) for the bcrypt threads.
  bool familiarCredentials(const plugin_host::AuthRequestView& request) const;

  // The web config's http_server_config.headers, added to every answer that passes through
  // the handlers (refusals included); empty without a web config.
  std::vector<std::pair<std::string, std::string>> responseHeaders() const;

  // True when "auth" is configured (router answers then skip the body; see front door).
  bool rightsConfigured() const { return rights_.has_value(); }
  // The config's rights table; null without "auth".
  const Rights* rights() const { return rights_ ? &*rights_ : nullptr; }

 private:
  enum class Outcome { kIdentified, kNone, kWrong };
  // nullopt when it would have to block and `may_block` is false.
  std::optional<Decision> decideWith(const plugin_host::AuthRequestView& request,
                                     std::optional<RouteKind> kind, std::string_view job,
                                     bool may_block);
  std::optional<Outcome> identify(const plugin_host::AuthRequestView& request,
                                  std::string& identity, bool may_block) const;
  Decision refuse(const plugin_host::AuthRequestView& request, std::optional<RouteKind> kind,
                  std::string_view job, Outcome outcome, const std::string& identity);
  std::string challenge() const;

  std::optional<Rights> rights_;
  bool protect_health_ = false;
  std::vector<std::unique_ptr<plugin_host::AuthPluginInstance>> plugins_;
  web::WebConfigWatcher* web_config_;
  telemetry::Telemetry& telemetry_;
  std::optional<FailureThrottle> throttle_;
  // The challenges the plugins declared (ABI 1.2), in config order, without repeats.
  std::vector<std::string> plugin_challenges_;
  // Digests of credentials some authenticator accepted (never the credentials themselves).
  mutable web::CredentialCache familiar_;
};

// The admission for these options: the config's "auth" (loading the auth plugins it names;
// throws PluginError / ConfigError) and the web config. `web_config` may be null. A plugin that
// takes identities from client certificates (FERRY_AUTH_USES_CLIENT_CERT) needs a web config
// that verifies them: otherwise ConfigError says why (see client_cert_policy.h), and a web
// config reload that stops verifying them is refused.
std::unique_ptr<Admission> buildAdmission(const config::Options& options,
                                          plugin_host::PluginRegistry& registry,
                                          web::WebConfigWatcher* web_config,
                                          telemetry::Telemetry& telemetry);

}  // namespace ferry::core::auth
