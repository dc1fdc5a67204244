// Shared by the redis plugin's tests: the plugin loaded through the plugin host as Ferry loads
// it, real servers from tests/support/redis_server.h, and small helpers around them.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/plugin_host/plugin_instance.h"
#include "core/plugin_host/plugin_registry.h"
#include "redis_server.h"

namespace ferry::core::redis_test {

using plugin_host::CallStatus;
using plugin_host::StoragePluginInstance;
using test::RedisProcess;
using Entries = std::map<std::string, std::string>;
using Op = StoragePluginInstance::Op;

inline std::shared_ptr<plugin_host::PluginLibrary> redisLibrary() {
  static plugin_host::PluginRegistry registry{FERRY_TEST_PLUGIN_DIR};
  return registry.require(FERRY_KIND_STORAGE, "redis");
}

inline std::string urlOf(const RedisProcess& server) {
  return "redis://127.0.0.1:" + std::to_string(server.port()) + "/0";
}

// A config for `server` with extra members, e.g. R"("prefix": "t:")".
inline std::string configFor(const RedisProcess& server, const std::string& extra = "") {
  return "{\"url\": \"" + urlOf(server) + "\"" + (extra.empty() ? "" : ", " + extra) + "}";
}

inline std::unique_ptr<StoragePluginInstance> openStore(const std::string& config) {
  return std::make_unique<StoragePluginInstance>(redisLibrary(), config);
}

// The message of a create that must fail ("(created)" if it did not).
inline std::string createError(const std::string& config) {
  try {
    openStore(config);
  } catch (const plugin_host::PluginError& e) {
    return e.what();
  }
  return "(created)";
}

inline Op put(std::string key, std::string value) {
  return {FERRY_STORAGE_PUT, std::move(key), std::move(value)};
}

inline Entries scanAll(StoragePluginInstance& store, CallStatus* status = nullptr) {
  Entries entries;
  CallStatus s = store.scan([&](std::string_view k, std::string_view v) {
    entries.emplace(k, v);
    return true;
  });
  if (status) *status = s;
  return entries;
}

inline std::string describe(const CallStatus& s) {
  return std::to_string(static_cast<int>(s.status)) + ": " + s.message;
}

}  // namespace ferry::core::redis_test
