#include "ferry/testkit/plugin_instance.h"

#include <nlohmann/json.hpp>

namespace ferry::testkit {

std::string CallResult::describe() const {
  return statusName(status) + (message.empty() ? std::string(" (no message)") : ": " + message);
}

PluginInstance::Created PluginInstance::create(const PluginLibrary& library,
                                               const std::string& config_json, CallResult* error) {
  const ferry_plugin_descriptor& d = library.descriptor();
  Created created{std::make_unique<TestHost>(d.name), nullptr};
  if (library.configKeys()) {
    // As Ferry does: a config that does not fit the declared keys never reaches create().
    auto config = nlohmann::json::parse(config_json.empty() ? "{}" : config_json, nullptr,
                                        /*allow_exceptions=*/false);
    try {
      if (config.is_discarded()) throw sdk::detail::ConfigKeyError("config is not valid JSON");
      sdk::detail::checkConfig(*library.configKeys(), config);
    } catch (const sdk::detail::ConfigKeyError& e) {
      if (error) *error = CallResult{FERRY_ERR_CONFIG, e.what()};
      return created;
    }
  }
  std::string message;
  created.instance = d.create(
      created.host->raw(), ferry_bytes{config_json.data(), config_json.size()}, asError(&message));
  if (error) {
    *error = created.instance ? CallResult{} : CallResult{FERRY_ERR_INTERNAL, message};
  }
  return created;
}

PluginInstance::PluginInstance(const PluginLibrary& library, Created created)
    : library_(library), host_(std::move(created.host)), instance_(created.instance) {}

PluginInstance::~PluginInstance() { library_.descriptor().destroy(instance_); }

}  // namespace ferry::testkit
