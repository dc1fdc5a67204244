// Every first-party storage plugin against the storage contract of sdk/testkit. The paths of
// the plugins come from CMake, which defines them only for plugins that are part of the build.
#include <ferry/testkit/storage_contract.h>

namespace {

using ferry::testkit::backendName;
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

}  // namespace
