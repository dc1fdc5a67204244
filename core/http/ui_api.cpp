#include "core/http/ui_api.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "core/config/version.h"
#include "core/expo/json_api.h"
#include "core/http/api_handlers.h"

namespace ferry::core::http {
namespace {

using nlohmann::json;
namespace pb = io::prometheus::client;

// Own families worth showing on the Status tab, with every series.
constexpr const char* kShownFamilies[] = {
    "ferry_groups_expired_total",
    "ferry_http_auth_failures_total",
    "ferry_push_rejected_total",
    "process_cpu_seconds_total",
    "process_open_fds",
    "process_max_fds",
    "process_resident_memory_bytes",
    "process_virtual_memory_bytes",
};

int64_t nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The contract's time pair: RFC 3339 text and Unix seconds, or both null for "never".
void putTime(json& object, const std::string& key, int64_t nanos) {
  if (nanos <= 0) {
    object[key] = nullptr;
    object[key + "_unix"] = nullptr;
    return;
  }
  object[key] = expo::formatRfc3339Nano(nanos);
  object[key + "_unix"] = static_cast<double>(nanos) / 1e9;
}

// "password", "redis_password", "apiToken", "client_secret", "private_key": yes;
// "key_prefix", "path": no.
bool namesSecret(std::string_view key) {
  std::string lower;
  std::string last_word;
  for (size_t i = 0; i < key.size(); ++i) {
    const auto c = static_cast<unsigned char>(key[i]);
    const bool word_start =
        std::isupper(c) && i > 0 && std::islower(static_cast<unsigned char>(key[i - 1]));
    if (!std::isalnum(c) || word_start) last_word.clear();
    if (std::isalnum(c)) last_word.push_back(static_cast<char>(std::tolower(c)));
    lower.push_back(static_cast<char>(std::tolower(c)));
  }
  for (const char* word : {"pass", "secret", "token", "credential", "auth", "private"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return last_word == "key" || last_word == "apikey";
}

// "scheme://user:password@host..." -> "scheme://user:<hidden>@host...".
std::string withoutUrlPassword(const std::string& text) {
  const size_t scheme = text.find("://");
  if (scheme == std::string::npos) return text;
  const size_t authority = scheme + 3;
  const size_t end = text.find_first_of("/?#", authority);
  const size_t at = text.rfind('@', end == std::string::npos ? text.size() : end);
  if (at == std::string::npos || at < authority) return text;
  const size_t colon = text.find(':', authority);
  if (colon == std::string::npos || colon > at) return text;
  return text.substr(0, colon + 1) + "<hidden>" + text.substr(at);
}

double sampleValue(const pb::Metric& metric) {
  if (metric.has_counter()) return metric.counter().value();
  if (metric.has_gauge()) return metric.gauge().value();
  if (metric.has_untyped()) return metric.untyped().value();
  return 0;
}

json ownMetrics(const RuntimeSources& context, uint64_t& rejected_pushes) {
  json out = json::array();
  rejected_pushes = 0;
  if (context.telemetry == nullptr || context.store == nullptr) return out;
  for (const auto& family :
       context.telemetry->families(context.store->groupCount(), context.store->seriesCount(),
                                   context.store->expiredTotal())) {
    if (family.name() == "pushgateway_http_requests_total") {
      // Until a dedicated counter exists: every push answered with an error.
      for (const auto& metric : family.metric()) {
        std::string code, handler;
        for (const auto& label : metric.label()) {
          if (label.name() == "code") code = label.value();
          if (label.name() == "handler") handler = label.value();
        }
        if (handler == "push" && code.size() == 3 && code[0] >= '4') {
          rejected_pushes += static_cast<uint64_t>(sampleValue(metric));
        }
      }
      continue;
    }
    if (std::find(std::begin(kShownFamilies), std::end(kShownFamilies), family.name()) ==
        std::end(kShownFamilies)) {
      continue;
    }
    for (const auto& metric : family.metric()) {
      json labels = json::object();
      for (const auto& label : metric.label()) labels[label.name()] = label.value();
      out.push_back({{"name", family.name()},
                     {"help", family.help()},
                     {"labels", labels},
                     {"value", sampleValue(metric)}});
    }
  }
  return out;
}

json pluginJson(const plugin_host::PluginInfo& info) {
  return {{"kind", plugin_host::kindName(info.kind)},
          {"name", info.name},
          {"version", info.version},
          {"description", info.description},
          {"abi", std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor)},
          {"file", info.path.string()}};
}

json storageJson(const RuntimeSources& context) {
  json out = json::object();
  const config::Options* options = context.options;
  out["plugin"] = options ? json(options->storage.plugin) : json(nullptr);
  out["config"] = options ? redactedConfig(options->storage.config) : json::object();
  if (context.storage == nullptr) {
    out["writes"] = nullptr;
    return out;
  }
  const plugin_host::StorageHealth health = context.storage->health();
  out["writes"] = health.writes;
  out["failures"] = health.failures;
  putTime(out, "last_success", health.last_success_nanos);
  putTime(out, "last_failure", health.last_failure_nanos);
  out["last_error"] = health.last_error.empty() ? json(nullptr) : json(health.last_error);
  out["healthy"] = health.last_failure_nanos <= health.last_success_nanos;
  return out;
}

json authJson(const RuntimeSources& context) {
  json out = {{"enabled", context.auth_enabled}};
  const config::Options* options = context.options;
  if (!context.auth_enabled || options == nullptr) return out;
  json plugins = json::array();
  for (const auto& ref : options->auth.plugins) plugins.push_back(ref.plugin);
  out["plugins"] = plugins;
  out["identities"] = options->auth.rights.size();
  out["protect_health"] = options->auth.protect_health;
  return out;
}

}  // namespace

std::string apiSuccess(const json& data) {
  return json({{"status", "success"}, {"data", data}})
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

json redactedConfig(const json& config) {
  if (config.is_object()) {
    json out = json::object();
    for (const auto& [key, value] : config.items()) {
      out[key] = namesSecret(key) && !value.is_boolean() ? json("<hidden>") : redactedConfig(value);
    }
    return out;
  }
  if (config.is_array()) {
    json out = json::array();
    for (const auto& value : config) out.push_back(redactedConfig(value));
    return out;
  }
  if (config.is_string()) return withoutUrlPassword(config.get<std::string>());
  return config;
}

json rightsData(const auth::Rights* rights, bool enable_admin_api,
                const std::optional<std::string>& identity) {
  json can = json::object();
  if (rights == nullptr) {
    can["delete_group"] = true;
    can["delete_jobs"] = json::array({"*"});
    // DELETE /api/v1/groups?match[]= is routed with the admin API (or "auth").
    can["delete_selector"] = enable_admin_api;
    can["wipe"] = enable_admin_api;
  } else {
    const std::string who = identity.value_or("anonymous");
    const auto& jobs = rights->patterns(who, auth::RouteKind::kDelete);
    const bool all = std::find(jobs.begin(), jobs.end(), "*") != jobs.end();
    can["delete_group"] = jobs.empty() ? json(false) : all ? json(true) : json("some");
    can["delete_jobs"] = jobs;
    // Routed whenever "auth" is configured; the server then checks the delete right on the
    // job of every matched group, so a right on some job is what makes it worth offering.
    can["delete_selector"] = !jobs.empty();
    can["wipe"] = enable_admin_api && rights->allows(who, auth::RouteKind::kAdmin);
  }
  return {{"identity", identity ? json(*identity) : json(nullptr)},
          {"auth", rights != nullptr},
          {"can", can}};
}

json runtimeData(const RuntimeSources& context) {
  const config::BuildInfo& b = config::buildInfo();
  json out = json::object();
  out["build"] = {{"version", b.version},       {"revision", b.revision},
                  {"branch", b.branch},         {"build_user", b.build_user},
                  {"build_date", b.build_date}, {"compiler", b.compiler},
                  {"platform", b.platform}};
  const int64_t now = nowNanos();
  putTime(out, "start_time", context.start_time_nanos);
  putTime(out, "now", now);
  out["uptime_seconds"] = static_cast<double>(now - context.start_time_nanos) / 1e9;
  const config::Options* options = context.options;
  out["config_file"] =
      options && !options->config_file.empty() ? json(options->config_file) : json(nullptr);
  json inputs = json::array();
  if (options) {
    for (const auto& ref : options->inputs) inputs.push_back(ref.plugin);
  }
  out["inputs"] = inputs;
  json plugins = json::array();
  for (const auto& info : context.plugins) plugins.push_back(pluginJson(info));
  out["plugins"] = plugins;
  out["storage"] = storageJson(context);
  out["auth"] = authJson(context);
  out["store"] = {{"groups", context.store ? context.store->groupCount() : 0},
                  {"series", context.store ? context.store->seriesCount() : 0},
                  {"bytes", context.store ? context.store->storedBytes() : 0}};
  uint64_t rejected = 0;
  out["metrics"] = ownMetrics(context, rejected);
  out["pushes_rejected"] = rejected;
  return out;
}

void ApiRightsHandler::operator()(const Request& request, Response& response) const {
  setApiHeaders(response);
  response.send(200,
                apiSuccess(rightsData(admission_.rights(), enable_admin_api_, request.identity)),
                "application/json");
}

void ApiRuntimeHandler::operator()(const Request&, Response& response) const {
  setApiHeaders(response);
  response.send(200, apiSuccess(runtimeData(sources_)), "application/json");
}

}  // namespace ferry::core::http
