// Every first-party storage plugin against the storage contract of sdk/testkit (the durable
// ones against DurableStorageContract as well). The paths of the plugins come from CMake, which
// defines them only for plugins that are part of the build.
#include <ferry/testkit/storage_contract.h>

#ifdef FERRY_STORAGE_REDIS_PLUGIN
#include "redis_server.h"
#endif

namespace {

using ferry::testkit::jsonString;
using ferry::testkit::pathConfig;
using ferry::testkit::StorageBackend;

#ifdef FERRY_STORAGE_MEMORY_PLUGIN
// Not durable (it declares FERRY_STORAGE_VOLATILE): StorageContract only.
FERRY_INSTANTIATE_STORAGE_CONTRACT(Memory, StorageBackend{
                                               "memory", FERRY_STORAGE_MEMORY_PLUGIN,
                                               [](const std::string&) { return std::string("{}"); },
                                               /*durable=*/false});
#endif

#ifdef FERRY_STORAGE_FILE_PLUGIN
// Interval 0s: a snapshot after every write, so every acknowledged write is durable.
FERRY_INSTANTIATE_STORAGE_CONTRACT(File,
                                   StorageBackend{"file", FERRY_STORAGE_FILE_PLUGIN,
                                                  pathConfig("ferry.snap", R"("interval": "0s")"),
                                                  /*durable=*/true});
#endif

#ifdef FERRY_STORAGE_SQLITE_PLUGIN
FERRY_INSTANTIATE_STORAGE_CONTRACT(Sqlite,
                                   StorageBackend{"sqlite", FERRY_STORAGE_SQLITE_PLUGIN,
                                                  pathConfig("ferry.db"), /*durable=*/true});
#endif

#ifdef FERRY_STORAGE_REDIS_PLUGIN
// One redis-server per test process (ctest runs each test in its own), started at first use
// and killed when the process ends; each test's directory names its own store as a key prefix.
const ferry::test::RedisProcess& testRedis() {
  static const auto server = ferry::test::RedisProcess::server();
  return *server;
}

std::string redisPrefix(const std::string& dir) { return "kit:" + dir + ":"; }

// Durable and shared, kept in a server: StorageContract, DurableStorageContract and
// SharedStorageContract, no directory cases.
FERRY_INSTANTIATE_STORAGE_CONTRACT(
    Redis,
    StorageBackend{"redis", FERRY_STORAGE_REDIS_PLUGIN,
                   [](const std::string& dir) {
                     return "{\"url\": \"redis://127.0.0.1:" + std::to_string(testRedis().port()) +
                            "/0\", \"prefix\": " + jsonString(redisPrefix(dir)) + "}";
                   },
                   /*durable=*/true, /*stored_in_dir=*/false,
                   [](const std::string& dir) {
                     testRedis().call({"XTRIM", redisPrefix(dir) + "feed", "MAXLEN", "0"});
                   }});
#endif

}  // namespace
