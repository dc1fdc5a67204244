#include "core/plugin_host/plugin_library.h"

#include <cstddef>

namespace ferry::core::plugin_host {
namespace {

// Size of each struct as ABI 1.0 defined it. A plugin of a later minor may send larger
// structs (appended fields); a smaller one is broken.
constexpr uint32_t kDescriptorV1Size = FERRY_PLUGIN_DESCRIPTOR_SIZE_1_0;
constexpr uint32_t kInputVtableV1Size = FERRY_INPUT_VTABLE_SIZE_1_0;
constexpr uint32_t kStorageVtableV1Size = FERRY_STORAGE_VTABLE_SIZE_1_0;
constexpr uint32_t kAuthVtableV1Size = FERRY_AUTH_VTABLE_SIZE_1_0;

std::string safeString(const char* s) { return s ? std::string(s) : std::string(); }

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& plugin,
                         const std::string& reason) {
  std::string msg = "cannot load plugin " + path.string();
  if (!plugin.empty()) msg += " (\"" + plugin + "\")";
  throw PluginError(msg + ": " + reason);
}

void checkVtable(const std::filesystem::path& path, const PluginInfo& info, const void* vtable) {
  if (!vtable) refuse(path, info.name, "descriptor has no function table");
  uint32_t size = *static_cast<const uint32_t*>(vtable);
  switch (info.kind) {
    case FERRY_KIND_INPUT: {
      const auto* vt = static_cast<const ferry_input_vtable*>(vtable);
      // Since 1.2 a plugin may set parse_families instead of parse.
      const bool families =
          info.abi_minor >= 2 &&
          size >= offsetof(ferry_input_vtable, parse_families) + sizeof(vt->parse_families) &&
          vt->parse_families;
      if (size < kInputVtableV1Size || !vt->accepts || (!vt->parse && !families)) {
        refuse(path, info.name, "input function table is incomplete");
      }
      break;
    }
    case FERRY_KIND_STORAGE: {
      const auto* vt = static_cast<const ferry_storage_vtable*>(vtable);
      if (size < kStorageVtableV1Size || !vt->write || !vt->scan || !vt->wipe || !vt->flush) {
        refuse(path, info.name, "storage function table is incomplete");
      }
      break;
    }
    case FERRY_KIND_AUTH: {
      const auto* vt = static_cast<const ferry_auth_vtable*>(vtable);
      if (size < kAuthVtableV1Size || !vt->authenticate) {
        refuse(path, info.name, "auth function table is incomplete");
      }
      break;
    }
  }
}

}  // namespace

std::string kindName(ferry_plugin_kind kind) {
  switch (kind) {
    case FERRY_KIND_INPUT:
      return "input";
    case FERRY_KIND_STORAGE:
      return "storage";
    case FERRY_KIND_AUTH:
      return "auth";
  }
  return "unknown(" + std::to_string(static_cast<int>(kind)) + ")";
}

uint32_t PluginLibrary::storageFlags() const {
  if (info_.kind != FERRY_KIND_STORAGE) return 0;
  const auto* vt = static_cast<const ferry_storage_vtable*>(descriptor_->vtable);
  // A 1.0 plugin's table ends before `flags`.
  bool has_flags = vt->struct_size >= offsetof(ferry_storage_vtable, flags) + sizeof(vt->flags);
  return has_flags ? vt->flags : 0;
}

bool PluginLibrary::hasParseFamilies() const {
  if (info_.kind != FERRY_KIND_INPUT || info_.abi_minor < 2) return false;
  const auto* vt = static_cast<const ferry_input_vtable*>(descriptor_->vtable);
  return vt->struct_size >=
             offsetof(ferry_input_vtable, parse_families) + sizeof(vt->parse_families) &&
         vt->parse_families != nullptr;
}

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
  if (!d) refuse(path, "", "entry symbol returned no descriptor");
  if (d->struct_size < kDescriptorV1Size) {
    refuse(path, "",
           "descriptor is too small (" + std::to_string(d->struct_size) + " bytes, ABI 1.0 needs " +
               std::to_string(kDescriptorV1Size) + ")");
  }
  PluginInfo& info = lib->info_;
  info.path = path;
  info.abi_major = d->abi_major;
  info.abi_minor = d->abi_minor;
  info.name = safeString(d->name);
  std::string abi = "plugin ABI " + std::to_string(d->abi_major) + "." +
                    std::to_string(d->abi_minor) + ", host ABI " + std::to_string(FERRY_ABI_MAJOR) +
                    "." + std::to_string(FERRY_ABI_MINOR);
  if (d->abi_major != FERRY_ABI_MAJOR)
    refuse(path, info.name, "other ABI major version (" + abi + ")");
  if (d->abi_minor > FERRY_ABI_MINOR) {
    refuse(path, info.name, "built against a newer ABI minor version (" + abi + "); upgrade Ferry");
  }
  if (d->kind != FERRY_KIND_INPUT && d->kind != FERRY_KIND_STORAGE && d->kind != FERRY_KIND_AUTH) {
    refuse(path, info.name, "unknown plugin kind " + std::to_string(static_cast<int>(d->kind)));
  }
  info.kind = d->kind;
  if (info.name.empty()) refuse(path, "", "descriptor has no name");
  if (!d->create || !d->destroy) refuse(path, info.name, "descriptor lacks create or destroy");
  checkVtable(path, info, d->vtable);
  info.version = safeString(d->version);
  info.description = safeString(d->description);
  info.default_config = d->default_config ? d->default_config : "{}";
  try {
    info.config_keys = sdk::detail::readConfigKeys(*d);
  } catch (const std::exception& e) {
    refuse(path, info.name, e.what());
  }
  lib->descriptor_ = d;
  return lib;
}

}  // namespace ferry::core::plugin_host
