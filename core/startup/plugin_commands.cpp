#include "core/startup/plugin_commands.h"

#include <nlohmann/json.hpp>

namespace ferry::core::startup {
namespace {

using nlohmann::json;

void listFolder(const plugin_host::PluginRegistry::Folder& folder, std::ostream& out) {
  out << "Plugins in " << folder.dir.string()
      << (folder.own ? " (Ferry's own):\n" : " (plugins.dir):\n");
  if (!folder.error.empty()) {
    out << "  " << folder.error << "\n";
    return;
  }
  if (folder.entries.empty()) out << "  (empty)\n";
  for (const auto& entry : folder.entries) {
    if (entry.plugin) {
      const auto& info = *entry.plugin;
      out << "  " << plugin_host::kindName(info.kind) << "\t" << info.name << "\t" << info.version
          << "\tABI " << info.abi_major << "." << info.abi_minor << "\t" << info.description
          << "\n";
    } else {
      out << "  " << entry.path.filename().string() << ": " << entry.problem << "\n";
    }
  }
}

// The sample of a Ferry config file that uses the plugin with `config`: as printed, it starts
// Ferry (the folder the plugin was found in is named when it is not Ferry's own).
json sampleFerryConfig(const plugin_host::PluginInfo& info, const json& config, bool own_folder) {
  json sample = json::object();
  if (!own_folder) sample["plugins"] = {{"dir", info.path.parent_path().string()}};
  json ref = {{"plugin", info.name}, {"config", config}};
  switch (info.kind) {
    case FERRY_KIND_INPUT: {
      // The defaults, protobuf then text (which accepts every Content-Type, so it comes last),
      // with this plugin in front of them or in its own place.
      json inputs = json::array();
      if (info.name != "protobuf" && info.name != "text") inputs.push_back(ref);
      inputs.push_back(info.name == "protobuf" ? ref : json{{"plugin", "protobuf"}});
      inputs.push_back(info.name == "text" ? ref : json{{"plugin", "text"}});
      sample["inputs"] = inputs;
      break;
    }
    case FERRY_KIND_STORAGE:
      sample["storage"] = ref;
      break;
    case FERRY_KIND_AUTH:
      sample["auth"] = {{"plugins", json::array({ref})}};
      break;
  }
  return sample;
}

void printKeys(const sdk::detail::KeySpecs& keys, std::ostream& out) {
  if (keys.empty()) {
    out << "Config keys: none (the config must be {} or absent)\n";
    return;
  }
  out << "Config keys:\n";
  for (const auto& key : keys) {
    out << "  " << key.name << "  (" << sdk::detail::typeNames(key.types);
    if (!key.choices.empty()) {
      out << ": ";
      for (size_t i = 0; i < key.choices.size(); ++i) {
        out << (i == 0 ? "" : i + 1 == key.choices.size() ? " or " : ", ") << key.choices[i].dump();
      }
    }
    if (key.required()) {
      out << ", required, e.g. " << key.example.dump();
    } else {
      out << ", default " << key.default_value->dump();
    }
    out << ")\n      " << key.description << "\n";
  }
}

}  // namespace

int listPlugins(plugin_host::PluginRegistry& registry, std::ostream& out) {
  bool refused = false;
  for (const auto& folder : registry.listAll()) {
    listFolder(folder, out);
    refused = refused || !folder.error.empty();
    for (const auto& entry : folder.entries) refused = refused || entry.refused;
  }
  return refused ? 1 : 0;
}

int printPluginHelp(plugin_host::PluginRegistry& registry, const std::string& name,
                    std::ostream& out) {
  std::string errors;
  for (ferry_plugin_kind kind : {FERRY_KIND_INPUT, FERRY_KIND_STORAGE, FERRY_KIND_AUTH}) {
    std::shared_ptr<plugin_host::PluginLibrary> lib;
    try {
      lib = registry.require(kind, name);
    } catch (const plugin_host::PluginError& e) {
      std::string message = e.what();
      // "no ... plugin named" is expected for the kinds it is not; keep real failures.
      if (message.rfind("no ", 0) != 0 && message.find("is an") == std::string::npos) {
        errors += message + "\n";
      }
      continue;
    }
    const auto& info = lib->info();
    const bool own = info.path.parent_path() == registry.dirs().back();
    out << info.name << " (" << plugin_host::kindName(info.kind) << " plugin, version "
        << info.version << ", ABI " << info.abi_major << "." << info.abi_minor << ", "
        << info.path.string() << ")\n"
        << info.description << "\n\n";
    json config;
    if (info.config_keys) {
      printKeys(*info.config_keys, out);
      config = sdk::detail::sampleConfig(*info.config_keys);
    } else {
      out << "This plugin does not declare its config keys (it was built for ABI " << info.abi_major
          << "." << info.abi_minor
          << " or without a declaration); the config it uses when given none:\n"
          << info.default_config << "\n";
      config = json::parse(info.default_config, nullptr, false);
      if (config.is_discarded() || !config.is_object()) config = json::object();
    }
    if (info.kind == FERRY_KIND_AUTH && (lib->authFlags() & FERRY_AUTH_USES_CLIENT_CERT)) {
      // Ferry refuses to start such a plugin over plain HTTP, so the sample alone cannot work.
      out << "\nIts identities come from verified TLS client certificates: Ferry starts with it "
             "only with --web.config.file naming a tls_server_config whose client_auth_type is "
             "RequireAndVerifyClientCert or VerifyClientCertIfGiven, with client_ca_file.\n";
    }
    out << "\nSample config (save it as a file and run ferry --config.file=FILE):\n"
        << sampleFerryConfig(info, config, own).dump(2) << "\n";
    return 0;
  }
  if (errors.empty()) {
    errors =
        "no plugin named \"" + name + "\" in the plugins dirs " + registry.describeDirs() + "\n";
  }
  out << errors;
  return 1;
}

}  // namespace ferry::core::startup
