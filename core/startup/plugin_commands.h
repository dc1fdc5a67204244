#pragma once

#include <ostream>
#include <string>

#include "core/plugin_host/plugin_registry.h"

// The commands that inspect plugins and exit instead of serving (--list-plugins, --plugin-help).
// The server's parts are built in assembly.h; import-pushgateway lives with the migration code.
namespace ferry::core::startup {

// --list-plugins: every plugin in the directory, and why any file was refused. Returns the
// exit code (1 if something was refused).
int listPlugins(plugin_host::PluginRegistry& registry, std::ostream& out);

// --plugin-help NAME: what the plugin is and the configuration it uses by default.
int printPluginHelp(plugin_host::PluginRegistry& registry, const std::string& name,
                    std::ostream& out);

}  // namespace ferry::core::startup
