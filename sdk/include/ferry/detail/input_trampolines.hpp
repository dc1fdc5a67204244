// Not for plugin authors: the C functions of ferry_input_vtable, wrapping an InputPlugin class.
#pragma once

#include <ferry/detail/guard.hpp>
#include <ferry/sdk/families.hpp>
#include <ferry/sdk/input_plugin.hpp>

namespace ferry::sdk::detail {

template <typename P>
int inputAccepts(void* instance, ferry_bytes content_type) noexcept {
  try {
    return self<P>(instance).plugin->accepts(toView(content_type)) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

template <typename P>
ferry_status inputParseFamilies(void* instance, ferry_bytes content_type, ferry_bytes body,
                                ferry_families* out, ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] {
    if (inst.host.struct_size < sizeof(ferry_host) || !inst.host.family_builder) {
      throw Error(FERRY_ERR_INTERNAL, "the host has no family builder (it predates ABI 1.2)");
    }
    Families families(inst.host.family_builder, out);
    inst.plugin->parse(toView(content_type), toView(body), families);
  });
}

// The SDK's plugins build families; `parse`, the bytes interface of ABI 1.0, stays NULL.
template <typename P>
const ferry_input_vtable* inputVtable() {
  static const ferry_input_vtable vt = {sizeof(ferry_input_vtable), &inputAccepts<P>, nullptr,
                                        &inputParseFamilies<P>};
  return &vt;
}

}  // namespace ferry::sdk::detail
