#include "core/config/validate.h"

#include "core/config/go_duration.h"

namespace ferry::core::config {

void validateSupported(const Options& options) {
  if (options.systemd_socket) {
    throw ConfigError("--web.systemd-socket: systemd socket activation is not supported");
  }
  for (const auto& address : options.listen_addresses) {
    if (address.rfind("vsock://", 0) == 0) {
      throw ConfigError("--web.listen-address: vsock addresses are not supported, got \"" +
                        address + "\"");
    }
  }
  if (options.enable_utf8_names) {
    throw ConfigError(
        "--push.enable-utf8-names: UTF-8 metric and label names are not supported "
        "yet");
  }
}

void resolvePersistence(Options& options) {
  if (options.persistence_file.empty()) return;
  if (options.storage.plugin != "memory") {
    throw ConfigError("--persistence.file: cannot be combined with the storage plugin \"" +
                      options.storage.plugin +
                      "\" of the config file; configure persistence in one place");
  }
  options.storage.plugin = "file";
  options.storage.config =
      nlohmann::json{{"path", options.persistence_file},
                     {"interval", formatGoDuration(options.persistence_interval)}};
}

}  // namespace ferry::core::config
