#include "ferry/testkit/storage_driver.h"

#include <ferry/sdk/bytes.hpp>
#include <functional>
#include <set>

namespace ferry::testkit {
namespace {

CallResult finish(ferry_status status, std::string message) {
  return CallResult{status, status == FERRY_OK ? std::string() : std::move(message)};
}

std::string_view viewOf(ferry_bytes b) {
  return b.size == 0 || !b.data ? std::string_view() : std::string_view(b.data, b.size);
}

std::vector<ferry_storage_op> rawOps(const std::vector<StorageOp>& ops) {
  std::vector<ferry_storage_op> raw;
  raw.reserve(ops.size());
  for (const auto& op : ops) {
    raw.push_back(ferry_storage_op{sizeof(ferry_storage_op), op.kind, sdk::toBytes(op.key),
                                   sdk::toBytes(op.value)});
  }
  return raw;
}

CallResult notShared() { return CallResult{FERRY_ERR_UNSUPPORTED, "not a shared store"}; }

}  // namespace

std::unique_ptr<StorageDriver> StorageDriver::open(const PluginLibrary& library,
                                                   const std::string& config_json,
                                                   CallResult* error) {
  return PluginInstance::open<StorageDriver>(library, config_json, error);
}

CallResult StorageDriver::write(const std::vector<StorageOp>& ops) {
  std::vector<ferry_storage_op> raw = rawOps(ops);
  return writeRaw(raw.data(), raw.size());
}

CallResult StorageDriver::writeRaw(const ferry_storage_op* ops, size_t count) {
  std::string message;
  ferry_status status = library_.storage().write(instance_, ops, count, asError(&message));
  return finish(status, std::move(message));
}

CallResult StorageDriver::scan(const std::function<bool(std::string_view, std::string_view)>& fn) {
  struct Context {
    const std::function<bool(std::string_view, std::string_view)>* fn;
  } ctx{&fn};
  ferry_scan_fn trampoline = [](void* cb_ctx, ferry_bytes key, ferry_bytes value) -> int {
    auto* c = static_cast<Context*>(cb_ctx);
    return (*c->fn)(viewOf(key), viewOf(value)) ? 0 : 1;
  };
  std::string message;
  ferry_status status = library_.storage().scan(instance_, trampoline, &ctx, asError(&message));
  return finish(status, std::move(message));
}

ScanResult StorageDriver::scanAll() {
  ScanResult result;
  std::set<std::string> seen_twice;
  result.call = scan([&](std::string_view key, std::string_view value) {
    auto [it, inserted] = result.entries.emplace(std::string(key), std::string(value));
    if (!inserted && seen_twice.insert(it->first).second) {
      result.duplicate_keys.push_back(it->first);
    }
    return true;
  });
  return result;
}

CallResult StorageDriver::wipe() {
  std::string message;
  ferry_status status = library_.storage().wipe(instance_, asError(&message));
  return finish(status, std::move(message));
}

CallResult StorageDriver::flush() {
  std::string message;
  ferry_status status = library_.storage().flush(instance_, asError(&message));
  return finish(status, std::move(message));
}

SnapshotResult StorageDriver::snapshot() {
  SnapshotResult result;
  if (!shared()) {
    result.call = notShared();
    return result;
  }
  std::set<std::string> seen_twice;
  std::function<bool(std::string_view, std::string_view)> fn = [&](std::string_view key,
                                                                   std::string_view value) {
    auto [it, inserted] = result.entries.emplace(std::string(key), std::string(value));
    if (!inserted && seen_twice.insert(it->first).second) {
      result.duplicate_keys.push_back(it->first);
    }
    return true;
  };
  ferry_scan_fn trampoline = [](void* cb_ctx, ferry_bytes key, ferry_bytes value) -> int {
    auto* f = static_cast<std::function<bool(std::string_view, std::string_view)>*>(cb_ctx);
    return (*f)(viewOf(key), viewOf(value)) ? 0 : 1;
  };
  std::string message;
  ferry_status status =
      library_.storage().snapshot(instance_, trampoline, &fn, &result.position, asError(&message));
  result.call = finish(status, std::move(message));
  return result;
}

CallResult StorageDriver::readChanges(uint64_t after, uint32_t wait_ms,
                                      std::vector<FeedCommit>& out) {
  if (!shared()) return notShared();
  ferry_commit_fn trampoline = [](void* cb_ctx, const ferry_storage_commit* commit) -> int {
    auto* commits = static_cast<std::vector<FeedCommit>*>(cb_ctx);
    FeedCommit copy;
    copy.position = commit->position;
    copy.commit_time_unix_nanos = commit->commit_time_unix_nanos;
    for (size_t i = 0; i < commit->count; ++i) {
      const ferry_storage_op& op = commit->ops[i];
      copy.ops.push_back({op.kind, std::string(viewOf(op.key)), std::string(viewOf(op.value))});
    }
    commits->push_back(std::move(copy));
    return 0;
  };
  std::string message;
  ferry_status status = library_.storage().read_changes(instance_, after, wait_ms, trampoline, &out,
                                                        asError(&message));
  return finish(status, std::move(message));
}

CallResult StorageDriver::writeIf(uint64_t expected, const std::vector<StorageOp>& ops,
                                  uint64_t* position) {
  if (!shared()) return notShared();
  std::vector<ferry_storage_op> raw = rawOps(ops);
  uint64_t ignored = 0;
  std::string message;
  ferry_status status =
      library_.storage().write_if(instance_, expected, raw.data(), raw.size(),
                                  position ? position : &ignored, asError(&message));
  return finish(status, std::move(message));
}

CallResult StorageDriver::lease(const std::string& name, uint32_t ttl_ms, bool* held) {
  if (!shared()) return notShared();
  int raw_held = 0;
  std::string message;
  ferry_status status =
      library_.storage().lease(instance_, sdk::toBytes(name), ttl_ms, &raw_held, asError(&message));
  if (held) *held = status == FERRY_OK && raw_held != 0;
  return finish(status, std::move(message));
}

}  // namespace ferry::testkit
