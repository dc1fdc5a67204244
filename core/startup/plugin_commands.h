#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "core/config/options.h"
#include "core/http/router.h"
#include "core/pipeline/pipeline.h"
#include "core/plugin_host/plugin_registry.h"
#include "core/store/exposition.h"
#include "core/store/store.h"
#include "core/telemetry/telemetry.h"

namespace ferry::core::startup {

// --list-plugins: every plugin in the directory, and why any file was refused. Returns the
// exit code (1 if something was refused).
int listPlugins(plugin_host::PluginRegistry& registry, std::ostream& out);

// --plugin-help NAME: what the plugin is and the configuration it uses by default.
int printPluginHelp(plugin_host::PluginRegistry& registry, const std::string& name,
                    std::ostream& out);

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
