#include "core/startup/assembly.h"

#include "core/config/external_url.h"
#include "core/config/status_flags.h"
#include "core/http/builtin_routes.h"
#include "core/net/listener.h"
#include "core/util/log.h"

namespace ferry::core::startup {

Components buildComponents(const config::Options& options, plugin_host::PluginRegistry& registry) {
  Components c;
  for (const auto& ref : options.inputs) {
    c.inputs.push_back(std::make_unique<plugin_host::InputPluginInstance>(
        registry.require(FERRY_KIND_INPUT, ref.plugin), ref.config.dump()));
  }
  c.storage_library = registry.require(FERRY_KIND_STORAGE, options.storage.plugin);
  plugin_host::checkDeclaredConfig(*c.storage_library, options.storage.config.dump());
  c.telemetry = std::make_unique<telemetry::Telemetry>();
  http::RouterOptions router_options;
  router_options.route_prefix = config::routePrefix(options);
  router_options.telemetry_path = options.telemetry_path;
  router_options.enable_admin_api = options.enable_admin_api;
  router_options.enable_selector_delete = options.enable_admin_api || options.auth.configured;
  c.router = std::make_unique<http::Router>(router_options);
  return c;
}

void openStore(Components& c, const config::Options& options) {
  c.storage = std::make_unique<plugin_host::StoragePluginInstance>(c.storage_library,
                                                                   options.storage.config.dump());
  // The store reads its storage only at start. A volatile store ("memory") starts empty and
  // keeps nothing across restarts: writing to it would only hold a second, serialized copy of
  // every group (about 15% of the memory with 100k series) and encode every pushed group for
  // nothing, so the store runs without storage. The plugin is still created, so its config is
  // still checked.
  bool volatile_storage = c.storage_library->storageFlags() & FERRY_STORAGE_VOLATILE;
  c.storage_volatile = volatile_storage;
  c.store = std::make_unique<store::Store>(volatile_storage ? nullptr : c.storage.get(),
                                           telemetry::Telemetry::ownTypes());
  if (c.store->sharedStatus()) c.telemetry->watchSharedStore(c.store->sharedStatus());
  c.exposition = std::make_unique<store::Exposition>(*c.store);
  pipeline::PipelineOptions pipeline_options;
  pipeline_options.consistency_check = !options.disable_consistency_check;
  c.pipeline =
      std::make_unique<pipeline::Pipeline>(std::move(c.inputs), *c.store, pipeline_options);
}

Server::Server(const config::Options& options, plugin_host::PluginRegistry& registry,
               std::function<void()> quit)
    : options_(options), registry_(registry), quit_(std::move(quit)) {
  components_ = buildComponents(options, registry);
  if (!options.web_config_file.empty()) {
    try {
      web_config_ = std::make_unique<web::WebConfigWatcher>(options.web_config_file);
    } catch (const web::WebConfigError& e) {
      throw config::ConfigError(std::string("--web.config.file: ") + e.what());
    }
  }
  admission_ = auth::buildAdmission(options, registry, web_config_.get(), *components_.telemetry);
}

Server::~Server() { stop(); }

void Server::start() {
  openStore(components_, options_);
  store::Store& store = *components_.store;
  store.setLifecycle(options_.lifecycle);
  store.load();
  // Groups whose deadline passed while Ferry was stopped are expired before anything is served.
  store::GroupExpirer::expireDue(store, store::nowNanos());
  expirer_ = std::make_unique<store::GroupExpirer>(store);

  // Go raises the soft limit of open files to the hard limit at start; so does Ferry, so that
  // thousands of connections fit.
  const uint64_t open_files = net::raiseOpenFileLimit();

  http::RuntimeSources runtime;
  runtime.options = &options_;
  runtime.plugins = registry_.loaded();
  runtime.storage = components_.storage_volatile ? nullptr : components_.storage.get();
  runtime.store = &store;
  runtime.telemetry = components_.telemetry.get();
  runtime.start_time_nanos = store::nowNanos();
  runtime.auth_enabled = admission_->rightsConfigured();
  routes_ = std::make_unique<http::RouteTable>(http::builtinRoutes(
      {*components_.pipeline, store, *components_.exposition, *components_.telemetry,
       config::statusFlags(options_), runtime.start_time_nanos, options_.enable_lifecycle,
       options_.enable_admin_api, quit_, *admission_, std::move(runtime)}));

  http::FrontDoorOptions door;
  door.listen_addresses = options_.listen_addresses;
  door.handler_threads = options_.handler_threads;
  door.max_connections = options_.max_connections;
  door.web_config = web_config_.get();
  door.limits = http::limitsFrom(options_);
  front_door_ = std::make_unique<http::FrontDoor>(
      *components_.router, *routes_, *components_.telemetry, *admission_, std::move(door));
  front_door_->start();
  const char* tls = tlsEnabled() ? "true" : "false";
  for (const auto& address : front_door_->boundAddresses()) {
    util::logInfo("listening", {{"address", address}, {"tls", tls}});
  }
  util::logInfo("ferry started", {{"version", FERRY_VERSION},
                                  {"storage", options_.storage.plugin},
                                  {"plugins_dirs", registry_.describeDirs()},
                                  {"open_files_limit", std::to_string(open_files)}});
}

void Server::stop() {
  if (!front_door_ || stopped_) return;
  stopped_ = true;
  front_door_->stop();
  expirer_->stop();
  components_.store->flush();
  util::logInfo("HTTP server stopped");
}

std::vector<std::string> Server::boundAddresses() const {
  return front_door_ ? front_door_->boundAddresses() : std::vector<std::string>{};
}

}  // namespace ferry::core::startup
