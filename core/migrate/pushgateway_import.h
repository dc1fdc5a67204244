#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/plugin_host/plugin_instance.h"
#include "core/store/consistency_check.h"
#include "core/store/group.h"

namespace ferry::core::migrate {

struct ImportResult {
  size_t groups = 0;
  size_t series = 0;                  // including push_time_seconds / push_failure_time_seconds
  std::vector<std::string> replaced;  // groups that were already stored, as describeGroup()
};

// Decodes a Pushgateway persistence file into the store's groups (readPushgatewayFile, then
// toStoreGroups). Throws GobError for a malformed file (offset and problem), std::runtime_error
// for groups the store would not accept.
std::vector<std::unique_ptr<store::Group>> decodePushgatewayData(std::string_view data);

// Imports decoded groups into `storage`: checks them as Store::load would together with the
// groups already stored (those with the same key are replaced), writes all of them in one
// write() and flush(), then loads a Store from the storage to verify that every group reads back.
// Throws std::runtime_error saying what is wrong; an inconsistent import is refused before
// anything is written.
ImportResult importGroups(const std::vector<std::unique_ptr<store::Group>>& imported,
                          plugin_host::StoragePluginInstance& storage,
                          const store::OwnFamilyTypes& own);

// Both of the above.
ImportResult importPushgatewayData(std::string_view data,
                                   plugin_host::StoragePluginInstance& storage,
                                   const store::OwnFamilyTypes& own);

// The whole file; throws std::runtime_error naming the file and the system's reason.
std::string readWholeFile(const std::string& path);

}  // namespace ferry::core::migrate
