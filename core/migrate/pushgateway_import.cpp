#include "core/migrate/pushgateway_import.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/migrate/import_groups.h"
#include "core/migrate/pushgateway_file.h"
#include "core/store/group_codec.h"
#include "core/store/store.h"

namespace ferry::core::migrate {

std::vector<std::unique_ptr<store::Group>> decodePushgatewayData(std::string_view data) {
  return toStoreGroups(readPushgatewayFile(data));
}

ImportResult importPushgatewayData(std::string_view data,
                                   plugin_host::StoragePluginInstance& storage,
                                   const store::OwnFamilyTypes& own) {
  return importGroups(decodePushgatewayData(data), storage, own);
}

ImportResult importGroups(const std::vector<std::unique_ptr<store::Group>>& imported,
                          plugin_host::StoragePluginInstance& storage,
                          const store::OwnFamilyTypes& own) {
  // What is stored already: groups with an imported key are replaced, the others must stay
  // consistent with the imported ones.
  store::Store existing(&storage, own);
  existing.load();
  ImportResult result;
  std::set<std::string> imported_keys;
  for (const auto& group : imported) imported_keys.insert(group->key);
  existing.read([&](const store::StoreView& view) {
    std::vector<const store::Group*> kept;
    for (const auto& [key, group] : view.groups) {
      if (imported_keys.count(key)) {
        result.replaced.push_back(describeGroup(group->labels));
      } else {
        kept.push_back(group.get());
      }
    }
    checkConsistency(kept, imported, own);
    return 0;
  });

  std::vector<plugin_host::StoragePluginInstance::Op> ops;
  ops.reserve(imported.size());
  for (const auto& group : imported) {
    ops.push_back({FERRY_STORAGE_PUT, group->key, store::encodeGroup(*group)});
    result.series += group->seriesCount();
  }
  result.groups = imported.size();
  if (!ops.empty()) {
    auto status = storage.write(ops);
    if (!status.ok()) throw std::runtime_error("storage write failed: " + status.message);
  }
  auto status = storage.flush();
  if (!status.ok()) throw std::runtime_error("storage flush failed: " + status.message);

  // Read it back as Ferry will at start-up.
  store::Store check(&storage, own);
  check.load();
  check.read([&](const store::StoreView& view) {
    for (const auto& group : imported) {
      auto it = view.groups.find(group->key);
      if (it == view.groups.end() || it->second->seriesCount() != group->seriesCount()) {
        throw std::runtime_error("verification failed: group " + describeGroup(group->labels) +
                                 " does not read back from the storage as written");
      }
    }
    return 0;
  });
  return result;
}

std::string readWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  return bytes.str();
}

}  // namespace ferry::core::migrate
