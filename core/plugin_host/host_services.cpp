#include "core/plugin_host/host_services.h"

#include <ferry/families/family_collector.hpp>

#include "core/util/log.h"

namespace ferry::core::plugin_host {
namespace {

void hostLog(void* host_ctx, ferry_log_level level, ferry_bytes message) {
  const auto* services = static_cast<const HostServices*>(host_ctx);
  util::LogLevel mapped = util::LogLevel::kInfo;
  switch (level) {
    case FERRY_LOG_DEBUG:
      mapped = util::LogLevel::kDebug;
      break;
    case FERRY_LOG_INFO:
      mapped = util::LogLevel::kInfo;
      break;
    case FERRY_LOG_WARN:
      mapped = util::LogLevel::kWarn;
      break;
    case FERRY_LOG_ERROR:
      mapped = util::LogLevel::kError;
      break;
  }
  util::log(mapped, view(message), {{"plugin", services->plugin_name}});
}

void hostErrorSet(ferry_error* err, ferry_bytes message) {
  if (err) err->message.assign(view(message));
}

void hostSinkWrite(ferry_sink* sink, ferry_bytes data) {
  if (sink) sink->data.append(view(data));
}

}  // namespace

HostServices::HostServices(std::string name) : plugin_name(std::move(name)) {
  table.struct_size = sizeof(ferry_host);
  table.abi_major = FERRY_ABI_MAJOR;
  table.abi_minor = FERRY_ABI_MINOR;
  table.host_ctx = this;
  table.log = &hostLog;
  table.error_set = &hostErrorSet;
  table.sink_write = &hostSinkWrite;
  table.family_builder = families::FamilyCollector::builder();
}

}  // namespace ferry::core::plugin_host
