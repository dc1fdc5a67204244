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
ferry_status storageSnapshot(void* instance, ferry_scan_fn fn, void* cb_ctx, uint64_t* position,
                             ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] {
    *position = inst.plugin->snapshot([&](std::string_view key, std::string_view value) {
      return fn(cb_ctx, toBytes(key), toBytes(value)) == 0;
    });
  });
}

template <typename P>
ferry_status storageReadChanges(void* instance, uint64_t after, uint32_t wait_ms,
                                ferry_commit_fn fn, void* cb_ctx, ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] {
    std::vector<ferry_storage_op> raw;
    inst.plugin->readChanges(after, wait_ms, [&](const StorageCommit& commit) {
      raw.clear();
      for (const auto& op : commit.ops) {
        raw.push_back({sizeof(ferry_storage_op), op.kind, toBytes(op.key), toBytes(op.value)});
      }
      ferry_storage_commit c{sizeof(ferry_storage_commit), commit.position,
                             commit.commit_time_unix_nanos, raw.data(), raw.size()};
      return fn(cb_ctx, &c) == 0;
    });
  });
}

template <typename P>
ferry_status storageWriteIf(void* instance, uint64_t expected, const ferry_storage_op* ops,
                            size_t count, uint64_t* position, ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err, [&] {
    std::vector<StorageOp> batch;
    batch.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      batch.push_back(StorageOp{ops[i].kind, toView(ops[i].key), toView(ops[i].value)});
    }
    *position = inst.plugin->writeIf(expected, batch);
  });
}

template <typename P>
ferry_status storageLease(void* instance, ferry_bytes name, uint32_t ttl_ms, int* held,
                          ferry_error* err) noexcept {
  auto& inst = self<P>(instance);
  return guarded(&inst.host, err,
                 [&] { *held = inst.plugin->lease(toView(name), ttl_ms) ? 1 : 0; });
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
  // The shared-store functions only for a class that declares FERRY_STORAGE_SHARED: a table
  // with the flag must have all four, one without it none.
  constexpr bool shared = (P::kStorageFlags & FERRY_STORAGE_SHARED) != 0;
  static const ferry_storage_vtable vt = {sizeof(ferry_storage_vtable),
                                          &storageWrite<P>,
                                          &storageScan<P>,
                                          &storageWipe<P>,
                                          &storageFlush<P>,
                                          P::kStorageFlags,
                                          shared ? &storageSnapshot<P> : nullptr,
                                          shared ? &storageReadChanges<P> : nullptr,
                                          shared ? &storageWriteIf<P> : nullptr,
                                          shared ? &storageLease<P> : nullptr};
  return &vt;
}

}  // namespace ferry::sdk::detail
