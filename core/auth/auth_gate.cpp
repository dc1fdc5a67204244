#include "core/auth/auth_gate.h"

#include <algorithm>
#include <thread>

#include "core/auth/client_cert_policy.h"
#include "core/config/options.h"
#include "core/util/log.h"
#include "core/web/basic_auth.h"

namespace ferry::core::auth {
namespace {

constexpr char kAnonymous[] = "anonymous";
// Threads that may wait out a failure delay at once; more failures are answered at once (the
// delay still grows for their address). A few keep a guesser slow without parking the pool.
constexpr int kMaxWaiting = 4;

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

}  // namespace

AuthGate::AuthGate(const config::Options::AuthOptions& options,
                   std::vector<std::unique_ptr<plugin_host::AuthPluginInstance>> plugins,
                   web::WebConfigWatcher* web_config, telemetry::Telemetry& telemetry)
    : rights_(options.rights),
      protect_health_(options.protect_health),
      plugins_(std::move(plugins)),
      web_config_(web_config),
      telemetry_(telemetry),
      throttle_({options.failure_delay, options.failure_delay_max, options.failure_max_addresses,
                 std::chrono::seconds(600)}) {
  for (const auto& plugin : plugins_) {
    plugin_names_.push_back(plugin->info().name);
    const std::string& challenge = plugin->challenge();
    if (!challenge.empty() && std::find(plugin_challenges_.begin(), plugin_challenges_.end(),
                                        challenge) == plugin_challenges_.end()) {
      plugin_challenges_.push_back(challenge);
    }
  }
}

std::string AuthGate::challenge() const {
  std::string out;
  bool web_basic = web_config_ && !web_config_->current()->basic_auth->empty();
  if (web_basic) out = "Basic";
  for (const auto& challenge : plugin_challenges_) {
    if (web_basic && challenge == "Basic") continue;
    out += out.empty() ? challenge : ", " + challenge;
  }
  return out;
}

AuthGate::Outcome AuthGate::identify(const plugin_host::AuthRequestView& request,
                                     std::string& identity) const {
  bool wrong = false;
  if (web_config_) {
    auto state = web_config_->current();
    if (!state->basic_auth->empty()) {
      std::string user;
      switch (state->basic_auth->check(headerOf(request, "Authorization"), &user)) {
        case web::BasicAuthenticator::Result::kOk:
          identity = "user:" + user;
          return Outcome::kIdentified;
        case web::BasicAuthenticator::Result::kDenied:
          wrong = true;  // a "basic" plugin may still know this user
          break;
        case web::BasicAuthenticator::Result::kNoCredentials:
          break;
      }
    }
  }
  for (size_t i = 0; i < plugins_.size(); ++i) {
    std::string id;
    auto status = plugins_[i]->authenticate(request, id);
    if (status.status == FERRY_OK && !id.empty()) {
      identity = std::move(id);
      return Outcome::kIdentified;
    }
    if (status.status == FERRY_AUTH_NO_CREDENTIALS) continue;
    if (status.status != FERRY_AUTH_DENIED) {
      // A failing plugin must not let a request through: it counts as wrong credentials.
      util::logError(
          "auth plugin failed",
          {{"plugin", plugin_names_[i]}, {"err", status.ok() ? "empty identity" : status.message}});
    }
    wrong = true;
  }
  return wrong ? Outcome::kWrong : Outcome::kNone;
}

Decision AuthGate::decide(const plugin_host::AuthRequestView& request,
                          std::optional<RouteKind> kind, std::string_view job) {
  Decision d;
  // Probes carry no credentials; unless told otherwise, health stays open as in Pushgateway.
  if (kind == RouteKind::kHealth && !protect_health_) return d;
  std::string identity;
  Outcome outcome = identify(request, identity);
  std::string host = hostOf(request.remote_address);
  if (outcome == Outcome::kIdentified) throttle_.recordSuccess(host);
  if (outcome == Outcome::kNone) identity = kAnonymous;
  if (outcome != Outcome::kWrong) {
    d.identity = identity;
    if (!kind || rights_.allows(identity, *kind, job)) return d;
  }
  std::string_view authorization = headerOf(request, "Authorization");
  d.challenge = challenge();
  std::string route = kind ? routeKindName(*kind) : "none";
  if (outcome == Outcome::kWrong) {
    d.status = 401;
    d.delay = throttle_.recordFailure(host);
    telemetry_.countAuthFailure(true);
    util::logWarn("authentication failed", {{"remote", std::string(request.remote_address)},
                                            {"credentials", credentialHint(authorization)},
                                            {"route", route},
                                            {"path", std::string(request.path)},
                                            {"delay_ms", std::to_string(d.delay.count())}});
  } else if (identity == kAnonymous) {
    d.status = 401;
    telemetry_.countAuthFailure(false);
  } else {
    d.status = 403;
    telemetry_.countAuthForbidden();
    util::logWarn("request not allowed", {{"remote", std::string(request.remote_address)},
                                          {"identity", identity},
                                          {"route", route},
                                          {"job", std::string(job)},
                                          {"path", std::string(request.path)}});
  }
  return d;
}

bool AuthGate::wait(std::chrono::milliseconds delay) {
  if (delay.count() <= 0) return true;
  if (waiting_.fetch_add(1) >= kMaxWaiting) {
    waiting_.fetch_sub(1);
    return false;
  }
  std::this_thread::sleep_for(delay);  // capped by the config at 10s
  waiting_.fetch_sub(1);
  return true;
}

std::unique_ptr<AuthGate> buildAuthGate(const config::Options& options,
                                        plugin_host::PluginRegistry& registry,
                                        web::WebConfigWatcher* web_config,
                                        telemetry::Telemetry& telemetry) {
  if (!options.auth.configured) return nullptr;
  std::vector<std::unique_ptr<plugin_host::AuthPluginInstance>> plugins;
  std::vector<std::string> cert_plugins;
  for (const auto& ref : options.auth.plugins) {
    plugins.push_back(std::make_unique<plugin_host::AuthPluginInstance>(
        registry.require(FERRY_KIND_AUTH, ref.plugin), ref.config.dump()));
    if (plugins.back()->flags() & FERRY_AUTH_USES_CLIENT_CERT) cert_plugins.push_back(ref.plugin);
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
  return std::make_unique<AuthGate>(options.auth, std::move(plugins), web_config, telemetry);
}

}  // namespace ferry::core::auth
