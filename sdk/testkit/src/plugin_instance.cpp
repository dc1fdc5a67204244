#include "ferry/testkit/plugin_instance.h"

namespace ferry::testkit {

std::string CallResult::describe() const {
  return statusName(status) + (message.empty() ? std::string(" (no message)") : ": " + message);
}

PluginInstance::Created PluginInstance::create(const PluginLibrary& library,
                                               const std::string& config_json, CallResult* error) {
  const ferry_plugin_descriptor& d = library.descriptor();
  Created created{std::make_unique<TestHost>(d.name), nullptr};
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
