#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/auth/admission.h"
#include "core/config/options.h"
#include "core/http/front_door.h"
#include "core/http/router.h"
#include "core/http/routes.h"
#include "core/pipeline/pipeline.h"
#include "core/plugin_host/plugin_registry.h"
#include "core/store/exposition.h"
#include "core/store/group_expirer.h"
#include "core/store/store.h"
#include "core/telemetry/telemetry.h"
#include "core/web/web_config_watcher.h"

// Where the server is assembled from the options: the one place that knows which part needs
// which, so main() only parses the flags, assembles and runs.
namespace ferry::core::startup {

// The server's plugin-backed parts, built from the options; declared in the order they depend
// on each other so that destruction runs the right way round. buildComponents fills in all but
// the store side (storage, store, exposition, pipeline), which openStore adds.
struct Components {
  std::shared_ptr<plugin_host::PluginLibrary> storage_library;
  // Created and checked by buildComponents; the pipeline takes them in openStore.
  std::vector<std::unique_ptr<plugin_host::InputPluginInstance>> inputs;
  std::unique_ptr<plugin_host::StoragePluginInstance> storage;
  bool storage_volatile = false;  // FERRY_STORAGE_VOLATILE: the store never writes to it
  std::unique_ptr<telemetry::Telemetry> telemetry;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::Exposition> exposition;
  std::unique_ptr<http::Router> router;
  std::unique_ptr<pipeline::Pipeline> pipeline;
};

// Loads every plugin the options name, creates the input plugins and checks the storage
// plugin's config against its declared keys without creating it: creating a durable storage
// plugin opens and locks its store, which belongs to the Ferry that serves it (so
// --check-config works beside a running Ferry on the same store). Throws PluginError /
// ConfigError.
Components buildComponents(const config::Options& options, plugin_host::PluginRegistry& registry);

// Creates the storage plugin (opening and locking the store), the Store on it, the exposition
// and the pipeline. Throws PluginError when the storage plugin refuses to start.
void openStore(Components& c, const config::Options& options);

// The whole server: components, web config, admission, routes and the front door.
class Server {
 public:
  // Builds and checks every part (plugins, the config, the web config file, auth) without
  // opening the store or binding a port, so --check-config can stop here. Throws
  // PluginError / ConfigError. `quit` is what /-/quit calls; `registry` and `options` must
  // outlive the server.
  Server(const config::Options& options, plugin_host::PluginRegistry& registry,
         std::function<void()> quit);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens the store (openStore), loads the stored groups, expires those whose deadline passed
  // while Ferry was stopped, starts the expirer, binds every listen address and serves.
  void start();
  // Stops serving (requests in flight are answered), stops the expirer, flushes the store.
  void stop();

  // "host:port" actually bound, in listen order (after start()).
  std::vector<std::string> boundAddresses() const;
  bool tlsEnabled() const { return web_config_ && web_config_->tlsEnabled(); }

 private:
  const config::Options& options_;
  plugin_host::PluginRegistry& registry_;
  std::function<void()> quit_;
  Components components_;
  std::unique_ptr<web::WebConfigWatcher> web_config_;
  std::unique_ptr<auth::Admission> admission_;
  std::unique_ptr<store::GroupExpirer> expirer_;
  std::unique_ptr<http::RouteTable> routes_;
  std::unique_ptr<http::FrontDoor> front_door_;
  bool stopped_ = false;
};

}  // namespace ferry::core::startup
