// Ferry: a drop-in replacement for the Prometheus Pushgateway. main() parses the flags, runs a
// command or assembles the server (core/startup/assembly.h), and waits for the signal to stop.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "core/config/config.h"
#include "core/migrate/auto_migrate.h"
#include "core/migrate/import_command.h"
#include "core/plugin_host/plugin_registry.h"
#include "core/startup/assembly.h"
#include "core/startup/plugin_commands.h"
#include "core/util/log.h"
#include "core/util/memory_trimmer.h"

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
  // --check-config stops once every part is built and checked, before the store is opened (and
  // locked: the store may belong to a running Ferry).
  startup::Server server(options, registry, [] { kill(getpid(), kQuitSignal); });
  if (!options.check_config.empty()) {
    std::cout << "config " << options.check_config << " is valid\n";
    return 0;
  }
  server.start();

  sigset_t signals = shutdownSignals();
  int received = 0;
  sigwait(&signals, &received);
  if (received != kQuitSignal) {
    util::logInfo(received == SIGINT ? "received SIGINT; exiting gracefully..."
                                     : "received SIGTERM; exiting gracefully...");
  }
  server.stop();
  return 0;
}

}  // namespace
}  // namespace ferry::core

int main(int argc, char** argv) {
  using namespace ferry::core;
  // Before any thread or large allocation: what the store frees can then be given back
  // (core/util/memory_trimmer.h says why).
  util::pinAllocatorThresholds();
  // Block the shutdown signals before any thread exists, so every thread inherits the mask and
  // only sigwait() in serve() receives them.
  sigset_t signals = shutdownSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  // A write past the file-size limit (RLIMIT_FSIZE) must fail with EFBIG, so the storage plugin
  // refuses the push and keeps the old store, instead of the default action killing Ferry.
  signal(SIGXFSZ, SIG_IGN);
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
