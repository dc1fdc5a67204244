// Ferry: a drop-in replacement for the Prometheus Pushgateway. main() only wires the parts:
// options, logging, plugins, store, pipeline, HTTP server, and the shutdown sequence.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

#include "core/auth/admission.h"
#include "core/config/config.h"
#include "core/http/builtin_routes.h"
#include "core/http/front_door.h"
#include "core/migrate/auto_migrate.h"
#include "core/migrate/import_command.h"
#include "core/net/listener.h"
#include "core/plugin_host/plugin_registry.h"
#include "core/startup/assembly.h"
#include "core/startup/plugin_commands.h"
#include "core/store/group_expirer.h"
#include "core/util/log.h"
#include "core/web/web_config_watcher.h"

namespace ferry::core {
namespace {

// SIGUSR1 is how /-/quit wakes the signal thread: one place handles every shutdown.
constexpr int kQuitSignal = SIGUSR1;

sigset_t shutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, kQuitSignal);
  return set;
}

int serve(const config::Options& options) {
  plugin_host::PluginRegistry registry(
      std::vector<std::filesystem::path>(options.plugin_dirs.begin(), options.plugin_dirs.end()),
      plugin_host::PluginRegistry::defaultDir());
  if (options.list_plugins) return startup::listPlugins(registry, std::cout);
  if (!options.plugin_help.empty()) {
    return startup::printPluginHelp(registry, options.plugin_help, std::cout);
  }
  if (!options.import_file.empty()) return migrate::runImportCommand(options, registry, std::cout);
  if (options.check_config.empty()) migrate::migratePushgatewayFileInPlace(options, registry);
  startup::Components components = startup::buildComponents(options, registry);
  std::unique_ptr<web::WebConfigWatcher> web_config;
  if (!options.web_config_file.empty()) {
    try {
      web_config = std::make_unique<web::WebConfigWatcher>(options.web_config_file);
    } catch (const web::WebConfigError& e) {
      throw config::ConfigError(std::string("--web.config.file: ") + e.what());
    }
  }
  std::unique_ptr<auth::Admission> admission =
      auth::buildAdmission(options, registry, web_config.get(), *components.telemetry);
  if (!options.check_config.empty()) {
    std::cout << "config " << options.check_config << " is valid\n";
    return 0;
  }
  components.store->setLifecycle(options.lifecycle);
  components.store->load();
  // Groups whose deadline passed while Ferry was stopped are expired before anything is served.
  store::GroupExpirer::expireDue(*components.store);
  store::GroupExpirer expirer(*components.store);

  // Go raises the soft limit of open files to the hard limit at start; so does Ferry, so that
  // thousands of connections fit.
  uint64_t open_files = net::raiseOpenFileLimit();

  http::RuntimeSources runtime;
  runtime.options = &options;
  runtime.plugins = registry.loaded();
  runtime.storage = components.storage_volatile ? nullptr : components.storage.get();
  runtime.store = components.store.get();
  runtime.telemetry = components.telemetry.get();
  runtime.start_time_nanos = store::nowNanos();
  runtime.auth_enabled = admission->rightsConfigured();
  http::RouteTable routes = http::builtinRoutes(
      {*components.pipeline, *components.store, *components.exposition, *components.telemetry,
       config::statusFlags(options), runtime.start_time_nanos, options.enable_lifecycle,
       options.enable_admin_api, [] { kill(getpid(), kQuitSignal); }, *admission,
       std::move(runtime)});
  http::FrontDoorOptions door;
  door.listen_addresses = options.listen_addresses;
  door.handler_threads = options.handler_threads;
  door.max_connections = options.max_connections;
  door.web_config = web_config.get();
  door.limits = http::limitsFrom(options);
  http::FrontDoor server(*components.router, routes, *components.telemetry, *admission,
                         std::move(door));
  server.start();
  for (const auto& address : server.boundAddresses()) {
    util::logInfo(
        "listening",
        {{"address", address}, {"tls", web_config && web_config->tlsEnabled() ? "true" : "false"}});
  }
  util::logInfo("ferry started", {{"version", FERRY_VERSION},
                                  {"storage", options.storage.plugin},
                                  {"plugins_dirs", registry.describeDirs()},
                                  {"open_files_limit", std::to_string(open_files)}});

  sigset_t signals = shutdownSignals();
  int received = 0;
  sigwait(&signals, &received);
  if (received != kQuitSignal) {
    util::logInfo(received == SIGINT ? "received SIGINT; exiting gracefully..."
                                     : "received SIGTERM; exiting gracefully...");
  }
  server.stop();
  expirer.stop();
  components.store->flush();
  util::logInfo("HTTP server stopped");
  return 0;
}

}  // namespace
}  // namespace ferry::core

int main(int argc, char** argv) {
  using namespace ferry::core;
  // Block the shutdown signals before any thread exists, so every thread inherits the mask and
  // only sigwait() in serve() receives them.
  sigset_t signals = shutdownSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  try {
    config::Options options;
    auto outcome = config::parseCommandLine(argc, argv, options);
    if (outcome.action == config::ParseOutcome::Action::kExit) {
      std::fputs(outcome.output.c_str(), stdout);
      return outcome.exit_code;
    }
    util::initLogging(options.log_level, options.log_format);
    return serve(options);
  } catch (const config::ConfigError& e) {
    std::cerr << "ferry: error: " << e.what() << (e.usageError() ? ", try --help" : "") << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "ferry: error: " << e.what() << "\n";
    return 1;
  }
}
