// Every first-party storage plugin against the storage contract of sdk/testkit. The paths of
// the plugins come from CMake, which defines them only for plugins that are part of the build.
#include <ferry/testkit/storage_contract.h>

#ifdef FERRY_STORAGE_REDIS_PLUGIN
#include "redis_server.h"
#endif

namespace {

using ferry::testkit::backendName;
using ferry::testkit::jsonString;
using ferry::testkit::pathConfig;
using ferry::testkit::StorageBackend;
using ferry::testkit::StorageContract;

#ifdef FERRY_STORAGE_MEMORY_PLUGIN
INSTANTIATE_TEST_SUITE_P(Memory, StorageContract,
                         ::testing::Values(StorageBackend{
                             "memory", FERRY_STORAGE_MEMORY_PLUGIN,
                             [](const std::string&) { return std::string("{}"); },
                             /*durable=*/false}),
                         backendName);
#endif

#ifdef FERRY_STORAGE_FILE_PLUGIN
// Interval 0s: a snapshot after every write, so every acknowledged write is durable.
INSTANTIATE_TEST_SUITE_P(File, StorageContract,
                         ::testing::Values(StorageBackend{
                             "file", FERRY_STORAGE_FILE_PLUGIN,
                             pathConfig("ferry.snap", R"("interval": "0s")"), /*durable=*/true}),
                         backendName);
#endif

#ifdef FERRY_STORAGE_SQLITE_PLUGIN
INSTANTIATE_TEST_SUITE_P(Sqlite, StorageContract,
                         ::testing::Values(StorageBackend{"sqlite", FERRY_STORAGE_SQLITE_PLUGIN,
                                                          pathConfig("ferry.db"),
                                                          /*durable=*/true}),
                         backendName);
#endif

#ifdef FERRY_STORAGE_REDIS_PLUGIN
// One redis-server per test process (ctest runs each test in its own), started at first use
// and killed when the process ends; each test's directory names its own store as a key prefix.
const ferry::test::RedisProcess& testRedis() {
  static const auto server = ferry::test::RedisProcess::server();
  return *server;
}

std::string redisPrefix(const std::string& dir) { return "kit:" + dir + ":"; }

INSTANTIATE_TEST_SUITE_P(
    Redis, StorageContract,
    ::testing::Values(StorageBackend{
        "redis", FERRY_STORAGE_REDIS_PLUGIN,
        [](const std::string& dir) {
          return "{\"url\": \"redis://127.0.0.1:" + std::to_string(testRedis().port()) +
                 "/0\", \"prefix\": " + jsonString(redisPrefix(dir)) + "}";
        },
        /*durable=*/true, /*stored_in_dir=*/false,
        [](const std::string& dir) {
          testRedis().call({"XTRIM", redisPrefix(dir) + "feed", "MAXLEN", "0"});
        }}),
    backendName);
#endif

}  // namespace
