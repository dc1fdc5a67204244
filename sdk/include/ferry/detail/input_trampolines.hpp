// Not for plugin authors: the C functions of ferry_input_vtable, wrapping an InputPlugin class.
#pragma once

#include <ferry/detail/guard.hpp>
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
ferry_status inputParse(void* instance, ferry_bytes content_type, ferry_bytes body, ferry_sink* out,
                        ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] {
    Output output(&inst.host, out);
    inst.plugin->parse(toView(content_type), toView(body), output);
  });
}

template <typename P>
const ferry_input_vtable* inputVtable() {
  static const ferry_input_vtable vt = {sizeof(ferry_input_vtable), &inputAccepts<P>,
                                        &inputParse<P>};
  return &vt;
}

}  // namespace ferry::sdk::detail
