#include "core/config/validate.h"

namespace ferry::core::config {

void validateSupported(const Options& options) {
  if (!options.web_config_file.empty()) {
    throw ConfigError("--web.config.file: TLS and basic auth are not available yet in this build");
  }
  if (options.systemd_socket) {
    throw ConfigError("--web.systemd-socket: systemd socket activation is not supported");
  }
  for (const auto& address : options.listen_addresses) {
    if (address.rfind("vsock://", 0) == 0) {
      throw ConfigError("--web.listen-address: vsock addresses are not supported, got \"" +
                        address + "\"");
    }
  }
  if (!options.persistence_file.empty()) {
    throw ConfigError("--persistence.file: the file storage plugin is not available yet");
  }
  if (options.enable_utf8_names) {
    throw ConfigError(
        "--push.enable-utf8-names: UTF-8 metric and label names are not supported "
        "yet");
  }
}

}  // namespace ferry::core::config
