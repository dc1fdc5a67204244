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

}  // namespace ferry::core::startup
