#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/auth/auth_gate.h"
#include "core/config/options.h"
#include "core/http/router.h"
#include "core/pipeline/pipeline.h"
#include "core/plugin_host/plugin_instance.h"
#include "core/store/exposition.h"
#include "core/store/store.h"
#include "core/telemetry/telemetry.h"
#include "core/web/web_config_watcher.h"

namespace ferry::core::http {

// Everything a request handler needs; owned by main, shared by all HTTP threads.
struct AppContext {
  const Router& router;
  pipeline::Pipeline& pipeline;
  store::Store& store;
  store::Exposition& exposition;
  telemetry::Telemetry& telemetry;
  std::map<std::string, std::string> status_flags;  // /api/v1/status "flags"
  int64_t start_time_nanos = 0;
  size_t max_body_bytes = 0;  // 0 = unlimited
  bool enable_lifecycle = false;
  std::function<void()> request_shutdown;  // /-/quit
  // --web.config.file (headers, basic_auth_users), or null. Must outlive the server.
  web::WebConfigWatcher* web_config = nullptr;
  // The config's "auth" (identities and rights), or null: then only the web config's
  // basic_auth_users apply, as in Pushgateway. Must outlive the server.
  auth::AuthGate* auth = nullptr;
  // For GET /api/v1/runtime (the UI's Status tab): the options the server runs with, every
  // plugin loaded, and the storage instance whose health it reports (null: none, or a volatile
  // one the store never writes to).
  const config::Options* options = nullptr;
  std::vector<plugin_host::PluginInfo> plugins;
  const plugin_host::StoragePluginInstance* storage = nullptr;
};

}  // namespace ferry::core::http
