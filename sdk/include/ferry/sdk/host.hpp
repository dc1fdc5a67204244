// The host's services as a plugin sees them.
#pragma once

#include <ferry/plugin_abi.h>

#include <ferry/sdk/bytes.hpp>
#include <string_view>

namespace ferry::sdk {

// Ferry's log, attributed to the plugin. Cheap to copy; valid for the plugin instance's
// lifetime.
class Host {
 public:
  explicit Host(const ferry_host* host) : host_(host) {}
  void log(ferry_log_level level, std::string_view message) const {
    if (host_ && host_->log) host_->log(host_->host_ctx, level, toBytes(message));
  }
  void debug(std::string_view m) const { log(FERRY_LOG_DEBUG, m); }
  void info(std::string_view m) const { log(FERRY_LOG_INFO, m); }
  void warn(std::string_view m) const { log(FERRY_LOG_WARN, m); }
  void error(std::string_view m) const { log(FERRY_LOG_ERROR, m); }
  const ferry_host* raw() const { return host_; }

 private:
  const ferry_host* host_;
};

}  // namespace ferry::sdk
