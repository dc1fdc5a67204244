#include "core/plugin_host/plugin_registry.h"

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <system_error>

namespace ferry::core::plugin_host {

PluginRegistry::PluginRegistry(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(dir_, ec);
  if (!ec) dir_ = absolute.lexically_normal();
}

std::filesystem::path PluginRegistry::defaultDir() {
  std::filesystem::path exe = boost::dll::program_location();
  return (exe.parent_path() / ".." / FERRY_PLUGIN_INSTALL_DIR).lexically_normal();
}

std::shared_ptr<PluginLibrary> PluginRegistry::require(ferry_plugin_kind kind,
                                                       const std::string& name) {
  std::filesystem::path file = dir_ / (kindName(kind) + "-" + name + ".so");
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = loaded_.find(file); it != loaded_.end()) return it->second;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    for (ferry_plugin_kind other : {FERRY_KIND_INPUT, FERRY_KIND_STORAGE, FERRY_KIND_AUTH}) {
      if (other == kind) continue;
      if (std::filesystem::exists(dir_ / (kindName(other) + "-" + name + ".so"), ec)) {
        throw PluginError("plugin \"" + name + "\" is an " + kindName(other) + " plugin, not " +
                          (kind == FERRY_KIND_INPUT ? "an " : "a ") + kindName(kind) +
                          " plugin (found " +
                          (dir_ / (kindName(other) + "-" + name + ".so")).string() + ")");
      }
    }
    throw PluginError("no " + kindName(kind) + " plugin named \"" + name + "\": " + file.string() +
                      " does not exist (plugins dir " + dir_.string() + ")");
  }
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

PluginRegistry::Listing PluginRegistry::listAll() {
  Listing listing;
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (entry.path().extension() == ".so") files.push_back(entry.path());
  }
  if (ec) {
    listing.refused.emplace_back(dir_, "cannot read plugins dir: " + ec.message());
    return listing;
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    try {
      auto lib = PluginLibrary::load(file);
      std::string expected = kindName(lib->info().kind) + "-" + lib->info().name + ".so";
      if (file.filename() != expected) {
        listing.refused.emplace_back(file, "file name should be " + expected);
        continue;
      }
      listing.loaded.push_back(lib->info());
      std::lock_guard<std::mutex> lock(mu_);
      loaded_.emplace(file, lib);
    } catch (const PluginError& e) {
      listing.refused.emplace_back(file, e.what());
    }
  }
  return listing;
}

}  // namespace ferry::core::plugin_host
