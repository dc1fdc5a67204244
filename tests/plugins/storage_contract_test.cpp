// Every first-party storage plugin against the storage contract of sdk/testkit (the durable
// ones against DurableStorageContract as well). The paths of the plugins come from CMake, which
// defines them only for plugins that are part of the build.
#include <ferry/testkit/storage_contract.h>

namespace {

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

}  // namespace
