#pragma once

#include <ostream>

#include "core/config/options.h"
#include "core/plugin_host/plugin_registry.h"

namespace ferry::core::migrate {

// `ferry import-pushgateway FILE`: imports options.import_file into the configured storage
// (--persistence.file or the config file's "storage") and prints how many groups and series it
// imported and which stored groups it replaced. Refuses the memory storage, which would keep
// nothing. Returns the exit code; throws ConfigError / PluginError / std::runtime_error with a
// message for the user.
int runImportCommand(const config::Options& options, plugin_host::PluginRegistry& registry,
                     std::ostream& out);

}  // namespace ferry::core::migrate
