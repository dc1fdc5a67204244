#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/auth/admission.h"
#include "core/config/options.h"
#include "core/http/request.h"
#include "core/http/response.h"
#include "core/plugin_host/plugin_instance.h"
#include "core/store/store.h"
#include "core/telemetry/telemetry.h"

// The two API endpoints the web UI adds beside the Pushgateway's (docs/web-ui.md):
//   GET P/api/v1/rights   what the caller may do, so the page shows only the buttons that work
//   GET P/api/v1/runtime  what the server is and how it is doing (the Status tab)
// Both answer {"status":"success","data":...} as the Pushgateway's /api/v1 does.
namespace ferry::core::http {

// `rights`: the config's "auth" rights, or null without "auth" (then the Pushgateway's rules
// apply: whoever reaches the page may delete). `identity`: who the request is ("user:ci",
// "anonymous"), or nullopt when nothing identified it.
nlohmann::json rightsData(const auth::Rights* rights, bool enable_admin_api,
                          const std::optional<std::string>& identity);

// What GET /api/v1/runtime reports on.
struct RuntimeSources {
  const config::Options* options = nullptr;      // the options the server runs with
  std::vector<plugin_host::PluginInfo> plugins;  // every plugin loaded
  // The storage instance whose health it reports (null: none, or a volatile one the store
  // never writes to).
  const plugin_host::StoragePluginInstance* storage = nullptr;
  const store::Store* store = nullptr;
  telemetry::Telemetry* telemetry = nullptr;
  int64_t start_time_nanos = 0;
  bool auth_enabled = false;  // the config has "auth"
};

nlohmann::json runtimeData(const RuntimeSources& sources);

// GET P/api/v1/rights: what the request's identity may do (admission sets it).
class ApiRightsHandler {
 public:
  ApiRightsHandler(const auth::Admission& admission, bool enable_admin_api)
      : admission_(admission), enable_admin_api_(enable_admin_api) {}
  void operator()(const Request& request, Response& response) const;

 private:
  const auth::Admission& admission_;
  bool enable_admin_api_;
};

// GET P/api/v1/runtime.
class ApiRuntimeHandler {
 public:
  explicit ApiRuntimeHandler(RuntimeSources sources) : sources_(std::move(sources)) {}
  void operator()(const Request& request, Response& response) const;

 private:
  RuntimeSources sources_;
};

// A copy of a plugin's JSON config fit to show: the value of every key that names a secret
// (password, secret, token, key, credential, auth...) is replaced by "<hidden>", and so is the
// password of any URL ("redis://user:pw@host" -> "redis://user:<hidden>@host").
nlohmann::json redactedConfig(const nlohmann::json& config);

// {"status":"success","data":data} as a string (invalid UTF-8 replaced, never thrown on).
std::string apiSuccess(const nlohmann::json& data);

}  // namespace ferry::core::http
