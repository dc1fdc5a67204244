#pragma once

#include <memory>

#include "core/config/options.h"
#include "core/http/router.h"
#include "core/pipeline/pipeline.h"
#include "core/plugin_host/plugin_registry.h"
#include "core/store/exposition.h"
#include "core/store/store.h"
#include "core/telemetry/telemetry.h"

// Where the server's parts are built from the options: the one place that knows which part
// needs which, so main() only parses, builds and serves.
namespace ferry::core::startup {

// The server's parts, built from the options; declared in the order they depend on each other
// so that destruction runs the right way round.
struct Components {
  std::unique_ptr<plugin_host::StoragePluginInstance> storage;
  bool storage_volatile = false;  // FERRY_STORAGE_VOLATILE: the store never writes to it
  std::unique_ptr<telemetry::Telemetry> telemetry;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::Exposition> exposition;
  std::unique_ptr<http::Router> router;
  std::unique_ptr<pipeline::Pipeline> pipeline;
};

// Loads and configures every plugin the options name; throws PluginError / ConfigError.
Components buildComponents(const config::Options& options, plugin_host::PluginRegistry& registry);

}  // namespace ferry::core::startup
