#include "ferry/testkit/storage_driver.h"

#include <set>

namespace ferry::testkit {
namespace {

CallResult finish(ferry_status status, std::string message) {
  return CallResult{status, status == FERRY_OK ? std::string() : std::move(message)};
}

ferry_bytes bytesOf(const std::string& s) { return ferry_bytes{s.data(), s.size()}; }

std::string_view viewOf(ferry_bytes b) {
  return b.size == 0 || !b.data ? std::string_view() : std::string_view(b.data, b.size);
}

}  // namespace

std::unique_ptr<StorageDriver> StorageDriver::open(const PluginLibrary& library,
                                                   const std::string& config_json,
                                                   CallResult* error) {
  return PluginInstance::open<StorageDriver>(library, config_json, error);
}

CallResult StorageDriver::write(const std::vector<StorageOp>& ops) {
  std::vector<ferry_storage_op> raw;
  raw.reserve(ops.size());
  for (const auto& op : ops) {
    raw.push_back(
        ferry_storage_op{sizeof(ferry_storage_op), op.kind, bytesOf(op.key), bytesOf(op.value)});
  }
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

}  // namespace ferry::testkit
