#include "core/startup/plugin_commands.h"

namespace ferry::core::startup {

int listPlugins(plugin_host::PluginRegistry& registry, std::ostream& out) {
  auto listing = registry.listAll();
  out << "Plugins in " << registry.dir().string() << ":\n";
  for (const auto& info : listing.loaded) {
    out << "  " << plugin_host::kindName(info.kind) << "\t" << info.name << "\t" << info.version
        << "\tABI " << info.abi_major << "." << info.abi_minor << "\t" << info.description << "\n";
  }
  if (listing.loaded.empty()) out << "  (none)\n";
  if (!listing.refused.empty()) {
    out << "Refused:\n";
    for (const auto& [file, reason] : listing.refused) {
      out << "  " << file.filename().string() << ": " << reason << "\n";
    }
  }
  return listing.refused.empty() ? 0 : 1;
}

int printPluginHelp(plugin_host::PluginRegistry& registry, const std::string& name,
                    std::ostream& out) {
  std::string errors;
  for (ferry_plugin_kind kind : {FERRY_KIND_INPUT, FERRY_KIND_STORAGE, FERRY_KIND_AUTH}) {
    try {
      auto lib = registry.require(kind, name);
      const auto& info = lib->info();
      out << info.name << " (" << plugin_host::kindName(info.kind) << " plugin, version "
          << info.version << ", ABI " << info.abi_major << "." << info.abi_minor << ")\n"
          << info.description << "\n\nDefault config:\n"
          << info.default_config << "\n";
      return 0;
    } catch (const plugin_host::PluginError& e) {
      std::string message = e.what();
      // "no ... plugin named" is expected for the kinds it is not; keep real failures.
      if (message.rfind("no ", 0) != 0 && message.find("is an") == std::string::npos) {
        errors += message + "\n";
      }
    }
  }
  if (errors.empty())
    errors = "no plugin named \"" + name + "\" in " + registry.dir().string() + "\n";
  out << errors;
  return 1;
}

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
  router_options.route_prefix =
      http::effectiveRoutePrefix(options.route_prefix, options.external_url);
  router_options.telemetry_path = options.telemetry_path;
  router_options.enable_admin_api = options.enable_admin_api;
  c.router = std::make_unique<http::Router>(router_options);
  pipeline::PipelineOptions pipeline_options;
  pipeline_options.consistency_check = !options.disable_consistency_check;
  c.pipeline = std::make_unique<pipeline::Pipeline>(std::move(inputs), *c.store, pipeline_options);
  return c;
}

}  // namespace ferry::core::startup
