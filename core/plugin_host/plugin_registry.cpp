#include "core/plugin_host/plugin_registry.h"

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <regex>
#include <system_error>

namespace ferry::core::plugin_host {
namespace {

namespace fs = std::filesystem;

fs::path normalized(const fs::path& dir) {
  std::error_code ec;
  auto absolute = fs::absolute(dir, ec);
  return ec ? dir : absolute.lexically_normal();
}

std::string fileName(ferry_plugin_kind kind, const std::string& name) {
  return kindName(kind) + "-" + name + ".so";
}

bool isDirectory(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir, ec);
}

}  // namespace

PluginRegistry::PluginRegistry(const std::vector<fs::path>& extra_dirs, fs::path own_dir) {
  own_dir = normalized(own_dir);
  for (const auto& dir : extra_dirs) {
    fs::path path = normalized(dir);
    // Ferry's own folder is always searched, and always last.
    if (path == own_dir || std::find(dirs_.begin(), dirs_.end(), path) != dirs_.end()) continue;
    dirs_.push_back(path);
  }
  extra_count_ = dirs_.size();
  dirs_.push_back(own_dir);
}

fs::path PluginRegistry::defaultDir() {
  fs::path exe = boost::dll::program_location();
  return (exe.parent_path() / ".." / FERRY_PLUGIN_INSTALL_DIR).lexically_normal();
}

std::string PluginRegistry::describeDirs() const {
  std::string out;
  for (size_t i = 0; i < dirs_.size(); ++i) {
    if (i > 0) out += ", ";
    out += dirs_[i].string();
    if (i >= extra_count_) out += " (Ferry's own)";
  }
  return out;
}

std::shared_ptr<PluginLibrary> PluginRegistry::require(ferry_plugin_kind kind,
                                                       const std::string& name) {
  for (size_t i = 0; i < extra_count_; ++i) {
    if (!isDirectory(dirs_[i])) {
      throw PluginError("plugins dir " + dirs_[i].string() + " is not a directory");
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  std::error_code ec;
  fs::path file;
  for (const auto& dir : dirs_) {
    if (fs::exists(dir / fileName(kind, name), ec)) {
      file = dir / fileName(kind, name);
      break;
    }
  }
  if (file.empty()) {
    for (ferry_plugin_kind other : {FERRY_KIND_INPUT, FERRY_KIND_STORAGE, FERRY_KIND_AUTH}) {
      if (other == kind) continue;
      for (const auto& dir : dirs_) {
        fs::path found = dir / fileName(other, name);
        if (fs::exists(found, ec)) {
          throw PluginError("plugin \"" + name + "\" is an " + kindName(other) + " plugin, not " +
                            (kind == FERRY_KIND_INPUT ? "an " : "a ") + kindName(kind) +
                            " plugin (found " + found.string() + ")");
        }
      }
    }
    throw PluginError("no " + kindName(kind) + " plugin named \"" + name + "\": no " +
                      fileName(kind, name) + " in the plugins dirs " + describeDirs());
  }
  if (auto it = loaded_.find(file); it != loaded_.end()) return it->second;
  auto lib = PluginLibrary::load(file);
  if (lib->info().kind != kind) {
    throw PluginError("cannot load plugin " + file.string() + " (\"" + lib->info().name +
                      "\"): wrong kind: it is an " + kindName(lib->info().kind) +
                      " plugin, the file name says " + kindName(kind));
  }
  if (lib->info().name != name) {
    throw PluginError("cannot load plugin " + file.string() + ": its descriptor is named \"" +
                      lib->info().name + "\", the file name says \"" + name + "\"");
  }
  loaded_[file] = lib;
  return lib;
}

std::vector<PluginInfo> PluginRegistry::loaded() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<PluginInfo> out;
  out.reserve(loaded_.size());
  for (const auto& [file, library] : loaded_) out.push_back(library->info());
  return out;
}

std::vector<PluginRegistry::Folder> PluginRegistry::listAll() {
  static const std::regex kPluginFile("(input|storage|auth)-([a-z0-9_-]+)\\.so");
  std::vector<Folder> folders;
  std::map<std::string, fs::path> first;  // file name -> the folder whose copy is used
  for (size_t d = 0; d < dirs_.size(); ++d) {
    Folder folder{dirs_[d], d >= extra_count_, {}, {}};
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (const auto& entry : fs::directory_iterator(folder.dir, ec)) entries.push_back(entry);
    if (ec) {
      folder.error = "cannot read: " + ec.message();
      folders.push_back(std::move(folder));
      continue;
    }
    std::sort(entries.begin(), entries.end());
    for (const auto& entry : entries) {
      Entry out{entry.path(), std::nullopt, {}, false};
      const std::string file_name = entry.path().filename().string();
      std::error_code type_ec;
      if (entry.is_directory(type_ec)) {
        out.problem = "not a plugin: a directory";
      } else if (!std::regex_match(file_name, kPluginFile)) {
        out.problem =
            "not a plugin: plugins are files named <kind>-<name>.so (kind input, "
            "storage or auth; name of a-z, 0-9, _ and -)";
      } else if (auto used = first.find(file_name); used != first.end()) {
        out.problem = "not used: " + (used->second / file_name).string() + " comes first";
      } else {
        try {
          auto lib = PluginLibrary::load(entry.path());
          std::string expected = fileName(lib->info().kind, lib->info().name);
          if (file_name != expected) {
            out.problem = "refused: its descriptor says it is " + expected;
            out.refused = true;
          } else {
            out.plugin = lib->info();
            first.emplace(file_name, folder.dir);
            std::lock_guard<std::mutex> lock(mu_);
            loaded_.emplace(entry.path(), lib);
          }
        } catch (const PluginError& e) {
          out.problem = std::string("refused: ") + e.what();
          out.refused = true;
        }
      }
      folder.entries.push_back(std::move(out));
    }
    folders.push_back(std::move(folder));
  }
  return folders;
}

}  // namespace ferry::core::plugin_host
