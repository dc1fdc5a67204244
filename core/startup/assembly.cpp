#include "core/startup/assembly.h"

#include "core/config/external_url.h"

namespace ferry::core::startup {

Components buildComponents(const config::Options& options, plugin_host::PluginRegistry& registry) {
  Components c;
  std::vector<std::unique_ptr<plugin_host::InputPluginInstance>> inputs;
  for (const auto& ref : options.inputs) {
    inputs.push_back(std::make_unique<plugin_host::InputPluginInstance>(
        registry.require(FERRY_KIND_INPUT, ref.plugin), ref.config.dump()));
  }
  auto storage_library = registry.require(FERRY_KIND_STORAGE, options.storage.plugin);
  c.storage = std::make_unique<plugin_host::StoragePluginInstance>(storage_library,
                                                                   options.storage.config.dump());
  c.telemetry = std::make_unique<telemetry::Telemetry>();
  // The store reads its storage only at start. A volatile store ("memory") starts empty and
  // keeps nothing across restarts: writing to it would only hold a second, serialized copy of
  // every group (about 15% of the memory with 100k series) and encode every pushed group for
  // nothing, so the store runs without storage. The plugin is still created, so its config is
  // still checked.
  bool volatile_storage = storage_library->storageFlags() & FERRY_STORAGE_VOLATILE;
  c.storage_volatile = volatile_storage;
  c.store = std::make_unique<store::Store>(volatile_storage ? nullptr : c.storage.get(),
                                           telemetry::Telemetry::ownTypes());
  c.exposition = std::make_unique<store::Exposition>(*c.store);
  http::RouterOptions router_options;
  router_options.route_prefix = config::routePrefix(options);
  router_options.telemetry_path = options.telemetry_path;
  router_options.enable_admin_api = options.enable_admin_api;
  router_options.enable_selector_delete = options.enable_admin_api || options.auth.configured;
  c.router = std::make_unique<http::Router>(router_options);
  pipeline::PipelineOptions pipeline_options;
  pipeline_options.consistency_check = !options.disable_consistency_check;
  c.pipeline = std::make_unique<pipeline::Pipeline>(std::move(inputs), *c.store, pipeline_options);
  return c;
}

}  // namespace ferry::core::startup
