// The storage contract of the Ferry SDK, run against this plugin's .so. "sync": false keeps
// the 10,000-key tests fast; a killed process still loses nothing (the page cache survives).
#include <ferry/testkit/storage_contract.h>

// Durable: FERRY_INSTANTIATE_STORAGE_CONTRACT runs StorageContract and DurableStorageContract.
FERRY_INSTANTIATE_STORAGE_CONTRACT(DirStorage, ferry::testkit::StorageBackend{
                                                   "dir", FERRY_PLUGIN_PATH,
                                                   [](const std::string& dir) {
                                                     return R"({"dir": )" +
                                                            ferry::testkit::jsonString(dir) +
                                                            R"(, "sync": false})";
                                                   },
                                                   /*durable=*/true});
