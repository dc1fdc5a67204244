#include "core/plugin_host/plugin_library.h"

#include <cstddef>
#include <ferry/support/plugin_descriptor.hpp>

namespace ferry::core::plugin_host {
namespace {

std::string safeString(const char* s) { return s ? std::string(s) : std::string(); }

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& plugin,
                         const std::string& reason) {
  std::string msg = "cannot load plugin " + path.string();
  if (!plugin.empty()) msg += " (\"" + plugin + "\")";
  throw PluginError(msg + ": " + reason);
}

// The name to show in a refusal, when the descriptor is large enough to hold one.
std::string readableName(const ferry_plugin_descriptor* d) {
  if (!d || d->struct_size < offsetof(ferry_plugin_descriptor, name) + sizeof(d->name)) return "";
  return safeString(d->name);
}

}  // namespace

uint32_t PluginLibrary::storageFlags() const {
  if (info_.kind != FERRY_KIND_STORAGE) return 0;
  const auto* vt = static_cast<const ferry_storage_vtable*>(descriptor_->vtable);
  // A 1.0 plugin's table ends before `flags`.
  bool has_flags = vt->struct_size >= offsetof(ferry_storage_vtable, flags) + sizeof(vt->flags);
  uint32_t flags = has_flags ? vt->flags : 0;
  // Only a 1.2 table has the functions FERRY_STORAGE_SHARED promises (checked at load).
  if (vt->struct_size < sizeof(ferry_storage_vtable)) flags &= ~FERRY_STORAGE_SHARED;
  return flags;
}

bool PluginLibrary::hasParseFamilies() const { return support::hasParseFamilies(*descriptor_); }

uint32_t PluginLibrary::authFlags() const {
  if (info_.kind != FERRY_KIND_AUTH) return 0;
  const auto* vt = static_cast<const ferry_auth_vtable*>(descriptor_->vtable);
  // A 1.0/1.1 plugin's table ends before `flags`.
  bool has_flags = vt->struct_size >= offsetof(ferry_auth_vtable, flags) + sizeof(vt->flags);
  return has_flags ? vt->flags : 0;
}

std::shared_ptr<PluginLibrary> PluginLibrary::load(const std::filesystem::path& path) {
  std::shared_ptr<PluginLibrary> lib(new PluginLibrary());
  try {
    // rtld_now: a missing symbol fails here with a message, not later with a crash.
    lib->library_.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    refuse(path, "", std::string("dlopen failed: ") + e.what());
  }
  if (!lib->library_.has(FERRY_PLUGIN_ENTRY_SYMBOL)) {
    refuse(path, "",
           "missing entry symbol " FERRY_PLUGIN_ENTRY_SYMBOL
           " (not a Ferry plugin, or built for another ABI major version)");
  }
  auto entry = lib->library_.get<const ferry_plugin_descriptor*()>(FERRY_PLUGIN_ENTRY_SYMBOL);
  const ferry_plugin_descriptor* d = entry();
  if (const std::string problem = support::descriptorProblem(d); !problem.empty()) {
    refuse(path, readableName(d), problem);
  }
  PluginInfo& info = lib->info_;
  info.path = path;
  info.kind = d->kind;
  info.name = d->name;
  info.version = d->version;
  info.description = safeString(d->description);
  info.default_config = d->default_config ? d->default_config : "{}";
  // descriptorProblem() has checked the declaration: this cannot throw.
  info.config_keys = sdk::detail::readConfigKeys(*d);
  info.abi_major = d->abi_major;
  info.abi_minor = d->abi_minor;
  lib->descriptor_ = d;
  return lib;
}

}  // namespace ferry::core::plugin_host
