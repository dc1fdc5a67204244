#pragma once

#include "core/config/options.h"

namespace ferry::core::config {

// Refuses settings that are valid Pushgateway flags but need work this build does not have yet,
// so none is ever silently ignored: --web.config.file, --web.systemd-socket, --persistence.file,
// --push.enable-utf8-names and vsock:// listen addresses. Relax a check here when its feature
// lands. Throws ConfigError naming the flag.
void validateSupported(const Options& options);

}  // namespace ferry::core::config
