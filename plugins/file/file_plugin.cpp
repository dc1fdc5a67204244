// Registers the `file` storage plugin (storage-file.so). The class is in file_storage.h, the
// on-disk format in snapshot_format.h.
#include <ferry/sdk.hpp>

#include "file_storage.h"

FERRY_PLUGIN(ferry::plugins::file::FileStorage, "file", "1.0.0",
             "Keeps groups in memory and saves a checksummed snapshot file atomically: at once "
             "with interval 0, else at most once per interval and at shutdown "
             "(--persistence.file)")
