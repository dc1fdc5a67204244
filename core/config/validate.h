#pragma once

#include "core/config/options.h"

namespace ferry::core::config {

// Refuses settings that are valid Pushgateway flags but need work this build does not have yet,
// so none is ever silently ignored: --web.systemd-socket, --push.enable-utf8-names and vsock://
// listen addresses. Relax a check here when its feature lands. Throws ConfigError naming the flag.
void validateSupported(const Options& options);

// --persistence.file (and --persistence.interval) select the "file" storage plugin with
// {"path": FILE, "interval": "5m0s"}, as the Pushgateway's flags do. Combining them with another
// storage plugin from the config file is an error.
void resolvePersistence(Options& options);

}  // namespace ferry::core::config
