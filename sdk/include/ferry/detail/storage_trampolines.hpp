// Not for plugin authors: the C functions of ferry_storage_vtable, wrapping a StoragePlugin
// class.
#pragma once

#include <ferry/detail/guard.hpp>
#include <ferry/sdk/storage_plugin.hpp>
#include <vector>

namespace ferry::sdk::detail {

template <typename P>
ferry_status storageWrite(void* instance, const ferry_storage_op* ops, size_t count,
                          ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] {
    std::vector<StorageOp> batch;
    batch.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      batch.push_back(StorageOp{ops[i].kind, toView(ops[i].key), toView(ops[i].value)});
    }
    inst.plugin->write(batch);
  });
}

template <typename P>
ferry_status storageScan(void* instance, ferry_scan_fn fn, void* cb_ctx,
                         ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] {
    inst.plugin->scan([&](std::string_view key, std::string_view value) {
      return fn(cb_ctx, toBytes(key), toBytes(value)) == 0;
    });
  });
}

template <typename P>
ferry_status storageWipe(void* instance, ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] { inst.plugin->wipe(); });
}

template <typename P>
ferry_status storageFlush(void* instance, ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] { inst.plugin->flush(); });
}

template <typename P>
const ferry_storage_vtable* storageVtable() {
  static const ferry_storage_vtable vt = {sizeof(ferry_storage_vtable),
                                          &storageWrite<P>,
                                          &storageScan<P>,
                                          &storageWipe<P>,
                                          &storageFlush<P>,
                                          P::kStorageFlags};
  return &vt;
}

}  // namespace ferry::sdk::detail
