#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/plugin_host/plugin_library.h"

namespace ferry::core::plugin_host {

// Finds plugins along a search path: the folders given (plugins.dir / --plugins.dir), in
// order, then Ferry's own folder. A plugin of kind K named N is the file "K-N.so" in the first
// folder that has it, so a folder given first may replace one of Ferry's own plugins. Only the
// plugins a config names are loaded, so a broken unrelated file cannot stop Ferry. listAll()
// looks at everything, for --list-plugins.
class PluginRegistry {
 public:
  // `extra_dirs` come first (relative paths are made absolute, repeats dropped), then
  // `own_dir` (normally defaultDir()), always last.
  PluginRegistry(const std::vector<std::filesystem::path>& extra_dirs,
                 std::filesystem::path own_dir);
  // Only `own_dir` (tests and tools that look at one folder).
  explicit PluginRegistry(std::filesystem::path own_dir) : PluginRegistry({}, std::move(own_dir)) {}

  // The search path, in order; the last entry is Ferry's own folder.
  const std::vector<std::filesystem::path>& dirs() const { return dirs_; }
  // The search path as one string for messages: "/a, /b (Ferry's own)".
  std::string describeDirs() const;

  // Loads (once) and returns the plugin; throws PluginError naming the file and the reason
  // (a configured folder that does not exist, no such file in any folder, wrong kind, refused
  // descriptor).
  std::shared_ptr<PluginLibrary> require(ferry_plugin_kind kind, const std::string& name);

  // One file (or directory entry) of a plugin folder, as --list-plugins shows it.
  struct Entry {
    std::filesystem::path path;
    std::optional<PluginInfo> plugin;  // set when the file is a plugin that loads
    std::string problem;               // why it is not (or not used as) a plugin; "" if it is
    // A file named like a plugin that does not load (another file is merely listed).
    bool refused = false;
  };
  struct Folder {
    std::filesystem::path dir;
    bool own = false;   // Ferry's own folder
    std::string error;  // the folder itself cannot be read
    std::vector<Entry> entries;
  };
  std::vector<Folder> listAll();

  // Every plugin loaded so far (with require()), by file name.
  std::vector<PluginInfo> loaded();

  // The default folder: <dir of the running executable>/../<install plugin dir>.
  static std::filesystem::path defaultDir();

 private:
  std::vector<std::filesystem::path> dirs_;
  size_t extra_count_ = 0;  // dirs_[0, extra_count_) were given; the rest is Ferry's own
  std::mutex mu_;
  std::map<std::filesystem::path, std::shared_ptr<PluginLibrary>> loaded_;
};

}  // namespace ferry::core::plugin_host
