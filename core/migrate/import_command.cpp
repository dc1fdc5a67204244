#include "core/migrate/import_command.h"

#include <filesystem>

#include "core/migrate/gob_stream.h"
#include "core/migrate/pushgateway_import.h"
#include "core/telemetry/telemetry.h"
#include "core/util/log.h"

namespace ferry::core::migrate {
namespace {

bool sameFile(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec) && !ec;
}

}  // namespace

int runImportCommand(const config::Options& options, plugin_host::PluginRegistry& registry,
                     std::ostream& out) {
  const std::string& file = options.import_file;
  const auto& storage_ref = options.storage;
  if (storage_ref.plugin == "memory") {
    throw config::ConfigError(
        "import-pushgateway: the storage is \"memory\", which keeps nothing; configure a durable "
        "storage with --persistence.file=FILE or \"storage\" in --config.file");
  }
  if (storage_ref.config.is_object() && storage_ref.config.contains("path") &&
      storage_ref.config["path"].is_string() &&
      sameFile(storage_ref.config["path"].get<std::string>(), file)) {
    throw config::ConfigError("import-pushgateway: " + file +
                              " is also the storage's path; import it into another file");
  }
  // The file is decoded before the storage is opened: a bad file leaves the storage untouched.
  const std::string data = readWholeFile(file);
  std::vector<std::unique_ptr<store::Group>> groups;
  try {
    groups = decodePushgatewayData(data);
  } catch (const GobError& e) {
    throw std::runtime_error("import-pushgateway: " + file +
                             " is not a readable Pushgateway persistence file: " + e.what());
  } catch (const std::exception& e) {
    throw std::runtime_error("import-pushgateway: " + file + ": " + e.what());
  }
  plugin_host::StoragePluginInstance storage(
      registry.require(FERRY_KIND_STORAGE, storage_ref.plugin), storage_ref.config.dump());
  ImportResult result;
  try {
    result = importGroups(groups, storage, telemetry::Telemetry::ownTypes());
  } catch (const std::exception& e) {
    throw std::runtime_error("import-pushgateway: " + file + ": " + e.what());
  }
  for (const auto& group : result.replaced) {
    util::logWarn("replaced a stored group with the imported one", {{"group", group}});
  }
  out << "imported " << result.groups << " groups (" << result.series << " series) from " << file
      << " into the " << storage_ref.plugin << " storage";
  if (!result.replaced.empty())
    out << "; " << result.replaced.size() << " of them replaced stored groups";
  out << "\n";
  return 0;
}

}  // namespace ferry::core::migrate
