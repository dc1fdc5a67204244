#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/plugin_host/plugin_library.h"

namespace ferry::core::plugin_host {

// Finds plugins in a directory. A plugin of kind K named N lives in the file "K-N.so"; only the
// plugins a config names are loaded, so a broken unrelated file in the directory cannot stop
// Ferry. listAll() loads everything, for --list-plugins.
class PluginRegistry {
 public:
  explicit PluginRegistry(std::filesystem::path dir);

  const std::filesystem::path& dir() const { return dir_; }

  // Loads (once) and returns the plugin; throws PluginError naming the file and the reason
  // (missing file, wrong kind, refused descriptor).
  std::shared_ptr<PluginLibrary> require(ferry_plugin_kind kind, const std::string& name);

  struct Listing {
    std::vector<PluginInfo> loaded;
    std::vector<std::pair<std::filesystem::path, std::string>> refused;  // file, reason
  };
  Listing listAll();

  // Every plugin loaded so far (with require()), by file name.
  std::vector<PluginInfo> loaded();

  // The default directory: <dir of the running executable>/../<install plugin dir>.
  static std::filesystem::path defaultDir();

 private:
  std::filesystem::path dir_;
  std::mutex mu_;
  std::map<std::filesystem::path, std::shared_ptr<PluginLibrary>> loaded_;
};

}  // namespace ferry::core::plugin_host
