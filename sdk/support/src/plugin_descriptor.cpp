#include <cstddef>
#include <cstring>
#include <exception>
#include <ferry/detail/config_keys.hpp>
#include <ferry/support/go_quote.hpp>
#include <ferry/support/plugin_descriptor.hpp>
#include <string_view>

namespace ferry::support {
namespace {

// Every struct as ABI 1.0 defined it: a plugin of a later minor may send larger ones (appended
// fields), a smaller one is broken.
constexpr uint32_t kDescriptorSize1_0 = FERRY_PLUGIN_DESCRIPTOR_SIZE_1_0;
constexpr uint32_t kInputVtableSize1_0 = FERRY_INPUT_VTABLE_SIZE_1_0;
constexpr uint32_t kStorageVtableSize1_0 = FERRY_STORAGE_VTABLE_SIZE_1_0;
constexpr uint32_t kAuthVtableSize1_0 = FERRY_AUTH_VTABLE_SIZE_1_0;

// The name becomes part of a file name (<kind>-<name>.so) and of the config file.
bool isPluginName(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool tableHasParseFamilies(uint16_t minor, const ferry_input_vtable* vt) {
  // A 1.0/1.1 table ends before parse_families: its struct_size or its plugin's minor says so
  // even if the memory after it is not zero.
  return minor >= 2 &&
         vt->struct_size >=
             offsetof(ferry_input_vtable, parse_families) + sizeof(vt->parse_families) &&
         vt->parse_families != nullptr;
}

std::string vtableProblem(ferry_plugin_kind kind, uint16_t minor, const void* vtable) {
  if (!vtable) return "descriptor has no function table";
  switch (kind) {
    case FERRY_KIND_INPUT: {
      const auto* vt = static_cast<const ferry_input_vtable*>(vtable);
      if (vt->struct_size < kInputVtableSize1_0 || !vt->accepts ||
          (!vt->parse && !tableHasParseFamilies(minor, vt))) {
        return "input function table is incomplete";
      }
      return "";
    }
    case FERRY_KIND_STORAGE: {
      const auto* vt = static_cast<const ferry_storage_vtable*>(vtable);
      if (vt->struct_size < kStorageVtableSize1_0 || !vt->write || !vt->scan || !vt->wipe ||
          !vt->flush) {
        return "storage function table is incomplete";
      }
      // FERRY_STORAGE_SHARED means something only in a table that reaches the shared-store
      // functions (1.2); there they must all be present. (A shorter table never defined the
      // bit, and the host reads it as unset.)
      const bool claims_shared =
          vt->struct_size >= sizeof(ferry_storage_vtable) && (vt->flags & FERRY_STORAGE_SHARED);
      if (claims_shared && (!vt->snapshot || !vt->read_changes || !vt->write_if || !vt->lease)) {
        return "storage plugin declares FERRY_STORAGE_SHARED but its function table lacks "
               "snapshot, read_changes, write_if or lease";
      }
      return "";
    }
    case FERRY_KIND_AUTH: {
      const auto* vt = static_cast<const ferry_auth_vtable*>(vtable);
      if (vt->struct_size < kAuthVtableSize1_0 || !vt->authenticate) {
        return "auth function table is incomplete";
      }
      return "";
    }
  }
  return "unknown plugin kind " + std::to_string(static_cast<int>(kind));
}

// The kind comes from the plugin and may be any int; loading a value that is not one of the
// enumerators as ferry_plugin_kind is undefined behaviour in C++, so it is read as an int.
int rawKind(const ferry_plugin_descriptor* d) {
  static_assert(sizeof(ferry_plugin_kind) == sizeof(int), "C enums are int-sized");
  int raw = 0;
  std::memcpy(&raw, &d->kind, sizeof raw);
  return raw;
}

}  // namespace

std::string descriptorProblem(const ferry_plugin_descriptor* d) {
  if (!d) return "entry symbol returned no descriptor";
  if (d->struct_size < kDescriptorSize1_0) {
    return "descriptor is too small (" + std::to_string(d->struct_size) + " bytes, ABI 1.0 needs " +
           std::to_string(kDescriptorSize1_0) + ")";
  }
  const std::string versions =
      "plugin ABI " + std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor) +
      ", host ABI " + std::to_string(FERRY_ABI_MAJOR) + "." + std::to_string(FERRY_ABI_MINOR);
  if (d->abi_major != FERRY_ABI_MAJOR) return "other ABI major version (" + versions + ")";
  if (d->abi_minor > FERRY_ABI_MINOR) {
    return "built against a newer ABI minor version (" + versions + "); upgrade Ferry";
  }
  const int kind = rawKind(d);
  if (kind != FERRY_KIND_INPUT && kind != FERRY_KIND_STORAGE && kind != FERRY_KIND_AUTH) {
    return "unknown plugin kind " + std::to_string(kind);
  }
  if (!d->name || !*d->name) return "descriptor has no name";
  if (!isPluginName(d->name)) {
    return "descriptor name " + goQuote(d->name) + " is not [a-z0-9_-]+";
  }
  if (!d->version) return "descriptor has no version";
  if (!d->create || !d->destroy) return "descriptor lacks create or destroy";
  if (std::string problem = vtableProblem(d->kind, d->abi_minor, d->vtable); !problem.empty()) {
    return problem;
  }
  // Declared config keys (1.2) must be usable before any config is checked against them.
  try {
    sdk::detail::readConfigKeys(*d);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

bool hasParseFamilies(const ferry_plugin_descriptor& d) {
  if (d.kind != FERRY_KIND_INPUT || !d.vtable) return false;
  return tableHasParseFamilies(d.abi_minor, static_cast<const ferry_input_vtable*>(d.vtable));
}

std::string pluginKindName(ferry_plugin_kind kind) {
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

}  // namespace ferry::support
