#include "core/migrate/auto_migrate.h"

#include <filesystem>
#include <stdexcept>

#include "core/migrate/gob_stream.h"
#include "core/migrate/pushgateway_file.h"
#include "core/migrate/pushgateway_import.h"
#include "core/telemetry/telemetry.h"
#include "core/util/log.h"

namespace ferry::core::migrate {
namespace fs = std::filesystem;

bool migratePushgatewayFileInPlace(const config::Options& options,
                                   plugin_host::PluginRegistry& registry) {
  const auto& storage_ref = options.storage;
  if (storage_ref.plugin != "file" || !storage_ref.config.is_object()) return false;
  auto path_it = storage_ref.config.find("path");
  if (path_it == storage_ref.config.end() || !path_it->is_string()) return false;
  const std::string path = path_it->get<std::string>();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return false;  // missing: an empty store; else the plugin says
  std::string data;
  try {
    data = readWholeFile(path);
  } catch (const std::exception&) {
    return false;  // the plugin reports an unreadable file in its own words
  }
  if (!looksLikeGob(data)) return false;

  const std::string what =
      "the persistence file " + path +
      " is a Pushgateway persistence file, which Ferry migrates at start, but ";
  std::vector<std::unique_ptr<store::Group>> groups;
  try {
    groups = decodePushgatewayData(data);
  } catch (const std::exception& e) {
    throw std::runtime_error(what + "it cannot be read: " + e.what() +
                             ". The file was not modified");
  }
  const std::string backup = path + kPushgatewayBackupSuffix;
  if (fs::exists(fs::symlink_status(backup, ec))) {
    throw std::runtime_error(what + backup +
                             " (where it would be moved) exists already; move one of them away. "
                             "The file was not modified");
  }
  fs::rename(path, backup, ec);
  if (ec) {
    throw std::runtime_error(what + "it cannot be renamed to " + backup + ": " + ec.message() +
                             ". The file was not modified");
  }
  ImportResult result;
  try {
    plugin_host::StoragePluginInstance storage(
        registry.require(FERRY_KIND_STORAGE, storage_ref.plugin), storage_ref.config.dump());
    result = importGroups(groups, storage, telemetry::Telemetry::ownTypes());
  } catch (const std::exception& e) {
    // Put the user's file back where it was; the snapshot begun at `path` is ours.
    std::error_code ignored;
    fs::remove(path, ignored);
    fs::rename(backup, path, ignored);
    if (ignored) {
      throw std::runtime_error(what + "the import failed: " + e.what() + "; and moving " + backup +
                               " back failed: " + ignored.message());
    }
    throw std::runtime_error(what + "the import failed: " + e.what() +
                             ". The file was moved back unchanged");
  }
  util::logWarn(
      "migrated a Pushgateway persistence file to a Ferry snapshot; the original was "
      "kept as a backup",
      {{"file", path},
       {"backup", backup},
       {"groups", std::to_string(result.groups)},
       {"series", std::to_string(result.series)}});
  return true;
}

}  // namespace ferry::core::migrate
