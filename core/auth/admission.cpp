#include "core/auth/admission.h"

#include <algorithm>
#include <cctype>

#include "core/auth/client_cert_policy.h"
#include "core/util/log.h"
#include "core/web/basic_auth.h"

namespace ferry::core::auth {
namespace {

constexpr char kAnonymous[] = "anonymous";

// The address without the port: a client's connections share the host, not the port.
std::string hostOf(std::string_view address) {
  if (!address.empty() && address.front() == '[') {
    size_t close = address.find(']');
    if (close != std::string_view::npos) return std::string(address.substr(1, close - 1));
  }
  size_t colon = address.rfind(':');
  if (colon != std::string_view::npos && address.find(':') == colon) {
    return std::string(address.substr(0, colon));
  }
  return std::string(address);
}

std::string_view headerOf(const plugin_host::AuthRequestView& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(key[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (same) return value;
  }
  return {};
}

// What a log line may say about the credentials: the scheme and a basic-auth user name, never
// a password or token.
std::string credentialHint(std::string_view authorization) {
  if (authorization.empty()) return "none";
  if (auto basic = web::parseBasicAuthorization(authorization)) return "basic user " + basic->user;
  size_t space = authorization.find(' ');
  std::string scheme(authorization.substr(0, std::min<size_t>(space, 20)));
  return "scheme " + scheme;
}

web::CredentialCache::Key familiarKey(const plugin_host::AuthRequestView& request) {
  return web::CredentialCache::keyFor(headerOf(request, "Authorization"), request.tls_peer_subject,
                                      "familiar");
}

}  // namespace

Admission::Admission(std::optional<config::Options::AuthOptions> auth,
                     std::vector<std::unique_ptr<plugin_host::AuthPluginInstance>> plugins,
                     web::WebConfigWatcher* web_config, telemetry::Telemetry& telemetry)
    : plugins_(std::move(plugins)), web_config_(web_config), telemetry_(telemetry) {
  for (const auto& plugin : plugins_) {
    const std::string& challenge = plugin->challenge();
    if (!challenge.empty() && std::find(plugin_challenges_.begin(), plugin_challenges_.end(),
                                        challenge) == plugin_challenges_.end()) {
      plugin_challenges_.push_back(challenge);
    }
  }
  if (auth) {
    rights_.emplace(auth->rights);
    protect_health_ = auth->protect_health;
    throttle_.emplace(FailureThrottle::Options{auth->failure_delay, auth->failure_delay_max,
                                               auth->failure_max_addresses,
                                               std::chrono::seconds(600)});
  }
}

std::vector<std::pair<std::string, std::string>> Admission::responseHeaders() const {
  if (!web_config_) return {};
  return web_config_->current()->config.headers;
}

bool Admission::familiarCredentials(const plugin_host::AuthRequestView& request) const {
  if (headerOf(request, "Authorization").empty() && request.tls_peer_subject.empty()) return true;
  return familiar_.contains(familiarKey(request));
}

Decision Admission::decide(const plugin_host::AuthRequestView& request,
                           std::optional<RouteKind> kind, std::string_view job) {
  return *decideWith(request, kind, job, true);
}

std::optional<Decision> Admission::quickDecision(const plugin_host::AuthRequestView& request,
                                                 std::optional<RouteKind> kind,
                                                 std::string_view job) {
  return decideWith(request, kind, job, false);
}

std::optional<Admission::Outcome> Admission::identify(const plugin_host::AuthRequestView& request,
                                                      std::string& identity, bool may_block) const {
  bool wrong = false;
  if (web_config_) {
    auto state = web_config_->current();
    if (!state->basic_auth->empty()) {
      std::string user;
      std::string_view authorization = headerOf(request, "Authorization");
      auto result = may_block ? state->basic_auth->check(authorization, &user)
                              : state->basic_auth->checkCached(authorization, &user);
      if (!result) return std::nullopt;  // bcrypt has to run
      switch (*result) {
        case web::BasicAuthenticator::Result::kOk:
          identity = "user:" + user;
          return Outcome::kIdentified;
        case web::BasicAuthenticator::Result::kDenied:
          wrong = true;  // an auth plugin may still know this user
          break;
        case web::BasicAuthenticator::Result::kNoCredentials:
          break;
      }
    }
  }
  if (!plugins_.empty() && !may_block) return std::nullopt;
  for (const auto& plugin : plugins_) {
    std::string id;
    auto status = plugin->authenticate(request, id);
    if (status.status == FERRY_OK && !id.empty()) {
      identity = std::move(id);
      return Outcome::kIdentified;
    }
    if (status.status == FERRY_AUTH_NO_CREDENTIALS) continue;
    if (status.status != FERRY_AUTH_DENIED) {
      // A failing plugin must not let a request through: it counts as wrong credentials.
      util::logError("auth plugin failed",
                     {{"plugin", plugin->info().name},
                      {"err", status.ok() ? "empty identity" : status.message}});
    }
    wrong = true;
  }
  return wrong ? Outcome::kWrong : Outcome::kNone;
}

std::optional<Decision> Admission::decideWith(const plugin_host::AuthRequestView& request,
                                              std::optional<RouteKind> kind, std::string_view job,
                                              bool may_block) {
  const bool web_users = web_config_ && !web_config_->current()->basic_auth->empty();
  if (!rights_ && !web_users) return Decision{};
  // Probes carry no credentials; unless told otherwise, health stays open as in Pushgateway.
  if (rights_ && kind == RouteKind::kHealth && !protect_health_) return Decision{};
  std::string identity;
  std::optional<Outcome> outcome = identify(request, identity, may_block);
  if (!outcome) return std::nullopt;
  if (*outcome == Outcome::kIdentified) {
    if (throttle_) throttle_->recordSuccess(hostOf(request.remote_address));
    familiar_.insert(familiarKey(request));
  }
  if (!rights_) {
    // Pushgateway: any valid user may do everything.
    if (*outcome == Outcome::kIdentified) return Decision{0, identity, {}, {}};
    return refuse(request, kind, job, *outcome, identity);
  }
  if (*outcome == Outcome::kNone) identity = kAnonymous;
  if (*outcome != Outcome::kWrong && (!kind || rights_->allows(identity, *kind, job))) {
    return Decision{0, identity, {}, {}};
  }
  return refuse(request, kind, job, *outcome, identity);
}

Decision Admission::refuse(const plugin_host::AuthRequestView& request,
                           std::optional<RouteKind> kind, std::string_view job, Outcome outcome,
                           const std::string& identity) {
  Decision d;
  d.challenge = challenge();
  std::string_view authorization = headerOf(request, "Authorization");
  std::string route = kind ? routeKindName(*kind) : "none";
  if (outcome == Outcome::kWrong) {
    d.status = 401;
    if (throttle_) d.delay = throttle_->recordFailure(hostOf(request.remote_address));
    telemetry_.countAuthFailure(true);
    util::logWarn("authentication failed", {{"remote", request.remote_address},
                                            {"credentials", credentialHint(authorization)},
                                            {"route", route},
                                            {"path", request.path},
                                            {"delay_ms", std::to_string(d.delay.count())}});
  } else if (outcome == Outcome::kNone) {
    d.status = 401;
    telemetry_.countAuthFailure(false);
  } else {
    d.status = 403;
    d.challenge.clear();
    d.identity = identity;
    telemetry_.countAuthForbidden();
    util::logWarn("request not allowed", {{"remote", request.remote_address},
                                          {"identity", identity},
                                          {"route", route},
                                          {"job", job},
                                          {"path", request.path}});
  }
  return d;
}

std::string Admission::challenge() const {
  // "Basic" when the web config has users, then each plugin's declared challenge (ABI 1.2),
  // in config order, each once (RFC 9110 lists challenges comma-separated).
  std::string out;
  bool web_basic = web_config_ && !web_config_->current()->basic_auth->empty();
  if (web_basic) out = "Basic";
  for (const auto& challenge : plugin_challenges_) {
    if (web_basic && challenge == "Basic") continue;
    out += out.empty() ? challenge : ", " + challenge;
  }
  return out;
}

std::unique_ptr<Admission> buildAdmission(const config::Options& options,
                                          plugin_host::PluginRegistry& registry,
                                          web::WebConfigWatcher* web_config,
                                          telemetry::Telemetry& telemetry) {
  std::vector<std::unique_ptr<plugin_host::AuthPluginInstance>> plugins;
  std::optional<config::Options::AuthOptions> auth;
  std::vector<std::string> cert_plugins;
  if (options.auth.configured) {
    auth = options.auth;
    for (const auto& ref : options.auth.plugins) {
      plugins.push_back(std::make_unique<plugin_host::AuthPluginInstance>(
          registry.require(FERRY_KIND_AUTH, ref.plugin), ref.config.dump()));
      if (plugins.back()->flags() & FERRY_AUTH_USES_CLIENT_CERT) {
        cert_plugins.push_back(ref.plugin);
      }
    }
  }
  for (const auto& plugin : cert_plugins) {
    std::string problem =
        web_config
            ? clientCertPolicyProblem(plugin, &web_config->current()->config, web_config->path())
            : clientCertPolicyProblem(plugin, nullptr, "");
    if (!problem.empty()) throw config::ConfigError(problem);
  }
  if (web_config && !cert_plugins.empty()) {
    web_config->checkEveryReload([cert_plugins](const web::WebConfig& next) {
      for (const auto& plugin : cert_plugins) {
        std::string problem = clientCertPolicyProblem(plugin, &next, "");
        if (!problem.empty()) return problem;
      }
      return std::string();
    });
  }
  return std::make_unique<Admission>(std::move(auth), std::move(plugins), web_config, telemetry);
}

}  // namespace ferry::core::auth
