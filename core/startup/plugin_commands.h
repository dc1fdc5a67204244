#pragma once

#include <ostream>
#include <string>

#include "core/plugin_host/plugin_registry.h"

// The commands that inspect plugins and exit instead of serving (--list-plugins, --plugin-help).
// The server's parts are built in assembly.h; import-pushgateway lives with the migration code.
namespace ferry::core::startup {

// --list-plugins: every plugin in each folder of the search path (plugins.dir's folders, then
// Ferry's own), and why any file there is not a plugin. Returns the exit code (1 if a file was
// refused or a folder could not be read).
int listPlugins(plugin_host::PluginRegistry& registry, std::ostream& out);

// --plugin-help NAME: what the plugin is, every config key it declares (type, default or
// required, description) and a sample Ferry config that works as printed.
int printPluginHelp(plugin_host::PluginRegistry& registry, const std::string& name,
                    std::ostream& out);

}  // namespace ferry::core::startup
